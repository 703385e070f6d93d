// The whole local stack in one command.
//   npm run dev                 PostgreSQL (kept) + generate + migrate + seed + next dev (+ more services)
//   npm test [-- unit|e2e|all]  throw-away PostgreSQL + generate + migrate + vitest + next build + seed + Playwright
// Extra arguments after `unit` / `e2e` go to vitest / Playwright (e.g. `npm test -- e2e --grep invoice`).
import { spawn, type ChildProcess } from "node:child_process";
import { randomBytes } from "node:crypto";
import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import * as fs from "node:fs/promises";
import * as os from "node:os";
import * as path from "node:path";
import * as readline from "node:readline";
import { fileURLToPath } from "node:url";
import { startPostgres, type RunningPostgres } from "./pg";
import { waitForHttp } from "./wait-for";

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const TEST_AUTH_SECRET = "portal-test-secret-not-for-production-0123456789abcdef";
const E2E_PORT = process.env.E2E_PORT ?? "3100"; // Playwright's webServer port (PORT in its env)
const DEV_CONTROL_PLANE_PORT = process.env.CONTROL_PLANE_PORT ?? "4010";
const E2E_CONTROL_PLANE_PORT = process.env.E2E_CONTROL_PLANE_PORT ?? "4110"; // beside a running dev stack
const CONTROL_PLANE_TOKEN = process.env.CONTROL_PLANE_TOKEN ?? "dev-control-plane-token";

/** Variables added to a child's environment (NodeJS.ProcessEnv would demand NODE_ENV under Next's types). */
type Env = Record<string, string | undefined>;

// ---------------------------------------------------------------------------------------------
// Long-running processes of `npm run dev`
// ---------------------------------------------------------------------------------------------

interface ServiceSpec {
  /** Prefix for its output lines. */
  name: string;
  command: string;
  args: string[];
  /** Started only when this file (relative to the project) exists. */
  onlyIf?: string;
}

/** ADD MORE DEV PROCESSES HERE. Each gets the dev environment (DATABASE_URL, AUTH_SECRET, ...). */
function devServices(webPort: string): ServiceSpec[] {
  return [
    { name: "web", command: bin("next"), args: ["dev", "-p", webPort] },
    { name: "control-plane", command: process.execPath, args: ["--import", "tsx", "control-plane/main.ts"], onlyIf: "control-plane/main.ts" },
    { name: "worker", command: process.execPath, args: ["--conditions=react-server", "--import", "tsx", "worker/main.ts"], onlyIf: "worker/main.ts" },
  ];
}

// ---------------------------------------------------------------------------------------------
// Process bookkeeping and shutdown
// ---------------------------------------------------------------------------------------------

interface Running {
  name: string;
  child: ChildProcess;
  /** Signal that interrupts it gracefully (Playwright: SIGINT, else SIGTERM). */
  interrupt: NodeJS.Signals;
  done: Promise<number>;
}

const running = new Set<Running>();
/** Process groups we created; swept at shutdown in case a leader died before its children. */
const groups = new Set<number>();
let database: RunningPostgres | undefined;
let shuttingDown = false;
const useColor = process.stdout.isTTY === true;

function say(message: string): void {
  process.stdout.write(`${useColor ? "\x1b[1;36m" : ""}[stack]${useColor ? "\x1b[0m" : ""} ${message}\n`);
}

function bin(tool: string): string {
  const file = path.join(ROOT, "node_modules", ".bin", tool);
  if (!existsSync(file)) throw new Error(`${tool} is not installed: run npm ci first.`);
  return file;
}

/** Starts a child in its own process group; `prefix` pipes its output through `[name] ` prefixes. */
function launch(
  name: string,
  command: string,
  args: string[],
  env: Env,
  options: { prefix: boolean; interrupt?: NodeJS.Signals },
): Running {
  const child = spawn(command, args, {
    cwd: ROOT,
    env: { ...process.env, ...(options.prefix && useColor ? { FORCE_COLOR: "1" } : {}), ...env },
    // Own process group, so that only we signal it (a Ctrl-C reaches the stack, which stops things in order).
    detached: true,
    stdio: options.prefix ? ["ignore", "pipe", "pipe"] : ["ignore", "inherit", "inherit"],
  });
  if (options.prefix) {
    const tag = useColor ? `\x1b[35m[${name}]\x1b[0m ` : `[${name}] `;
    for (const [stream, out] of [[child.stdout, process.stdout], [child.stderr, process.stderr]] as const) {
      if (!stream) continue;
      readline.createInterface({ input: stream, crlfDelay: Infinity }).on("line", (line) => out.write(tag + line + "\n"));
    }
  }
  const done = new Promise<number>((resolve) => {
    child.once("error", (error) => {
      say(`${name}: ${error.message}`);
      resolve(127);
    });
    child.once("exit", (code, signal) => resolve(code ?? (signal ? 128 + signalNumber(signal) : 1)));
  });
  if (child.pid) groups.add(child.pid);
  const entry: Running = { name, child, interrupt: options.interrupt ?? "SIGTERM", done };
  running.add(entry);
  void done.then(() => running.delete(entry));
  return entry;
}

