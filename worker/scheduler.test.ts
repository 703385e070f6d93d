// Job locks across replicas and loop health, on the real database: two schedulers stand for two worker
// replicas (each with its own lock connections and its own metrics).
import pg from "pg";
import { afterEach, describe, expect, it } from "vitest";
import { createLogger } from "@/server/observability/log";
import { createMetrics, type PortalMetrics } from "@/server/observability/metrics";
import { createJobLock, jobLockKey } from "./job-lock";
import { createScheduler } from "./scheduler";

const url = () => process.env.DATABASE_URL!;
const cleanup: Array<() => Promise<void>> = [];
afterEach(async () => {
  while (cleanup.length > 0) await cleanup.pop()!();
});

function deferred() {
  let resolve!: () => void;
  const promise = new Promise<void>((r) => (resolve = r));
  return { promise, resolve };
}

function replica(options: { now?: () => number; staleFloorMs?: number } = {}) {
  const metrics = createMetrics();
  const lines: Array<Record<string, unknown>> = [];
  const log = createLogger("worker", { write: (line) => lines.push(JSON.parse(line) as Record<string, unknown>) });
  const scheduler = createScheduler({ connectionString: url(), metrics, log, ...options });
  cleanup.push(() => scheduler.stop());
  return { scheduler, metrics, lines };
}

async function runs(metrics: PortalMetrics, job: string): Promise<Record<string, number>> {
  const values = (await metrics.jobRuns.get()).values.filter((v) => v.labels.job === job);
  return Object.fromEntries(values.map((v) => [String(v.labels.outcome), v.value]));
}

