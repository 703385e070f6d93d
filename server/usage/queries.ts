// Usage and carbon for an organisation from the daily or hourly rollups (or, for comparison in benchmarks,
// from the raw records): totals, a time series and a per-workbench breakdown, with carbon figures
// from the factor set in force, which every report names.
import "server-only";
import { Prisma } from "@/generated/prisma/client";
import { db } from "../db";
import { assertCan, type OrgMembership } from "../orgs/queries";
import { currentFactorSet } from "../carbon/factors";
import { carbonFor, sumFigures, ZERO_FIGURES, type CarbonFigures } from "../carbon/model";
import { regionGridZones } from "../notebooks/control-plane";
import type { UsageFilter } from "./filter";
import { pricedSecondsToOre, sumDecimals } from "../billing/money";
import { usageReportCache } from "./report-cache";

export type UsageSource = "rollup" | "raw";

interface Sums {
  reservedSeconds: number;
  gpuSeconds: number;
  energyWh: number;
  storageGbHours: number;
  costOre: number;
}

export interface UsageLine extends Sums {
  figures: CarbonFigures;
}

export interface UsageReport {
  /** "own": the caller sees only the notebooks they launched (data scientists); else the whole organisation. */
  scope: "organisation" | "own";
  factorSet: { id: string; label: string };
  period: { from: string; to: string; granularity: "day" | "hour" };
  totals: UsageLine;
  series: Array<UsageLine & { bucket: string }>;
  workbenches: Array<UsageLine & { workbenchId: string; name: string; project: string; user: string; shapeId: string }>;
  options: { projects: string[]; users: Array<{ id: string; name: string }>; workbenches: Array<{ id: string; name: string }>; shapes: string[] };
}

const num = (v: unknown) => (v === null || v === undefined ? 0 : Number(v));

/** The table a report reads: raw records, or the daily rollup for daily views (periods are whole UTC days), else the hourly one. */
function sourceOf(source: UsageSource, granularity: UsageFilter["granularity"]) {
  if (source === "raw") return { table: Prisma.raw("usage_record"), time: Prisma.raw("interval_start") };
  return granularity === "day" ? { table: Prisma.raw("usage_daily"), time: Prisma.raw("day") } : { table: Prisma.raw("usage_hourly"), time: Prisma.raw("hour") };
}

function whereClause(orgId: string, filter: UsageFilter, time: Prisma.Sql) {
  const parts = [Prisma.sql`org_id = ${orgId}`, Prisma.sql`${time} >= ${filter.fromDate}`, Prisma.sql`${time} < ${filter.toDate}`];
  if (filter.project) parts.push(Prisma.sql`project = ${filter.project}`);
  if (filter.user) parts.push(Prisma.sql`user_id = ${filter.user}`);
  if (filter.workbench) parts.push(Prisma.sql`workbench_id = ${filter.workbench}`);
  if (filter.shape) parts.push(Prisma.sql`shape_id = ${filter.shape}`);
  return Prisma.join(parts, " AND ");
}

// Money is summed exactly as reserved seconds x price per hour and rounded once per figure shown.
const SUMS = Prisma.sql`sum(reserved_seconds) AS reserved_seconds, sum(gpu_seconds) AS gpu_seconds, sum(energy_wh) AS energy_wh,
  sum(storage_gb_hours) AS storage_gb_hours, sum(reserved_seconds * price_per_hour_ore)::text AS priced_seconds`;

type SumRow = { reserved_seconds: unknown; gpu_seconds: unknown; energy_wh: unknown; storage_gb_hours: unknown; priced_seconds: string | null; region_id: string };

function toSums(rows: SumRow[]): Sums {
  const sum = (k: keyof Omit<SumRow, "priced_seconds" | "region_id">) => rows.reduce((acc, r) => acc + num(r[k]), 0);
  return {
    reservedSeconds: sum("reserved_seconds"),
    gpuSeconds: sum("gpu_seconds"),
    energyWh: sum("energy_wh"),
    storageGbHours: sum("storage_gb_hours"),
    costOre: pricedSecondsToOre(sumDecimals(rows.map((r) => r.priced_seconds ?? "0"))),
  };
}

/** Runs the report's three aggregations against the rollup or the raw table. */
export async function usageReport(membership: OrgMembership, filter: UsageFilter, options: { source?: UsageSource } = {}): Promise<UsageReport> {
  assertCan(membership, "usage.view");
  // Data scientists see the usage and cost of their own notebooks; the organisation's figures are for
  // the roles that answer for its spending.
  const scope = usageScope(membership);
  if (scope === "own") filter = { ...filter, user: membership.userId };
  // What pages ask (no explicit source) may come from the short-lived report cache.
  if (options.source === undefined) {
    const key = `${membership.org.id}\u0000${scope}\u0000${JSON.stringify(filter)}`;
    return usageReportCache.get(key, () => computeReport(membership, scope, filter, "rollup")) as Promise<UsageReport>;
  }
  return computeReport(membership, scope, filter, options.source);
}

