// Background work on PostgreSQL: converge notebooks with the control plane, cull idle notebooks,
// deliver e-mail. Every loop takes a transaction-free advisory lock, so any number of replicas can
// run and each piece of work runs in one of them at a time.
import pg from "pg";
import { workbenchesToReconcile, convergeWorkbench } from "../server/notebooks/sync";
import { cullIdleNotebooks } from "../server/notebooks/idle";
import { deliverPendingEmail } from "../server/email/outbox";
import { ingestUsage } from "../server/usage/ingest";
import { runMonthClose } from "../server/billing/close";
import { checkBudgets } from "../server/billing/budgets";

const databaseUrl = process.env.DATABASE_URL;
if (!databaseUrl) {
  console.error("worker: DATABASE_URL is not set");
  process.exit(1);
}

let stopping = false;
const lockClients: pg.Client[] = [];

function log(event: string, fields: Record<string, unknown> = {}) {
  process.stdout.write(`${JSON.stringify({ at: new Date().toISOString(), service: "worker", event, ...fields })}\n`);
}

/** Runs `work` only if no other replica holds the named lock right now (a session lock on `lockClient`). */
async function exclusively(lockClient: pg.Client, name: string, work: () => Promise<void>) {
  const { rows } = await lockClient.query<{ ok: boolean }>("SELECT pg_try_advisory_lock(hashtextextended($1, 11)) AS ok", [name]);
  if (!rows[0]?.ok) return;
  try {
    await work();
  } finally {
    await lockClient.query("SELECT pg_advisory_unlock(hashtextextended($1, 11))", [name]);
  }
}

function every(ms: number, name: string, work: () => Promise<void>) {
  const loop = async () => {
    // One connection per loop: a session advisory lock belongs to the connection that took it.
    const lockClient = new pg.Client({ connectionString: databaseUrl });
    await lockClient.connect();
    lockClients.push(lockClient);
    while (!stopping) {
      try {
        await exclusively(lockClient, name, work);
      } catch (error) {
        log("job_failed", { job: name, error: String(error).slice(0, 500) });
      }
      await new Promise((r) => setTimeout(r, ms));
    }
  };
  void loop();
}

every(Number(process.env.WORKER_RECONCILE_MS ?? 3000), "reconcile-workbenches", async () => {
  const rows = await workbenchesToReconcile(50);
  for (const { id } of rows) {
    const row = await convergeWorkbench(id);
    if (row?.lastError) log("reconcile_error", { workbench: id, error: row.lastError });
  }
});

every(Number(process.env.WORKER_IDLE_MS ?? 30_000), "cull-idle", async () => {
  const result = await cullIdleNotebooks();
  if (result.warned + result.stopped > 0) log("idle_culling", result);
});

every(Number(process.env.WORKER_INGEST_MS ?? 5000), "ingest-usage", async () => {
  const result = await ingestUsage();
  if (result.seen > 0) log("usage_ingested", result);
});

every(Number(process.env.WORKER_BUDGETS_MS ?? 60_000), "check-budgets", async () => {
  const result = await checkBudgets();
  if (result.alerts > 0) log("budget_alerts", result);
});

// Drafts last month's invoices once it has ended (idempotent: a re-run only refreshes drafts whose usage
// changed) and finalises drafts whose review window is over.
every(Number(process.env.WORKER_BILLING_MS ?? 300_000), "month-close", async () => {
  const result = await runMonthClose();
  if (result.created + result.updated + result.finalised > 0) log("month_close", { ...result });
});

every(5000, "deliver-email", async () => {
  const sent = await deliverPendingEmail();
  if (sent > 0) log("email_delivered", { sent });
});

log("started");
for (const signal of ["SIGINT", "SIGTERM"] as const) {
  process.on(signal, async () => {
    stopping = true;
    log("stopping", { signal });
    await Promise.all(lockClients.map((c) => c.end().catch(() => undefined)));
    process.exit(0);
  });
}