async function advisoryLocksHeld(key: bigint): Promise<number> {
  const client = new pg.Client({ connectionString: url() });
  await client.connect();
  try {
    // A bigint key is stored as classid (high 32 bits) and objid (low 32 bits), objsubid 1.
    const { rows } = await client.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM pg_locks WHERE locktype = 'advisory' AND objsubid = 1 AND granted
         AND ((classid::bigint << 32) | objid::bigint) = $1::bigint`,
      [key.toString()],
    );
    return rows[0]?.n ?? 0;
  } finally {
    await client.end();
  }
}

describe("job locks across replicas", () => {
  it("has a stable key per job", () => {
    expect(jobLockKey("month-close")).toBe(jobLockKey("month-close"));
    expect(jobLockKey("month-close")).not.toBe(jobLockKey("deliver-email"));
    // Fixed by definition (SHA-256 of "portal-worker:<job>"): a release must never change it.
    expect(jobLockKey("reconcile-workbenches")).toBe(-3629843084382327857n);
  });

  it("runs a job in one replica while the other skips it, then lets the other run", async () => {
    const a = replica();
    const b = replica();
    const gate = deferred();
    const entered = deferred();
    let ranInA = 0;
    let ranInB = 0;
    a.scheduler.add({
      name: "month-close",
      intervalMs: 1000,
      run: async () => {
        ranInA++;
        entered.resolve();
        await gate.promise;
      },
    });
    b.scheduler.add({ name: "month-close", intervalMs: 1000, run: async () => void ranInB++ });

    const first = a.scheduler.runOnce("month-close");
    await entered.promise;
    expect(await advisoryLocksHeld(jobLockKey("month-close"))).toBe(1);
    expect(await b.scheduler.runOnce("month-close")).toBe("skipped");
    expect(await b.scheduler.runOnce("month-close")).toBe("skipped");
    expect(ranInB).toBe(0);
    gate.resolve();
    expect(await first).toBe("ok");
    expect(await advisoryLocksHeld(jobLockKey("month-close"))).toBe(0);

    expect(await b.scheduler.runOnce("month-close")).toBe("ok");
    expect(ranInB).toBe(1);
    expect(ranInA).toBe(1);
    expect(await runs(a.metrics, "month-close")).toEqual({ ok: 1, error: 0, skipped: 0 });
    expect(await runs(b.metrics, "month-close")).toEqual({ ok: 1, error: 0, skipped: 2 });
    // Skipped runs are not timed; runs that worked are.
    const durations = (await b.metrics.jobDuration.get()).values.find((v) => v.metricName === "portal_job_duration_seconds_count" && v.labels.job === "month-close");
    expect(durations?.value).toBe(1);
  });

  it("lets exactly one of many simultaneous attempts run", async () => {
    const replicas = Array.from({ length: 4 }, () => replica());
    let concurrent = 0;
    let maxConcurrent = 0;
    for (const r of replicas) {
      r.scheduler.add({
        name: "ingest-usage",
        intervalMs: 1000,
        run: async () => {
          concurrent++;
          maxConcurrent = Math.max(maxConcurrent, concurrent);
          await new Promise((resolve) => setTimeout(resolve, 150));
          concurrent--;
        },
      });
    }
    const outcomes = await Promise.all(replicas.map((r) => r.scheduler.runOnce("ingest-usage")));
    expect(outcomes.filter((o) => o === "ok")).toHaveLength(1);
    expect(outcomes.filter((o) => o === "skipped")).toHaveLength(3);
    expect(maxConcurrent).toBe(1);
  });

  it("releases the lock when the job fails, and logs the failure with the error", async () => {
    const a = replica();
    const b = replica();
    a.scheduler.add({
      name: "check-budgets",
      intervalMs: 1000,
      run: async () => {
        throw Object.assign(new Error("budget query failed"), { code: "57P01" });
      },
    });
    b.scheduler.add({ name: "check-budgets", intervalMs: 1000, run: async () => undefined });
    expect(await a.scheduler.runOnce("check-budgets")).toBe("error");
    expect(await b.scheduler.runOnce("check-budgets")).toBe("ok");
    expect(await runs(a.metrics, "check-budgets")).toEqual({ ok: 0, error: 1, skipped: 0 });
    expect(a.lines).toContainEqual(
      expect.objectContaining({ level: "error", event: "job_failed", job: "check-budgets", error: expect.objectContaining({ message: "budget query failed", code: "57P01" }) }),
    );
  });

  it("recovers when the lock connection is killed: the server drops the lock and the next run reconnects", async () => {
    const errors: unknown[] = [];
    const lock = createJobLock("cull-idle", { connectionString: url(), onConnectionError: (e) => errors.push(e) });
    const other = createJobLock("cull-idle", { connectionString: url() });
    cleanup.push(() => lock.close(), () => other.close());
    const admin = new pg.Client({ connectionString: url() });
    await admin.connect();
    cleanup.push(() => admin.end());

    const result = await lock.tryRun(async () => {
      // An operator (or a failover) ends the lock's session in the middle of the run.
      await admin.query("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = 'portal-worker lock cull-idle' AND datname = current_database()");
      await new Promise((resolve) => setTimeout(resolve, 100));
      return "done";
    });
    expect(result).toEqual({ ran: true, value: "done" });
    expect(errors.length).toBeGreaterThan(0);
    expect(await advisoryLocksHeld(lock.key)).toBe(0);
    expect(await other.tryRun(async () => "other")).toEqual({ ran: true, value: "other" });
    expect(await lock.tryRun(async () => "again")).toEqual({ ran: true, value: "again" });
  });

  it("never lets two runs of one replica overlap (session locks are re-entrant)", async () => {
    const lock = createJobLock("deliver-email", { connectionString: url() });
    cleanup.push(() => lock.close());
    const gate = deferred();
    const first = lock.tryRun(() => gate.promise);
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(await lock.tryRun(async () => "second")).toEqual({ ran: false });
    gate.resolve();
    expect(await first).toEqual({ ran: true, value: undefined });
  });
});

describe("loop health", () => {
  function clock(start = 1_000_000) {
    let now = start;
    return { now: () => now, advance: (ms: number) => void (now += ms) };
  }

  it("is healthy while every loop completed a run within 3x its interval, and names the stale loop", async () => {
    const time = clock();
    const { scheduler } = replica({ now: time.now, staleFloorMs: 0 });
    scheduler.add({ name: "deliver-email", intervalMs: 5000, run: async () => undefined });
    scheduler.add({ name: "month-close", intervalMs: 300_000, run: async () => undefined });
    expect(scheduler.health()).toMatchObject({ ok: true, stale: [] });

    await scheduler.runOnce("deliver-email");
    await scheduler.runOnce("month-close");
    time.advance(15_000);
    expect(scheduler.health().ok).toBe(true);
    time.advance(1);
    const report = scheduler.health();
    expect(report).toMatchObject({ ok: false, stale: ["deliver-email"] });
    expect(report.loops.find((l) => l.job === "deliver-email")).toMatchObject({ stale: true, staleAfterMs: 15_000, lastOutcome: "ok" });
    expect(report.loops.find((l) => l.job === "month-close")).toMatchObject({ stale: false, staleAfterMs: 900_000 });

    // A skipped run counts: the loop is alive, another replica did the work.
    await scheduler.runOnce("deliver-email");
    expect(scheduler.health().ok).toBe(true);
  });

  it("counts a started loop that never finishes its first run as stale, and keeps a floor for short intervals", async () => {
    const time = clock();
    const { scheduler } = replica({ now: time.now, staleFloorMs: 60_000 });
    const gate = deferred();
    scheduler.add({ name: "reconcile-workbenches", intervalMs: 3000, run: () => gate.promise });
    scheduler.start();
    await new Promise((resolve) => setTimeout(resolve, 50));
    time.advance(59_000);
    expect(scheduler.health()).toMatchObject({ ok: true, loops: [{ job: "reconcile-workbenches", running: true, lastCompletedAt: null, staleAfterMs: 60_000 }] });
    time.advance(2_000);
    expect(scheduler.health()).toMatchObject({ ok: false, stale: ["reconcile-workbenches"] });
    gate.resolve();
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(scheduler.health()).toMatchObject({ ok: true, loops: [{ lastOutcome: "ok", running: false }] });
  });
});
