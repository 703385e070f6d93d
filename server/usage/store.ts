// Stores usage records once each and adds exactly the new ones to the hourly rollup, in one statement.
// Used by the feed ingester, the seed and the history generator.
import type { Prisma } from "@/generated/prisma/client";

export interface UsageRow {
  id: string;
  orgId: string;
  workbenchId: string;
  userId: string;
  project: string;
  shapeId: string;
  regionId: string;
  intervalStart: Date;
  intervalEnd: Date;
  reservedSeconds: number;
  gpuSeconds: number;
  energyWh: number;
  storageGbHours: number;
  costOre: number;
}

/** Compute cost of an interval in whole øre, rounded half up. */
export function intervalCostOre(pricePerHourOre: number, reservedSeconds: number): number {
  // Work in micro-øre integers so x.5 rounds up exactly.
  const micro = Math.round(pricePerHourOre * reservedSeconds * 1_000_000 / 3600);
  return Math.floor((micro + 500_000) / 1_000_000);
}

type Sql = { $executeRaw: (query: TemplateStringsArray, ...values: unknown[]) => Prisma.PrismaPromise<number> };

/** Inserts the rows (duplicates by id are ignored) and rolls up the inserted ones; returns the hourly rows touched. */
export async function storeUsage(tx: Sql, rows: UsageRow[]): Promise<number> {
  if (rows.length === 0) return 0;
  const col = <K extends keyof UsageRow>(k: K) => rows.map((r) => r[k]);
  return tx.$executeRaw`
    WITH input AS (
      SELECT * FROM unnest(
        ${col("id")}::text[], ${col("orgId")}::text[], ${col("workbenchId")}::text[], ${col("userId")}::text[], ${col("project")}::text[],
        ${col("shapeId")}::text[], ${col("regionId")}::text[], ${col("intervalStart")}::timestamptz[], ${col("intervalEnd")}::timestamptz[],
        ${col("reservedSeconds")}::numeric[], ${col("gpuSeconds")}::numeric[], ${col("energyWh")}::numeric[], ${col("storageGbHours")}::numeric[], ${col("costOre")}::int[]
      ) AS t(id, org_id, workbench_id, user_id, project, shape_id, region_id, interval_start, interval_end, reserved_seconds, gpu_seconds, energy_wh, storage_gb_hours, cost_ore)
    ),
    inserted AS (
      INSERT INTO usage_record (id, org_id, workbench_id, user_id, project, shape_id, region_id, interval_start, interval_end,
                                reserved_seconds, gpu_seconds, energy_wh, storage_gb_hours, cost_ore)
      SELECT DISTINCT ON (id) * FROM input
      ON CONFLICT (id) DO NOTHING
      RETURNING *
    )
    INSERT INTO usage_hourly AS h (workbench_id, hour, org_id, user_id, project, shape_id, region_id,
                                   reserved_seconds, gpu_seconds, energy_wh, storage_gb_hours, cost_ore, records)
    SELECT workbench_id, date_trunc('hour', interval_start), min(org_id), min(user_id), min(project), min(shape_id), min(region_id),
           sum(reserved_seconds), sum(gpu_seconds), sum(energy_wh), sum(storage_gb_hours), sum(cost_ore), count(*)
    FROM inserted
    GROUP BY workbench_id, date_trunc('hour', interval_start)
    ON CONFLICT (workbench_id, hour) DO UPDATE SET
      reserved_seconds = h.reserved_seconds + excluded.reserved_seconds,
      gpu_seconds = h.gpu_seconds + excluded.gpu_seconds,
      energy_wh = h.energy_wh + excluded.energy_wh,
      storage_gb_hours = h.storage_gb_hours + excluded.storage_gb_hours,
      cost_ore = h.cost_ore + excluded.cost_ore,
      records = h.records + excluded.records`;
}
