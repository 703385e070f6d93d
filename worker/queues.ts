// The worker's backlogs as portal_job_queue_depth{queue}: what is waiting for each loop right now, read
// from the same rows (and the same conditions) the loops work on. Refreshed every ~15 s by every replica
// (they all see the same numbers; aggregate with max). A queue whose measurement fails is removed from the
// output until it can be read again, so a stale number never looks current.
import type { ControlPlaneClient } from "../control-plane/client";
import { USAGE_PAGE_MAX } from "../control-plane/schemas";
import { monthOf, reachedAlerts } from "../server/billing/budget-math";
import { budgetStatus } from "../server/billing/budgets";
import { monthBounds, previousMonth } from "../server/billing/close";
import { db } from "../server/db";
import type { Logger } from "../server/observability/log";
import type { PortalMetrics } from "../server/observability/metrics";
import { USAGE_FEED } from "../server/usage/ingest";

export const QUEUES = [
  "email_outbox",
  "notebooks_converging",
  "notebooks_idle_due",
  "usage_feed",
  "invoices_to_draft",
  "invoice_drafts_due",
  "budget_alerts_due",
] as const;

export type QueueName = (typeof QUEUES)[number];

export type QueueMeasure = (now: Date) => Promise<number>;

const count = (rows: Array<{ n: number | bigint }>) => Number(rows[0]?.n ?? 0);

/** E-mails in the outbox waiting for delivery (deliver-email; only sent when SMTP_URL is set, else read in the development mailbox). */
export const emailOutbox: QueueMeasure = async () => db.outboxEmail.count({ where: { status: "PENDING" } });

/**
 * Notebooks the reconciler still has to bring to their desired state: not final (DELETED, LOST) and not
 * settled, where settled is running as wanted, stopped as wanted, or failed without a delete pending.
 * Covers records never submitted (PROVISIONING), transitional states and desired/actual mismatches.
 */
export const notebooksConverging: QueueMeasure = async () =>
  count(
    await db.$queryRaw<Array<{ n: number }>>`
      SELECT count(*)::int AS n FROM workbench
      WHERE status NOT IN ('DELETED', 'LOST')
        AND NOT (status = 'RUNNING' AND desired_state = 'RUNNING')
        AND NOT (status = 'STOPPED' AND desired_state = 'STOPPED')
        AND NOT (status = 'FAILED' AND desired_state <> 'DELETED')`,
  );

/** Running notebooks idle for at least their idle timeout that the culler has not stopped yet (cull-idle). */
export const notebooksIdleDue: QueueMeasure = async (now) =>
  count(
    await db.$queryRaw<Array<{ n: number }>>`
      SELECT count(*)::int AS n FROM workbench
      WHERE status = 'RUNNING' AND desired_state = 'RUNNING' AND last_activity_at IS NOT NULL
        AND last_activity_at + idle_timeout_minutes * interval '1 minute' <= ${now}`,
  );

/** Organisations with usage in last month (UTC) but no invoice for it yet (month-close drafts them). */
export const invoicesToDraft: QueueMeasure = async (now) => {
  const { start, end } = monthBounds(previousMonth(now));
  return count(
    await db.$queryRaw<Array<{ n: number }>>`
      SELECT count(DISTINCT d.org_id)::int AS n FROM usage_daily d
      WHERE d.day >= ${start} AND d.day < ${end}
        AND NOT EXISTS (SELECT 1 FROM invoice i WHERE i.org_id = d.org_id AND i.kind = 'INVOICE' AND i.period_start = ${start.toISOString().slice(0, 10)}::date)`,
  );
};

/** Draft invoices whose review window has ended, waiting to be finalised (month-close). */
export const invoiceDraftsDue: QueueMeasure = async (now) => db.invoice.count({ where: { status: "DRAFT", reviewUntil: { lte: now } } });

/** Budget alerts (threshold x actual/forecast) reached this month and not sent yet (check-budgets), computed as that job does. */
export const budgetAlertsDue: QueueMeasure = async (now) => {
  const orgIds = (await db.budget.findMany({ select: { orgId: true }, distinct: ["orgId"] })).map((b) => b.orgId);
  const month = monthOf(now).start;
  let due = 0;
  for (const orgId of orgIds) {
    const statuses = await budgetStatus(orgId, now);
    const sent = new Set(
      (await db.budgetAlert.findMany({ where: { month, budgetId: { in: statuses.map((s) => s.id) } }, select: { budgetId: true, threshold: true, kind: true } })).map(
        (a) => `${a.budgetId}:${a.threshold}:${a.kind}`,
      ),
    );
    for (const status of statuses) {
      due += reachedAlerts(status.spentOre, status.forecastOre, status.monthlyOre).filter((a) => !sent.has(`${status.id}:${a.threshold}:${a.kind}`)).length;
    }
  }
  return due;
};

/** Usage records in the control plane's feed after the ingestion cursor (ingest-usage), counted up to one page of USAGE_PAGE_MAX. */
export function usageFeed(listUsage: ControlPlaneClient["listUsage"]): QueueMeasure {
  return async () => {
    const cursor = await db.feedCursor.findUnique({ where: { name: USAGE_FEED }, select: { cursor: true } });
    return (await listUsage(cursor?.cursor ?? null, USAGE_PAGE_MAX)).records.length;
  };
}

/** Every queue's measurement; the usage feed needs the control plane. */
export function queueMeasures(controlPlane: Pick<ControlPlaneClient, "listUsage">): Record<QueueName, QueueMeasure> {
  return {
    email_outbox: emailOutbox,
    notebooks_converging: notebooksConverging,
    notebooks_idle_due: notebooksIdleDue,
    usage_feed: usageFeed((after, limit) => controlPlane.listUsage(after, limit)),
    invoices_to_draft: invoicesToDraft,
    invoice_drafts_due: invoiceDraftsDue,
    budget_alerts_due: budgetAlertsDue,
  };
}

export interface QueueRefreshOptions {
  metrics: PortalMetrics;
  log: Logger;
  measures: Partial<Record<QueueName, QueueMeasure>>;
  now?: () => Date;
}

/** Measures every queue once (in parallel) and sets the gauge; returns what was measured. */
export async function refreshQueueDepths(options: QueueRefreshOptions): Promise<Partial<Record<QueueName, number>>> {
  const now = (options.now ?? (() => new Date()))();
  const entries = Object.entries(options.measures) as Array<[QueueName, QueueMeasure]>;
  const results = await Promise.allSettled(entries.map(([, measure]) => measure(now)));
  const depths: Partial<Record<QueueName, number>> = {};
  results.forEach((result, i) => {
    const queue = entries[i]![0];
    if (result.status === "fulfilled") {
      depths[queue] = result.value;
      options.metrics.jobQueueDepth.set({ queue }, result.value);
    } else {
      options.metrics.jobQueueDepth.remove({ queue });
      options.log.warn("queue_depth_failed", { queue, error: result.reason });
    }
  });
  return depths;
}

/** Refreshes the queue gauges now and then every `intervalMs` (default 15 s) until stopped. */
export function startQueueDepthRefresh(options: QueueRefreshOptions & { intervalMs?: number }): { stop(): void } {
  const intervalMs = options.intervalMs ?? 15_000;
  let timer: NodeJS.Timeout | undefined;
  let stopped = false;
  const tick = async () => {
    await refreshQueueDepths(options).catch((error: unknown) => options.log.warn("queue_depth_failed", { error }));
    if (!stopped) timer = setTimeout(() => void tick(), intervalMs);
  };
  void tick();
  return {
    stop() {
      stopped = true;
      if (timer) clearTimeout(timer);
    },
  };
}
