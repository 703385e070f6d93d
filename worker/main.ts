// Background work on PostgreSQL: converge notebooks with the control plane, cull idle notebooks, ingest
// usage, check budgets, close months, deliver e-mail. Every run of a loop takes the job's advisory lock
// (job-lock.ts), so any number of replicas can run and each piece of work runs in one of them at a time.
// Logs are JSON lines (server/observability/log.ts); /healthz, /readyz and /metrics are served on
// WORKER_HTTP_PORT (http.ts); queue depths are refreshed every WORKER_QUEUE_MS (queues.ts).
import { workbenchesToReconcile, convergeWorkbench } from "../server/notebooks/sync";
import { cullIdleNotebooks } from "../server/notebooks/idle";
import { deliverPendingEmail } from "../server/email/outbox";
import { ingestUsage } from "../server/usage/ingest";
import { runMonthClose } from "../server/billing/close";
import { checkBudgets } from "../server/billing/budgets";
import { controlPlane } from "../server/notebooks/control-plane";
import { db } from "../server/db";
import { createLogger } from "../server/observability/log";
import { initMetrics } from "../server/observability/metrics";
import { startWorkerHttpServer, type RunningWorkerHttp } from "./http";
import { queueMeasures, startQueueDepthRefresh } from "./queues";
import { createScheduler } from "./scheduler";

const log = createLogger("worker");

const databaseUrl = process.env.DATABASE_URL;
if (!databaseUrl) {
  log.error("config_error", { message: "DATABASE_URL is not set" });
  process.exit(1);
}

process.on("uncaughtException", (error) => {
  log.error("crashed", { error });
  process.exit(1);
});
process.on("unhandledRejection", (error) => {
  log.error("crashed", { error });
  process.exit(1);
});

/** A whole number of ms from the environment, or the default (with a warning) when it is not one. */
function msFrom(name: string, fallback: number): number {
  const raw = process.env[name];
  if (raw === undefined || raw.trim() === "") return fallback;
  const value = Number(raw);
  if (Number.isInteger(value) && value > 0) return value;
  log.warn("config_ignored", { variable: name, value: raw, using: fallback });
  return fallback;
}

const metrics = initMetrics("worker");
const scheduler = createScheduler({
  connectionString: databaseUrl,
  metrics,
  log,
  staleFloorMs: msFrom("WORKER_HEALTH_STALE_FLOOR_MS", 60_000),
});

scheduler.add({
  name: "reconcile-workbenches",
  intervalMs: msFrom("WORKER_RECONCILE_MS", 3000),
  run: async () => {
    const rows = await workbenchesToReconcile(50);
    for (const { id } of rows) {
      const row = await convergeWorkbench(id);
      if (row?.lastError) log.warn("reconcile_error", { workbench: id, error: row.lastError });
    }
  },
});

scheduler.add({
  name: "cull-idle",
  intervalMs: msFrom("WORKER_IDLE_MS", 30_000),
  run: async () => {
    const result = await cullIdleNotebooks();
    if (result.warned + result.stopped > 0) log.info("idle_culling", result);
  },
});

scheduler.add({
  name: "ingest-usage",
  intervalMs: msFrom("WORKER_INGEST_MS", 5000),
  run: async () => {
    const result = await ingestUsage();
    if (result.seen > 0) log.info("usage_ingested", result);
  },
});

scheduler.add({
  name: "check-budgets",
  intervalMs: msFrom("WORKER_BUDGETS_MS", 60_000),
  run: async () => {
    const result = await checkBudgets();
    if (result.alerts > 0) log.info("budget_alerts", result);
  },
});

// Drafts last month's invoices once it has ended (idempotent: a re-run only refreshes drafts whose usage
// changed) and finalises drafts whose review window is over.
scheduler.add({
  name: "month-close",
  intervalMs: msFrom("WORKER_BILLING_MS", 300_000),
  run: async () => {
    const result = await runMonthClose();
    if (result.created + result.updated + result.finalised > 0) log.info("month_close", { ...result });
  },
});

scheduler.add({
  name: "deliver-email",
  intervalMs: msFrom("WORKER_EMAIL_MS", 5000),
  run: async () => {
    const sent = await deliverPendingEmail();
    if (sent > 0) log.info("email_delivered", { sent });
  },
});

scheduler.start();
const queues = startQueueDepthRefresh({
  metrics,
  log,
  measures: queueMeasures({ listUsage: (after, limit) => controlPlane().listUsage(after, limit) }),
  intervalMs: msFrom("WORKER_QUEUE_MS", 15_000),
});

/** WORKER_HTTP_PORT: default 9465, "0" turns the server off. */
function httpPort(): number | null {
  const raw = process.env.WORKER_HTTP_PORT?.trim() || "9465";
  const port = Number(raw);
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    log.warn("http_disabled", { reason: `WORKER_HTTP_PORT must be a port number or 0 (got "${raw}")` });
    return null;
  }
  if (port === 0) {
    log.info("http_disabled", { reason: "WORKER_HTTP_PORT=0" });
    return null;
  }
  return port;
}

const port = httpPort();
const httpServer: Promise<RunningWorkerHttp | null> =
  port === null
    ? Promise.resolve(null)
    : startWorkerHttpServer({
        port,
        host: process.env.WORKER_HTTP_HOST?.trim() || "0.0.0.0",
        metrics,
        log,
        health: () => scheduler.health(),
        ready: async () => {
          await db.$queryRaw`SELECT 1`;
        },
      });

log.info("started");

let stopping = false;
for (const signal of ["SIGINT", "SIGTERM"] as const) {
  process.on(signal, () => {
    if (stopping) process.exit(1); // a second signal: do not wait any longer
    stopping = true;
    log.info("stopping", { signal });
    queues.stop();
    // Runs in progress get 20 s to finish; closing the lock connections releases the locks either way.
    const deadline = new Promise((resolve) => setTimeout(resolve, 20_000).unref());
    void Promise.race([scheduler.stop(), deadline])
      .then(async () => {
        await (await httpServer)?.close();
        await db.$disconnect();
      })
      .catch((error: unknown) => log.error("stop_failed", { error }))
      .finally(() => process.exit(0));
  });
}