async function computeReport(membership: OrgMembership, scope: ReturnType<typeof usageScope>, filter: UsageFilter, source: UsageSource): Promise<UsageReport> {
  const { table, time } = sourceOf(source, filter.granularity);
  const where = whereClause(membership.org.id, filter, time);
  const granularity = Prisma.raw(filter.granularity === "hour" ? "'hour'" : "'day'");

  const [factors, zoneOf, byRegion, series, perWorkbench, options_] = await Promise.all([
    currentFactorSet(),
    regionGridZones(),
    db.$queryRaw<SumRow[]>`SELECT region_id, ${SUMS} FROM ${table} WHERE ${where} GROUP BY region_id`,
    db.$queryRaw<Array<SumRow & { bucket: Date }>>`SELECT date_trunc(${granularity}, ${time}, 'UTC') AS bucket, region_id, ${SUMS} FROM ${table} WHERE ${where} GROUP BY 1, 2 ORDER BY 1`,
    db.$queryRaw<Array<SumRow & { workbench_id: string }>>`SELECT workbench_id, region_id, ${SUMS} FROM ${table} WHERE ${where} GROUP BY 1, 2`,
    filterOptions(membership.org.id, scope === "own" ? membership.userId : undefined),
  ]);
  if (!factors) throw new Error("no carbon factor set is loaded");
  const figures = (rows: SumRow[]) =>
    sumFigures(
      rows.map((r) => carbonFor({ energyWh: num(r.energy_wh), gpuSeconds: num(r.gpu_seconds), gridZone: zoneOf.get(r.region_id) ?? "NO" }, factors)),
      factors.setId,
    );
  const line = (rows: SumRow[]): UsageLine => ({ ...toSums(rows), figures: rows.length ? figures(rows) : ZERO_FIGURES(factors.setId) });

  const buckets = new Map<string, SumRow[]>();
  for (const r of series) {
    const key = r.bucket.toISOString();
    buckets.set(key, [...(buckets.get(key) ?? []), r]);
  }
  const byWorkbench = new Map<string, SumRow[]>();
  for (const r of perWorkbench) byWorkbench.set(r.workbench_id, [...(byWorkbench.get(r.workbench_id) ?? []), r]);
  const wbMeta = new Map(
    (
      await db.workbench.findMany({
        where: { orgId: membership.org.id, id: { in: [...byWorkbench.keys()] } },
        select: { id: true, displayName: true, project: true, createdById: true, shapeId: true },
      })
    ).map((w) => [w.id, w]),
  );
  const userNames = new Map(options_.users.map((u) => [u.id, u.name]));

  return {
    scope,
    factorSet: { id: factors.setId, label: factors.label },
    period: { from: filter.fromDate.toISOString(), to: filter.toDate.toISOString(), granularity: filter.granularity },
    totals: line(byRegion),
    series: [...buckets.entries()].map(([bucket, rows]) => ({ bucket, ...line(rows) })),
    workbenches: [...byWorkbench.entries()]
      .map(([workbenchId, rows]) => {
        const meta = wbMeta.get(workbenchId);
        return {
          workbenchId,
          name: meta?.displayName ?? workbenchId,
          project: meta?.project ?? "—",
          user: userNames.get(meta?.createdById ?? "") ?? "—",
          shapeId: meta?.shapeId ?? "—",
          ...line(rows),
        };
      })
      .sort((a, b) => b.costOre - a.costOre),
    options: options_,
  };
}

/** Whose usage a member sees: data scientists their own, every other role the organisation's. */
export function usageScope(membership: Pick<OrgMembership, "role">): UsageReport["scope"] {
  return membership.role === "DATA_SCIENTIST" ? "own" : "organisation";
}

/** The values the filters can take for this organisation (or for one member's notebooks). */
async function filterOptions(orgId: string, createdById?: string) {
  const workbenches = await db.workbench.findMany({
    where: { orgId, ...(createdById ? { createdById } : {}) },
    select: { id: true, displayName: true, project: true, createdById: true, shapeId: true },
    orderBy: { createdAt: "desc" },
    take: 500,
  });
  const users = await db.user.findMany({ where: { id: { in: [...new Set(workbenches.map((w) => w.createdById))] } }, select: { id: true, name: true } });
  return {
    projects: [...new Set(workbenches.map((w) => w.project))].sort(),
    users: users.sort((a, b) => a.name.localeCompare(b.name)),
    workbenches: workbenches.map((w) => ({ id: w.id, name: w.displayName })),
    shapes: [...new Set(workbenches.map((w) => w.shapeId))].sort(),
  };
}
