// What every resilience scenario gets from the runner: the running stack, a database connection,
// signed-in portal users, and helpers to restart processes and record figures.
import { readFileSync } from "node:fs";
import * as path from "node:path";
import pg from "pg";
import { HARNESS_CP_TOKEN, ROOT, sleep, startControlPlane, startWeb, startWorker, stopProcess, type Harness, type ProcessHandle } from "../lib/harness";

export const PORTS = { web: 3400, webMetrics: 3401, controlPlane: 4410, postgres: 54379 } as const;
export const DIST_DIR = ".next-resilience";

/**
 * Extra environment of the web process: one server process, so its RSS is the whole web app; the V8
 * heap limit the deployment gives it (deploy/k8s/base/web.yaml; without one, V8 sizes its heap from the
 * host's memory and RSS says more about the host than about the app); its Prometheus metrics (heap
 * figures) on loopback; start, drain and stop lines in its output.
 */
export const WEB_ENV = {
  WEB_CONCURRENCY: "1",
  LOG_LEVEL: "info",
  METRICS_PORT: String(PORTS.webMetrics),
  NODE_OPTIONS: [process.env.NODE_OPTIONS, deployedNodeOptions("web")].filter(Boolean).join(" "),
};

/** NODE_OPTIONS of a service in the Kubernetes base manifests ("" when there is none). */
function deployedNodeOptions(service: string): string {
  try {
    const manifest = readFileSync(path.join(ROOT, "deploy", "k8s", "base", `${service}.yaml`), "utf8");
    return /- name: NODE_OPTIONS\s+value: "([^"]*)"/.exec(manifest)?.[1] ?? "";
  } catch {
    return "";
  }
}
/** The simulated control plane runs 20 times faster than real time (a launch takes a few seconds). */
export const CP_ENV = { CP_SIM_SPEED: "20" } as const;
/** The worker reconciles every 2 s (default 3 s) so convergence bounds stay short. */
export const WORKER_ENV = { WORKER_RECONCILE_MS: "2000" } as const;

export interface RunOptions {
  short: boolean;
  /** --minutes N: length of the soak (full form default 5, short form 1.25). */
  minutes?: number;
}

export interface ScenarioOutcome {
  /** Figures to print and to write to the JSON report. */
  figures: Record<string, unknown>;
  /** Broken requirements; any makes the run fail. */
  failures: string[];
  /** Observations about the application worth a look that do not fail the run (proposals, warnings). */
  notes: string[];
}

export interface ScenarioContext {
  harness: Harness;
  options: RunOptions;
  log: (line: string) => void;
  db: pg.Pool;
  baseUrl: string;
  distDir: string;
  /** (Re)starts the control plane; the old process must have exited. */
  startControlPlane(env?: Record<string, string>): Promise<ProcessHandle>;
  startWorker(env?: Record<string, string>): ProcessHandle;
  /** Starts whichever of web, control plane and worker is not running (after a failed scenario). */
  ensureStack(): Promise<void>;
}

export function createContext(harness: Harness, options: RunOptions, log: (line: string) => void): ScenarioContext {
  const db = new pg.Pool({ connectionString: harness.databaseUrl, max: 4, connectionTimeoutMillis: 5_000 });
  db.on("error", () => {}); // idle connections dropped while PostgreSQL restarts
  const ctx: ScenarioContext = {
    harness,
    options,
    log,
    db,
    baseUrl: harness.webUrl,
    distDir: harness.distDir,
    startControlPlane: (env = {}) => startControlPlane(harness, PORTS.controlPlane, { ...CP_ENV, ...env }),
    startWorker: (env = {}) => startWorker(harness, { ...WORKER_ENV, ...env }),
    async ensureStack() {
      if (!alive(harness.controlPlane)) await ctx.startControlPlane();
      if (!alive(harness.web)) await startWeb(harness, PORTS.web, WEB_ENV);
      if (!alive(harness.worker)) ctx.startWorker();
    },
  };
  return ctx;
}

export function alive(handle: ProcessHandle | undefined): boolean {
  return !!handle && handle.child.exitCode === null && handle.child.signalCode === null;
}

/** Why a process is gone: exit code or signal, and its last lines (a "draining" line names a signal sent from outside). */
export function describeExit(name: string, handle: ProcessHandle | undefined, lines = 4): string {
  if (!handle) return `the ${name} process was never started`;
  const { exitCode, signalCode } = handle.child;
  const tail = handle.lines
    .slice(-lines)
    .filter((l) => l.trim() !== "")
    .map((l) => (l.length > 300 ? `${l.slice(0, 300)}...` : l.trim()));
  return `the ${name} process (pid ${handle.child.pid}) exited (${signalCode ? `signal ${signalCode}` : `code ${exitCode}`}); last lines: ${tail.join(" | ") || "none"}`;
}

