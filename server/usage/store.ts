// Stores usage records once each and adds exactly the new ones to the hourly and daily rollups, in one
// statement. Used by the feed ingester, the seed and the history generator (which shares the rollup SQL).
import type { Prisma } from "@/generated/prisma/client";
import { clearUsageReports } from "./report-cache";

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
  /** The workbench's price per hour in øre, fixed at launch. */
  pricePerHourOre: number;
}

export type RollupTable = "usage_hourly" | "usage_daily";

const BUCKET: Record<RollupTable, { column: string; unit: string }> = {
  usage_hourly: { column: "hour", unit: "hour" },
  usage_daily: { column: "day", unit: "day" },
};

/**
 * The statement that adds the usage_record rows of `source` (a table name or CTE) to a rollup table.
 * Buckets are UTC hours and days; the price is constant per workbench, so it is carried, not summed.
 */
export function rollupSql(target: RollupTable, source: string, where = ""): string {
  const { column, unit } = BUCKET[target];
  const bucket = `date_trunc('${unit}', interval_start, 'UTC')`;
  return `
    INSERT INTO ${target} AS h (workbench_id, ${column}, org_id, user_id, project, shape_id, region_id,
                                reserved_seconds, gpu_seconds, energy_wh, storage_gb_hours, price_per_hour_ore, records)
    SELECT workbench_id, ${bucket}, min(org_id), min(user_id), min(project), min(shape_id), min(region_id),
           sum(reserved_seconds), sum(gpu_seconds), sum(energy_wh), sum(storage_gb_hours), min(price_per_hour_ore), count(*)
    FROM ${source} ${where}
    GROUP BY workbench_id, ${bucket}
    ON CONFLICT (workbench_id, ${column}) DO UPDATE SET
      reserved_seconds = h.reserved_seconds + excluded.reserved_seconds,
      gpu_seconds = h.gpu_seconds + excluded.gpu_seconds,
      energy_wh = h.energy_wh + excluded.energy_wh,
      storage_gb_hours = h.storage_gb_hours + excluded.storage_gb_hours,
      records = h.records + excluded.records`;
}

const STORE_SQL = `
  WITH input AS (
    SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[], $8::timestamptz[], $9::timestamptz[],
                         $10::numeric[], $11::numeric[], $12::numeric[], $13::numeric[], $14::int[])
      AS t(id, org_id, workbench_id, user_id, project, shape_id, region_id, interval_start, interval_end,
           reserved_seconds, gpu_seconds, energy_wh, storage_gb_hours, price_per_hour_ore)
  ),
  inserted AS (
    INSERT INTO usage_record (id, org_id, workbench_id, user_id, project, shape_id, region_id, interval_start, interval_end,
                              reserved_seconds, gpu_seconds, energy_wh, storage_gb_hours, price_per_hour_ore)
    SELECT DISTINCT ON (id) * FROM input
    ON CONFLICT (id) DO NOTHING
    RETURNING *
  ),
  hourly AS (${rollupSql("usage_hourly", "inserted")} RETURNING 1),
  daily AS (${rollupSql("usage_daily", "inserted")} RETURNING 1)
  SELECT (SELECT count(*) FROM hourly)::int AS hours, (SELECT count(*) FROM daily)::int AS days`;

type Sql = { $queryRawUnsafe: <T>(query: string, ...values: unknown[]) => Prisma.PrismaPromise<T> };

/** Inserts the rows (duplicates by id are ignored) and rolls up the inserted ones; returns the hourly rows touched. */
export async function storeUsage(tx: Sql, rows: UsageRow[]): Promise<number> {
  clearUsageReports();
  if (rows.length === 0) return 0;
  const col = <K extends keyof UsageRow>(k: K) => rows.map((r) => r[k]);
  const [result] = await tx.$queryRawUnsafe<Array<{ hours: number; days: number }>>(
    STORE_SQL,
    col("id"), col("orgId"), col("workbenchId"), col("userId"), col("project"), col("shapeId"), col("regionId"),
    col("intervalStart"), col("intervalEnd"), col("reservedSeconds"), col("gpuSeconds"), col("energyWh"), col("storageGbHours"), col("pricePerHourOre"),
  );
  return result?.hours ?? 0;
}
