// One job at a time across worker replicas: every run of a job first takes a PostgreSQL session advisory
// lock, pg_try_advisory_lock(<key of the job>), on a connection of its own, and skips the run when
// another replica holds it. The lock is released after the run; if that cannot be confirmed (the
// connection broke, the unlock failed), the connection is closed, which releases every lock it held on
// the server, and the next run opens a new one.
//
// The work itself runs on the application's own pool. Should the lock connection die during a run, the
// lock is gone while the run goes on; every job is safe to run twice (row locks, SKIP LOCKED, idempotent
// steps), the lock only keeps replicas from doing the same work at the same time.
import { createHash } from "node:crypto";
import pg from "pg";

/** The advisory lock key of a job: the first 8 bytes of SHA-256("portal-worker:" + job), a signed bigint. Stable across releases and PostgreSQL versions. */
export function jobLockKey(job: string): bigint {
  return createHash("sha256").update(`portal-worker:${job}`).digest().readBigInt64BE(0);
}

export type LockedRun<T> = { ran: true; value: T } | { ran: false };

export interface JobLock {
  readonly job: string;
  readonly key: bigint;
  /** Runs `work` if this replica gets the lock now, else returns { ran: false } at once. Errors of `work` are rethrown after the lock is released. */
  tryRun<T>(work: () => Promise<T>): Promise<LockedRun<T>>;
  /** Closes the lock connection (and so releases the lock if a run is still going). */
  close(): Promise<void>;
}

export interface JobLockOptions {
  connectionString: string;
  /** Connection problems that do not fail a run (a failed unlock, a broken idle connection). */
  onConnectionError?: (error: unknown) => void;
}

export function createJobLock(job: string, options: JobLockOptions): JobLock {
  const key = jobLockKey(job);
  const keyParam = key.toString();
  let client: pg.Client | undefined;
  let connecting: Promise<pg.Client> | undefined;
  let closed = false;
  /** Session locks are re-entrant: a second run on this connection while one is going must not get it again. */
  let running = false;

  async function connection(): Promise<pg.Client> {
    if (client) return client;
    connecting ??= (async () => {
      const c = new pg.Client({ connectionString: options.connectionString, application_name: `portal-worker lock ${job}`.slice(0, 63) });
      // A broken idle connection emits "error"; without a listener that would end the process.
      c.on("error", (error) => {
        if (client === c) client = undefined;
        options.onConnectionError?.(error);
      });
      try {
        await c.connect();
      } catch (error) {
        c.removeAllListeners("error");
        c.on("error", () => undefined);
        throw error;
      }
      client = c;
      return c;
    })().finally(() => {
      connecting = undefined;
    });
    return connecting;
  }

  /** Drops the connection; the server releases its session locks. */
  async function discard(c: pg.Client): Promise<void> {
    if (client === c) client = undefined;
    await c.end().catch(() => undefined);
  }

  async function lockedRun<T>(work: () => Promise<T>): Promise<LockedRun<T>> {
    const c = await connection();
    let acquired: boolean;
    try {
      const { rows } = await c.query<{ ok: boolean }>("SELECT pg_try_advisory_lock($1::bigint) AS ok", [keyParam]);
      acquired = rows[0]?.ok === true;
    } catch (error) {
      await discard(c);
      throw error;
    }
    if (!acquired) return { ran: false };
    try {
      return { ran: true, value: await work() };
    } finally {
      let problem: unknown = null;
      try {
        const { rows } = await c.query<{ released: boolean }>("SELECT pg_advisory_unlock($1::bigint) AS released", [keyParam]);
        if (rows[0]?.released !== true) problem = new Error(`advisory lock ${keyParam} of job ${job} was not held at unlock`);
      } catch (error) {
        problem = error;
      }
      if (problem !== null) {
        options.onConnectionError?.(problem);
        await discard(c);
      }
    }
  }

  return {
    job,
    key,
    async tryRun<T>(work: () => Promise<T>): Promise<LockedRun<T>> {
      if (closed) throw new Error(`the lock of job ${job} is closed`);
      if (running) return { ran: false };
      running = true;
      try {
        return await lockedRun(work);
      } finally {
        running = false;
      }
    },
    async close() {
      closed = true;
      const c = client ?? (connecting ? await connecting.catch(() => undefined) : undefined);
      if (c) await discard(c);
    },
  };
}