function signalNumber(signal: NodeJS.Signals): number {
  return os.constants.signals[signal] ?? 1;
}

function killGroup(entry: Running, signal: NodeJS.Signals): void {
  const pid = entry.child.pid;
  if (!pid) return;
  try {
    process.kill(-pid, signal);
  } catch {
    try {
      entry.child.kill(signal);
    } catch {
      // gone
    }
  }
}

/** Interrupts every child (SIGKILL after 15 s), waits for them, then stops PostgreSQL. */
async function stopEverything(): Promise<void> {
  const children = [...running];
  for (const entry of children) killGroup(entry, entry.interrupt);
  const timer = setTimeout(() => {
    for (const entry of running) {
      say(`${entry.name} did not stop in time; killing it`);
      killGroup(entry, "SIGKILL");
    }
  }, 15_000);
  await Promise.all(children.map((entry) => entry.done));
  clearTimeout(timer);
  for (const pgid of groups) {
    try {
      process.kill(-pgid, "SIGTERM"); // leftovers of a group whose leader already exited
    } catch {
      // group is empty
    }
  }
  if (database) {
    const db = database;
    database = undefined;
    await db.stop().catch((error: unknown) => say(`stopping PostgreSQL failed: ${String(error)}`));
  }
}

async function shutdown(code: number, reason?: string): Promise<never> {
  if (!shuttingDown) {
    shuttingDown = true;
    if (reason) say(reason);
    await stopEverything();
  }
  process.exit(code);
}

function installSignalHandlers(): void {
  let firstSignalAt: number | undefined;
  const onSignal = (signal: NodeJS.Signals): void => {
    if (firstSignalAt === undefined) {
      firstSignalAt = Date.now();
      void shutdown(128 + signalNumber(signal), `${signal}: stopping`);
    } else if (Date.now() - firstSignalAt > 1_500) {
      // A terminal Ctrl-C arrives twice at once (from the tty and forwarded by npm); only a later one forces.
      say(`${signal} again: killing the remaining processes`);
      for (const entry of running) killGroup(entry, "SIGKILL");
    }
  };
  process.on("SIGINT", onSignal);
  process.on("SIGTERM", onSignal);
  process.on("SIGHUP", onSignal);
  // Watchdog: if whoever started us dies (we get re-parented), stop everything.
  const parent = process.ppid;
  setInterval(() => {
    if (process.ppid !== parent) void shutdown(129, `parent process ${parent} is gone: stopping`);
  }, 1_000).unref();
}

// ---------------------------------------------------------------------------------------------
// Steps
// ---------------------------------------------------------------------------------------------

const timings: { name: string; seconds: number; ok: boolean }[] = [];

class StepFailed extends Error {
  constructor(
    readonly step: string,
    readonly code: number,
  ) {
    super(`${step} failed (exit ${code})`);
  }
}

/** Runs one named step, printing its name and duration; a non-zero exit code throws StepFailed. */
async function step(name: string, work: () => Promise<number | void>): Promise<void> {
  say(`▶ ${name}`);
  const started = performance.now();
  let code: number;
  try {
    code = (await work()) ?? 0;
  } catch (error) {
    if (shuttingDown) await new Promise<never>(() => {}); // the signal handler exits
    say(`${name}: ${error instanceof Error ? error.message : String(error)}`);
    code = 1;
  }
  const seconds = (performance.now() - started) / 1000;
  timings.push({ name, seconds, ok: code === 0 });
  if (shuttingDown) await new Promise<never>(() => {});
  if (code !== 0) {
    say(`✖ ${name} failed (exit ${code}) after ${seconds.toFixed(1)} s`);
    throw new StepFailed(name, code);
  }
  say(`✔ ${name} (${seconds.toFixed(1)} s)`);
}

/** Runs a command to completion as part of a step and returns its exit code. */
function run(name: string, command: string, args: string[], env: Env, options: { prefix: boolean; interrupt?: NodeJS.Signals }): Promise<number> {
  return launch(name, command, args, env, options).done;
}

function printTimings(): void {
  if (timings.length === 0) return;
  const width = Math.max(...timings.map((t) => t.name.length));
  say("timings:");
  for (const t of timings) say(`  ${t.ok ? "✔" : "✖"} ${t.name.padEnd(width)}  ${t.seconds.toFixed(1).padStart(6)} s`);
  say(`  total ${timings.reduce((sum, t) => sum + t.seconds, 0).toFixed(1)} s`);
}

