// Ingests the control plane's usage feed by cursor: each record once, late ones into their hour.
// The cursor moves in the same transaction as the records, so a restart resumes exactly.
import "server-only";
import type { UsageRecord } from "@/control-plane/api-types";
import { db } from "../db";
import { controlPlane } from "../notebooks/control-plane";
import { storeUsage, type UsageRow } from "./store";

export const USAGE_FEED = "control-plane-usage";

/** Turns feed records into rows, attributing each to its portal workbench; unknown ones are skipped. */
export async function toUsageRows(records: UsageRecord[]): Promise<UsageRow[]> {
  const ids = [...new Set(records.map((r) => r.externalId))];
  const workbenches = await db.workbench.findMany({
    where: { id: { in: ids } },
    select: { id: true, orgId: true, createdById: true, project: true, pricePerHourOre: true },
  });
  const byId = new Map(workbenches.map((w) => [w.id, w]));
  const rows: UsageRow[] = [];
  for (const r of records) {
    const wb = byId.get(r.externalId);
    if (!wb || wb.orgId !== r.tenantId) continue;
    rows.push({
      id: r.id,
      orgId: wb.orgId,
      workbenchId: wb.id,
      userId: wb.createdById,
      project: wb.project,
      shapeId: r.shapeId,
      regionId: r.regionId,
      intervalStart: new Date(r.intervalStart),
      intervalEnd: new Date(r.intervalEnd),
      reservedSeconds: r.reservedSeconds,
      gpuSeconds: r.gpuSeconds,
      energyWh: r.energyWh,
      storageGbHours: r.storageGbHours,
      pricePerHourOre: wb.pricePerHourOre,
    });
  }
  return rows;
}

/** Reads feed pages until caught up (or `maxPages`); returns records seen and hourly rollup rows touched. */
export async function ingestUsage(options: { pageSize?: number; maxPages?: number } = {}): Promise<{ seen: number; hoursTouched: number }> {
  const pageSize = options.pageSize ?? 500;
  let seen = 0;
  let hoursTouched = 0;
  for (let page = 0; page < (options.maxPages ?? 50); page++) {
    const current = await db.feedCursor.findUnique({ where: { name: USAGE_FEED } });
    const result = await controlPlane().listUsage(current?.cursor ?? null, pageSize);
    if (result.records.length === 0) break;
    const rows = await toUsageRows(result.records);
    const advanced = await db.$transaction(async (tx) => {
      // Only the holder of the cursor row moves it; a concurrent ingester's page is skipped, not doubled.
      await tx.$executeRaw`INSERT INTO feed_cursor (name, cursor, updated_at) VALUES (${USAGE_FEED}, NULL, now()) ON CONFLICT (name) DO NOTHING`;
      const [locked] = await tx.$queryRaw<Array<{ cursor: string | null }>>`SELECT cursor FROM feed_cursor WHERE name = ${USAGE_FEED} FOR UPDATE`;
      if ((locked?.cursor ?? null) !== (current?.cursor ?? null)) return false;
      hoursTouched += await storeUsage(tx, rows);
      await tx.feedCursor.update({ where: { name: USAGE_FEED }, data: { cursor: result.nextCursor } });
      return true;
    });
    seen += result.records.length;
    if (!advanced || result.records.length < pageSize) break;
  }
  return { seen, hoursTouched };
}
