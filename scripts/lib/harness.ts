// A production-like stack for benchmarks and fault tests: PostgreSQL (throw-away embedded one, or
// DATABASE_URL), migrations, seed, a production build in its own directory, the simulated control
// plane, the worker and the web server (server/http/serve.ts), each a child process this module
// can stop, kill and restart.
import { spawn, type ChildProcess } from "node:child_process";
import { existsSync } from "node:fs";
import * as fs from "node:fs/promises";
import * as path from "node:path";
import * as readline from "node:readline";
import { fileURLToPath } from "node:url";
import { startPostgres, type RunningPostgres } from "../pg";
import { waitForHttp } from "../wait-for";

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..", "..");
export const HARNESS_AUTH_SECRET = "portal-harness-secret-not-for-production-0123456789";
export const HARNESS_CP_TOKEN = "harness-control-plane-token-0123456789";

type Env = Record<string, string | undefined>;

export interface ProcessHandle {
  name: string;
  child: ChildProcess;
  exited: Promise<number>;
  /** Lines it printed (last 2,000), for reports and assertions. */
  lines: string[];
}

const children = new Set<ProcessHandle>();

/** Starts a child in its own process group; its output is kept (and echoed when `echo`). */
export function startProcess(name: string, command: string, args: string[], env: Env, options: { echo?: boolean } = {}): ProcessHandle {
  const child = spawn(command, args, { cwd: ROOT, env: { ...process.env, ...env }, detached: true, stdio: ["ignore", "pipe", "pipe"] });
  const lines: string[] = [];
  for (const stream of [child.stdout, child.stderr]) {
    readline.createInterface({ input: stream!, crlfDelay: Infinity }).on("line", (line) => {
      lines.push(line);
      if (lines.length > 2_000) lines.shift();
      if (options.echo) process.stderr.write(`[${name}] ${line}\n`);
    });
  }
  const exited = new Promise<number>((resolve) => {
    child.once("error", () => resolve(127));
    child.once("exit", (code, signal) => resolve(code ?? (signal ? 128 : 1)));
  });
  const handle: ProcessHandle = { name, child, exited, lines };
  children.add(handle);
  void exited.then(() => children.delete(handle));
  return handle;
}

/** Signals the whole process group. */
export function signal(handle: ProcessHandle, sig: NodeJS.Signals): void {
  if (!handle.child.pid) return;
  try {
    process.kill(-handle.child.pid, sig);
  } catch {
    try {
      handle.child.kill(sig);
    } catch {
      // gone
    }
  }
}

/** SIGTERM, then SIGKILL after `graceMs`; resolves when it has exited. */
export async function stopProcess(handle: ProcessHandle, graceMs = 10_000): Promise<void> {
  if (handle.child.exitCode !== null || handle.child.signalCode !== null) return;
  signal(handle, "SIGTERM");
  const timer = setTimeout(() => signal(handle, "SIGKILL"), graceMs);
  await handle.exited;
  clearTimeout(timer);
}

/** Runs a command to completion; throws with its last output lines when it fails. */
export async function runToEnd(name: string, command: string, args: string[], env: Env, options: { echo?: boolean } = {}): Promise<void> {
  const handle = startProcess(name, command, args, env, options);
  const code = await handle.exited;
  if (code !== 0) throw new Error(`${name} failed (exit ${code}):\n${handle.lines.slice(-30).join("\n")}`);
}

export function bin(tool: string): string {
  return path.join(ROOT, "node_modules", ".bin", tool);
}

export const tsxNode = (file: string, serverConditions = false): [string, string[]] => [
  process.execPath,
  [...(serverConditions ? ["--conditions=react-server"] : []), "--import", "tsx", file],
];

export interface Harness {
  databaseUrl: string;
  database?: RunningPostgres;
  distDir: string;
  env: Env;
  webUrl: string;
  controlPlaneUrl: string;
  web?: ProcessHandle;
  controlPlane?: ProcessHandle;
  worker?: ProcessHandle;
  stop(): Promise<void>;
}

export interface HarnessOptions {
  /** Ports: web, control plane, PostgreSQL (embedded only). */
  webPort: number;
  controlPlanePort: number;
  pgPort: number;
  /** Build directory (kept apart from `.next`, so a dev server or test run is not disturbed). */
  distDir: string;
  build: boolean;
  seed: boolean;
  log: (message: string) => void;
  echo?: boolean;
  /** Extra environment for every process. */
  env?: Env;
}