/** `generated/prisma` is up to date when its newest file is newer than the schema. */
function clientIsFresh(): boolean {
  const generated = path.join(ROOT, "generated", "prisma");
  const schema = path.join(ROOT, "prisma", "schema.prisma");
  if (!existsSync(generated) || !existsSync(schema)) return false;
  const newest = Math.max(...readdirSync(generated).map((f) => statSync(path.join(generated, f)).mtimeMs));
  return newest > statSync(schema).mtimeMs;
}

/** AUTH_SECRET from the environment or `.env`; generated and appended to `.env` when absent. */
async function ensureAuthSecret(): Promise<string> {
  if (process.env.AUTH_SECRET) return process.env.AUTH_SECRET;
  const envFile = path.join(ROOT, ".env");
  const content = existsSync(envFile) ? readFileSync(envFile, "utf8") : "";
  const match = /^\s*(?:export\s+)?AUTH_SECRET\s*=\s*["']?([^"'\r\n]+)["']?\s*$/m.exec(content);
  if (match?.[1]) return match[1].trim();
  const secret = randomBytes(32).toString("base64url");
  const prefix = content === "" || content.endsWith("\n") ? "" : "\n";
  await fs.appendFile(envFile, `${prefix}# Generated by scripts/stack.ts for local development.\nAUTH_SECRET=${secret}\n`, { mode: 0o600 });
  say("generated AUTH_SECRET in .env");
  return secret;
}

async function seed(env: Env, prefix: boolean): Promise<number> {
  if (!existsSync(path.join(ROOT, "prisma", "seed.ts"))) {
    say("prisma/seed.ts does not exist yet: skipping the seed");
    return 0;
  }
  return run("seed", process.execPath, ["--conditions=react-server", "--import", "tsx", "prisma/seed.ts"], env, { prefix });
}

async function prepareDatabase(env: Env, prefix: boolean, generateAlways: boolean): Promise<void> {
  await step("prisma generate", async () => {
    if (!generateAlways && clientIsFresh()) {
      say("generated/prisma is newer than the schema: skipped");
      return 0;
    }
    return run("prisma", bin("prisma"), ["generate"], env, { prefix });
  });
  await step("prisma migrate deploy", () => run("prisma", bin("prisma"), ["migrate", "deploy"], env, { prefix }));
}

// ---------------------------------------------------------------------------------------------
// dev
// ---------------------------------------------------------------------------------------------

async function dev(): Promise<void> {
  const webPort = process.env.PORT ?? "3000";
  const authSecret = await ensureAuthSecret();
  await step("postgres", async () => {
    database = await startPostgres({ mode: "dev", log: (m) => say(`postgres: ${m}`) });
  });
  const env: Env = {
    DATABASE_URL: database?.url,
    AUTH_SECRET: authSecret,
    AUTH_TRUST_HOST: "true",
    PORTAL_DEV_MAILBOX: "1",
    NEXT_TELEMETRY_DISABLED: "1",
    CONTROL_PLANE_PORT: DEV_CONTROL_PLANE_PORT,
    CONTROL_PLANE_URL: process.env.CONTROL_PLANE_URL ?? `http://127.0.0.1:${DEV_CONTROL_PLANE_PORT}`,
    CONTROL_PLANE_TOKEN,
  };
  await prepareDatabase(env, true, false);
  await step("seed", () => seed(env, true));

  const services = devServices(webPort).filter((s) => !s.onlyIf || existsSync(path.join(ROOT, s.onlyIf)));
  for (const service of services) {
    const entry = launch(service.name, service.command, service.args, env, { prefix: true });
    void entry.done.then((code) => {
      if (!shuttingDown) void shutdown(code === 0 ? 1 : code, `${service.name} exited (code ${code}): stopping everything`);
    });
  }

  const appUrl = `http://localhost:${webPort}`;
  if (await waitForHttp(`http://127.0.0.1:${webPort}/`, { timeoutMs: 300_000, stillWaiting: () => !shuttingDown })) {
    await printBanner(appUrl, services.map((s) => s.name));
  } else if (!shuttingDown) {
    say(`${appUrl} does not answer yet; keep watching the [web] output`);
  }
}

