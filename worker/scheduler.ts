// The worker's loops: each job runs every `intervalMs` (after the previous run ended), under its advisory
// lock (job-lock.ts), and every run is counted (portal_job_runs_total{job, outcome}) and timed
// (portal_job_duration_seconds{job}, runs that did the work). The scheduler also knows whether its loops
// are alive: a loop is stale when it has not completed a run (ok, error or skipped) within
// max(3 x its interval, staleFloorMs), counted from the loop's start before its first run.
import type { Logger } from "../server/observability/log";
import type { JobOutcome, PortalMetrics } from "../server/observability/metrics";
import { createJobLock, type JobLock } from "./job-lock";

export interface JobSpec {
  /** Stable name: the lock key, the `job` label and the log field. */
  name: string;
  intervalMs: number;
  run: () => Promise<void>;
}

export interface SchedulerOptions {
  connectionString: string;
  metrics: PortalMetrics;
  log: Logger;
  /** Lower bound of the staleness threshold, ms (a slow dependency should not make a short loop look dead). Default 60 000. */
  staleFloorMs?: number;
  /** Clock in ms; default Date.now. */
  now?: () => number;
}

export interface LoopHealth {
  job: string;
  intervalMs: number;
  staleAfterMs: number;
  lastOutcome: JobOutcome | null;
  /** ISO time of the last completed run, or null. */
  lastCompletedAt: string | null;
  running: boolean;
  stale: boolean;
}

export interface HealthReport {
  ok: boolean;
  loops: LoopHealth[];
  /** Names of the stale loops. */
  stale: string[];
}

interface Loop {
  spec: JobSpec;
  lock: JobLock;
  startedAt: number | null;
  lastCompletedAt: number | null;
  lastOutcome: JobOutcome | null;
  running: boolean;
  wake?: () => void;
  done?: Promise<void>;
}

export interface Scheduler {
  add(spec: JobSpec): void;
  /** Starts every loop (a first run at once). */
  start(): void;
  /** One run of a job now, under its lock; resolves with its outcome. */
  runOnce(name: string): Promise<JobOutcome>;
  health(): HealthReport;
  /** Stops the loops after their current runs and closes the lock connections. */
  stop(): Promise<void>;
}

export function createScheduler(options: SchedulerOptions): Scheduler {
  const { metrics, log } = options;
  const now = options.now ?? Date.now;
  const staleFloorMs = options.staleFloorMs ?? 60_000;
  const loops = new Map<string, Loop>();
  let stopping = false;

  function loopOf(name: string): Loop {
    const loop = loops.get(name);
    if (!loop) throw new Error(`no job named ${name}`);
    return loop;
  }

  async function runOnce(name: string): Promise<JobOutcome> {
    const loop = loopOf(name);
    const job = loop.spec.name;
    const started = process.hrtime.bigint();
    loop.running = true;
    let outcome: JobOutcome;
    try {
      const result = await loop.lock.tryRun(loop.spec.run);
      outcome = result.ran ? "ok" : "skipped";
    } catch (error) {
      outcome = "error";
      log.error("job_failed", { job, error });
    } finally {
      loop.running = false;
    }
    metrics.jobRuns.inc({ job, outcome });
    if (outcome !== "skipped") metrics.jobDuration.observe({ job }, Number(process.hrtime.bigint() - started) / 1e9);
    loop.lastCompletedAt = now();
    loop.lastOutcome = outcome;
    return outcome;
  }

  async function run(loop: Loop): Promise<void> {
    loop.startedAt = now();
    while (!stopping) {
      await runOnce(loop.spec.name);
      if (stopping) break;
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, loop.spec.intervalMs);
        loop.wake = () => {
          clearTimeout(timer);
          resolve();
        };
      });
      loop.wake = undefined;
    }
  }

  return {
    add(spec) {
      if (loops.has(spec.name)) throw new Error(`job ${spec.name} is already scheduled`);
      if (!(spec.intervalMs > 0)) throw new Error(`job ${spec.name} needs a positive interval (got ${spec.intervalMs})`);
      const lock = createJobLock(spec.name, {
        connectionString: options.connectionString,
        onConnectionError: (error) => log.warn("job_lock_connection_error", { job: spec.name, error }),
      });
      loops.set(spec.name, { spec, lock, startedAt: null, lastCompletedAt: null, lastOutcome: null, running: false });
      // Every label pair exists from the start, so rates and alerts work before the first failure.
      for (const outcome of ["ok", "error", "skipped"] as const) metrics.jobRuns.inc({ job: spec.name, outcome }, 0);
    },
    start() {
      for (const loop of loops.values()) {
        if (loop.done) continue;
        loop.done = run(loop);
      }
    },
    runOnce,
    health() {
      const at = now();
      const report = [...loops.values()].map((loop): LoopHealth => {
        const staleAfterMs = Math.max(3 * loop.spec.intervalMs, staleFloorMs);
        const since = loop.lastCompletedAt ?? loop.startedAt;
        return {
          job: loop.spec.name,
          intervalMs: loop.spec.intervalMs,
          staleAfterMs,
          lastOutcome: loop.lastOutcome,
          lastCompletedAt: loop.lastCompletedAt === null ? null : new Date(loop.lastCompletedAt).toISOString(),
          running: loop.running,
          // A loop that was never started (runOnce only) is judged by its runs alone.
          stale: since !== null && at - since > staleAfterMs,
        };
      });
      const stale = report.filter((l) => l.stale).map((l) => l.job);
      return { ok: stale.length === 0, loops: report, stale };
    },
    async stop() {
      stopping = true;
      for (const loop of loops.values()) loop.wake?.();
      await Promise.all([...loops.values()].map((loop) => loop.done ?? Promise.resolve()));
      await Promise.all([...loops.values()].map((loop) => loop.lock.close()));
    },
  };
}