/** Database (+ migrations, seed) and build; the processes are started separately. */
export async function prepareHarness(options: HarnessOptions): Promise<Harness> {
  const { log } = options;
  let database: RunningPostgres | undefined;
  let databaseUrl = process.env.DATABASE_URL;
  if (!databaseUrl) {
    log(`starting a throw-away PostgreSQL on port ${options.pgPort}`);
    database = await startPostgres({ mode: "test", port: options.pgPort, log: (m) => log(`postgres: ${m}`) });
    databaseUrl = database.url;
  }
  const env: Env = {
    DATABASE_URL: databaseUrl,
    AUTH_SECRET: process.env.AUTH_SECRET ?? HARNESS_AUTH_SECRET,
    AUTH_TRUST_HOST: "true",
    NEXT_TELEMETRY_DISABLED: "1",
    NEXT_DIST_DIR: options.distDir,
    PORTAL_DEV_MAILBOX: "1",
    CONTROL_PLANE_URL: `http://127.0.0.1:${options.controlPlanePort}`,
    CONTROL_PLANE_TOKEN: HARNESS_CP_TOKEN,
    LOG_LEVEL: "warn",
    ...options.env,
  };
  const harness: Harness = {
    databaseUrl,
    database,
    distDir: options.distDir,
    env,
    webUrl: `http://127.0.0.1:${options.webPort}`,
    controlPlaneUrl: `http://127.0.0.1:${options.controlPlanePort}`,
    async stop() {
      await Promise.all([...children].map((c) => stopProcess(c)));
      if (database) await database.stop().catch(() => {});
    },
  };
  try {
    log("prisma generate + migrate deploy");
    if (!existsSync(path.join(ROOT, "generated", "prisma"))) await runToEnd("prisma generate", bin("prisma"), ["generate"], env);
    await runToEnd("prisma migrate", bin("prisma"), ["migrate", "deploy"], env);
    if (options.seed) {
      log("seed");
      await runToEnd("seed", ...tsxNode("prisma/seed.ts", true), env);
    }
    if (options.build || !existsSync(path.join(ROOT, options.distDir, "BUILD_ID"))) {
      log(`next build (into ${options.distDir})`);
      await fs.rm(path.join(ROOT, options.distDir, "cache"), { recursive: true, force: true });
      // Next adds its build directory's type folders to tsconfig.json: keep the file as committed.
      const tsconfig = await fs.readFile(path.join(ROOT, "tsconfig.json"), "utf8");
      try {
        await runToEnd("next build", bin("next"), ["build"], env, { echo: options.echo });
      } finally {
        await fs.writeFile(path.join(ROOT, "tsconfig.json"), tsconfig);
      }
    }
  } catch (error) {
    await harness.stop();
    throw error;
  }
  return harness;
}

export async function startControlPlane(harness: Harness, port: number, env: Env = {}): Promise<ProcessHandle> {
  const handle = startProcess("control-plane", ...tsxNode("control-plane/main.ts"), { ...harness.env, CONTROL_PLANE_PORT: String(port), CP_SIM_SPEED: "20", ...env });
  harness.controlPlane = handle;
  if (!(await waitForHttp(`http://127.0.0.1:${port}/healthz`, { timeoutMs: 60_000, stillWaiting: () => handle.child.exitCode === null }))) {
    throw new Error(`the control plane did not start:\n${handle.lines.slice(-20).join("\n")}`);
  }
  return handle;
}

export async function startWeb(harness: Harness, port: number, env: Env = {}): Promise<ProcessHandle> {
  const handle = startProcess("web", ...tsxNode("server/http/serve.ts"), { ...harness.env, PORT: String(port), HOSTNAME: "127.0.0.1", METRICS_PORT: "0", ...env });
  harness.web = handle;
  if (!(await waitForHttp(`http://127.0.0.1:${port}/readyz`, { timeoutMs: 120_000, stillWaiting: () => handle.child.exitCode === null }))) {
    throw new Error(`the web server did not start:\n${handle.lines.slice(-20).join("\n")}`);
  }
  return handle;
}

export function startWorker(harness: Harness, env: Env = {}): ProcessHandle {
  const handle = startProcess("worker", ...tsxNode("worker/main.ts", true), { ...harness.env, WORKER_HTTP_PORT: "0", ...env });
  harness.worker = handle;
  return handle;
}

/** Stops every child on Ctrl-C / SIGTERM, then exits. */
export function stopOnSignals(harness: () => Harness | undefined): void {
  let stopping = false;
  const onSignal = (sig: NodeJS.Signals) => {
    if (stopping) return;
    stopping = true;
    process.stderr.write(`${sig}: stopping\n`);
    void (async () => {
      await Promise.all([...children].map((c) => stopProcess(c, 3_000)));
      await harness()?.stop();
      process.exit(130);
    })();
  };
  process.on("SIGINT", onSignal);
  process.on("SIGTERM", onSignal);
}

export const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** Exact percentile of a sample (nearest rank). */
export function percentile(values: number[], p: number): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))]!;
}