/** The web log's account of an error the browser saw only as a digest: `name: message` of the request_error line. */
export function explainDigest(handle: ProcessHandle | undefined, digest: string): string | undefined {
  const line = handle?.lines.find((l) => l.includes(`"digest":"${digest}"`) && l.includes('"error"'));
  if (!line) return undefined;
  try {
    const parsed = JSON.parse(line) as { routePath?: string; error?: { name?: string; message?: string; code?: string } };
    return `${parsed.routePath ?? "?"}: ${parsed.error?.name ?? "Error"}: ${parsed.error?.message ?? ""}${parsed.error?.code ? ` (${parsed.error.code})` : ""}`.slice(0, 300);
  } catch {
    return line.slice(0, 300);
  }
}

/** Stops a process if it runs (SIGTERM, then SIGKILL). */
export async function stopIfRunning(handle: ProcessHandle | undefined, graceMs = 10_000): Promise<void> {
  if (handle && alive(handle)) await stopProcess(handle, graceMs);
}

// ---------------------------------------------------------------------------------------------
// Process figures
// ---------------------------------------------------------------------------------------------

/** Resident set size of a process, MB (VmRSS from /proc), or null when it is gone. */
export function rssMb(pid: number | undefined): number | null {
  if (!pid) return null;
  try {
    const match = /^VmRSS:\s+(\d+)\s+kB/m.exec(readFileSync(`/proc/${pid}/status`, "utf8"));
    return match ? Number(match[1]) / 1024 : null;
  } catch {
    return null;
  }
}

/** V8 heap figures of the web process from its metrics endpoint, MB; null when it does not answer. */
export async function webHeapMb(): Promise<{ heapUsedMb: number; heapTotalMb: number; externalMb: number } | null> {
  try {
    const response = await fetch(`http://127.0.0.1:${PORTS.webMetrics}/metrics`, { signal: AbortSignal.timeout(5_000) });
    const text = await response.text();
    const value = (name: string) => Number(new RegExp(`^${name}(?:\\{[^}]*\\})? ([0-9.e+]+)`, "m").exec(text)?.[1] ?? Number.NaN) / 1024 / 1024;
    return { heapUsedMb: value("nodejs_heap_size_used_bytes"), heapTotalMb: value("nodejs_heap_size_total_bytes"), externalMb: value("nodejs_external_memory_bytes") };
  } catch {
    return null;
  }
}

const ERROR_LINE = /"level":\s*"(error|fatal)"|^\s*(⨯|\w*Error\b)|\[auth\]\[error\]|Unhandled|uncaught|ECONNRESET|ECONNREFUSED/i;

/** Collects the lines a process prints from now on that look like errors (or match `pattern`), until `stop()`. */
export function watchErrors(handle: ProcessHandle | undefined, pattern = ERROR_LINE): { lines: string[]; count: () => number; stop: () => void } {
  const lines: string[] = [];
  let count = 0;
  const streams = handle ? [handle.child.stdout, handle.child.stderr].filter((s) => s !== null) : [];
  let pending = "";
  const onData = (chunk: Buffer) => {
    const text = pending + chunk.toString("utf8");
    const parts = text.split("\n");
    pending = parts.pop() ?? "";
    for (const line of parts) {
      if (!pattern.test(line)) continue;
      count++;
      if (lines.length < 200) lines.push(line.length > 600 ? `${line.slice(0, 600)}...` : line);
    }
  };
  for (const s of streams) s.on("data", onData);
  return { lines, count: () => count, stop: () => streams.forEach((s) => s.off("data", onData)) };
}

// ---------------------------------------------------------------------------------------------
// Small helpers
// ---------------------------------------------------------------------------------------------

export { sleep };

export const round = (n: number, digits = 0): number => {
  const f = 10 ** digits;
  return Math.round(n * f) / f;
};

export function median(values: number[]): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}


/** Waits until `check` returns a value other than undefined, or the timeout passes (then undefined). */
export async function waitUntil<T>(check: () => Promise<T | undefined>, timeoutMs: number, intervalMs = 500): Promise<T | undefined> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check().catch(() => undefined);
    if (value !== undefined) return value;
    if (Date.now() >= deadline) return undefined;
    await sleep(intervalMs);
  }
}

/** The control plane's service token (the harness gives every process the same one). */
export const CONTROL_PLANE_TOKEN = HARNESS_CP_TOKEN;