async function printBanner(appUrl: string, services: string[]): Promise<void> {
  let accounts: { email: string; password: string; description: string }[] = [];
  try {
    ({ DEMO_ACCOUNTS: accounts } = await import("../prisma/demo-accounts"));
  } catch (error) {
    say(`could not load prisma/demo-accounts.ts: ${String(error)}`);
  }
  const lines = [
    `Portal:    ${appUrl}`,
    `Running:   ${services.join(", ")} + PostgreSQL`,
    `Database:  ${database?.url ?? "?"}`,
    process.env.SMTP_URL ? "Mail:      sent through SMTP_URL" : `Mailbox:   ${appUrl}/dev/mailbox (every e-mail the portal sends)`,
    "Approve:   npm run org:approve -- <organisation number>  (pending organisations)",
  ];
  if (accounts.length > 0) {
    lines.push("", "Demo sign-ins:");
    const emailWidth = Math.max(...accounts.map((a) => a.email.length));
    const passwordWidth = Math.max(...accounts.map((a) => a.password.length));
    for (const a of accounts) lines.push(`  ${a.email.padEnd(emailWidth)}  ${a.password.padEnd(passwordWidth)}  ${a.description}`);
  }
  lines.push("", "Ctrl-C stops everything.");
  const width = Math.max(...lines.map((l) => l.length));
  const bar = "═".repeat(width + 2);
  const out = [`╔${bar}╗`, ...lines.map((l) => `║ ${l.padEnd(width)} ║`), `╚${bar}╝`];
  process.stdout.write(`\n${out.join("\n")}\n\n`);
}

// ---------------------------------------------------------------------------------------------
// test
// ---------------------------------------------------------------------------------------------

async function test(args: string[]): Promise<void> {
  const [first, ...rest] = args;
  const selection = first === "unit" || first === "e2e" || first === "all" ? first : "all";
  const extra = selection === "all" && first !== "all" ? args : rest;
  if (selection === "all" && extra.length > 0) {
    throw new Error(`unknown arguments: ${extra.join(" ")} (use: npm test [-- unit|e2e|all] [tool args])`);
  }

  await step("postgres", async () => {
    database = await startPostgres({ mode: "test", log: (m) => say(`postgres: ${m}`) });
  });
  const dbUrl = database?.url;
  await prepareDatabase({ DATABASE_URL: dbUrl }, false, true);

  if (selection !== "e2e") {
    await step("vitest", () => run("vitest", bin("vitest"), ["run", ...(selection === "unit" ? extra : [])], { DATABASE_URL: dbUrl }, { prefix: false }));
  }
  if (selection !== "unit") {
    const buildEnv: Env = { DATABASE_URL: dbUrl, AUTH_SECRET: TEST_AUTH_SECRET, NEXT_TELEMETRY_DISABLED: "1" };
    await step("next build", async () => {
      await fs.rm(path.join(ROOT, ".next", "cache"), { recursive: true, force: true });
      return run("next", bin("next"), ["build"], buildEnv, { prefix: false });
    });
    const e2eEnv: Env = {
      ...buildEnv,
      AUTH_TRUST_HOST: "true",
      PORTAL_DEV_MAILBOX: "1",
      PORT: E2E_PORT,
      CONTROL_PLANE_URL: `http://127.0.0.1:${E2E_CONTROL_PLANE_PORT}`,
      CONTROL_PLANE_TOKEN,
    };
    await step("seed", () => seed(e2eEnv, false));
    const controlPlane = await startE2eControlPlane(e2eEnv);
    try {
      await step("playwright", () =>
        run("playwright", bin("playwright"), ["test", ...(selection === "e2e" ? extra : [])], e2eEnv, { prefix: false, interrupt: "SIGINT" }),
      );
    } finally {
      if (controlPlane) {
        killGroup(controlPlane, controlPlane.interrupt);
        await controlPlane.done;
      }
    }
  }
}

/** The simulated control plane (10x speed) for the browser tests, once it answers; undefined without it. */
async function startE2eControlPlane(env: Env): Promise<Running | undefined> {
  if (!existsSync(path.join(ROOT, "control-plane", "main.ts"))) return undefined;
  let entry: Running | undefined;
  await step("control plane", async () => {
    const started = launch("control-plane", process.execPath, ["--import", "tsx", "control-plane/main.ts"], { ...env, CONTROL_PLANE_PORT: E2E_CONTROL_PLANE_PORT, CP_SIM_SPEED: "10" }, { prefix: true });
    entry = started;
    const up = await waitForHttp(`${env.CONTROL_PLANE_URL}/healthz`, { timeoutMs: 60_000, stillWaiting: () => running.has(started) });
    return up ? 0 : 1;
  });
  return entry;
}

// ---------------------------------------------------------------------------------------------

async function main(): Promise<void> {
  const [command, ...args] = process.argv.slice(2);
  installSignalHandlers();
  try {
    if (command === "dev") await dev();
    else if (command === "test") {
      await test(args);
      printTimings();
      await shutdown(0);
    } else {
      process.stderr.write("usage: node --import tsx scripts/stack.ts dev | test [unit|e2e|all] [tool args]\n");
      process.exit(2);
    }
  } catch (error) {
    printTimings();
    if (error instanceof StepFailed) await shutdown(error.code || 1);
    await shutdown(1, error instanceof Error ? error.message : String(error));
  }
}

await main();
