// What operators see on the capacity page: the control plane's capacity and utilisation per region and node
// pool, and the portal's own view of how many GPUs each organisation holds against its quota.
import "server-only";
import type { CapacityReport, PoolCapacity, Region } from "@/control-plane/api-types";
import { REGIONS } from "@/control-plane/catalogue";
import type { Prisma } from "@/generated/prisma/client";
import type { OrgStatus } from "@/generated/prisma/enums";
import { db } from "../db";
import { AppError } from "../errors";
import { getCapacity, getCatalogue } from "../notebooks/control-plane";
import { isOperator } from "./role";

/** Workbenches that count against a GPU quota: meant to run and not gone (the rule the launch check uses). */
const HOLDS_QUOTA: Prisma.WorkbenchWhereInput = { desiredState: "RUNNING", status: { notIn: ["DELETED", "LOST", "FAILED"] } };

export interface OrgGpuUse {
  orgId: string;
  slug: string;
  name: string;
  status: OrgStatus;
  /** Thousandths of a GPU held (1 GPU = 1000, a 1g.10gb slice = 143). */
  heldMilli: number;
  /** The quota in thousandths (Organization.gpuQuota x 1000). */
  quotaMilli: number;
  /** Workbenches that hold those GPUs. */
  workbenches: number;
}

export interface RegionCapacity {
  region: Pick<Region, "id" | "name" | "dataCentre">;
  pools: PoolCapacity[];
}

export interface CapacityOverview {
  /** The control plane's measurement, or null when it cannot be reached right now. */
  cluster: { generatedAt: string; regions: RegionCapacity[] } | null;
  orgs: OrgGpuUse[];
}

/** Fails closed unless the user is provider staff (read from the database). */
async function assertOperator(userId: string): Promise<void> {
  if (!(await isOperator(userId))) throw new AppError("errors.forbidden");
}

/** GPUs each organisation holds against its quota, most first; active organisations holding nothing too. Operators only. */
export async function listOrgGpuUse(userId: string): Promise<OrgGpuUse[]> {
  await assertOperator(userId);
  const [orgs, held] = await Promise.all([
    db.organization.findMany({
      where: { OR: [{ status: "ACTIVE" }, { workbenches: { some: HOLDS_QUOTA } }] },
      select: { id: true, slug: true, name: true, status: true, gpuQuota: true },
    }),
    db.workbench.groupBy({ by: ["orgId"], where: HOLDS_QUOTA, _sum: { gpuMilli: true }, _count: { _all: true } }),
  ]);
  const byOrg = new Map(held.map((h) => [h.orgId, h]));
  const share = (o: OrgGpuUse) => (o.quotaMilli > 0 ? o.heldMilli / o.quotaMilli : o.heldMilli > 0 ? Infinity : 0);
  return orgs
    .map((o) => ({
      orgId: o.id,
      slug: o.slug,
      name: o.name,
      status: o.status,
      heldMilli: byOrg.get(o.id)?._sum.gpuMilli ?? 0,
      quotaMilli: o.gpuQuota * 1000,
      workbenches: byOrg.get(o.id)?._count._all ?? 0,
    }))
    .sort((a, b) => b.heldMilli - a.heldMilli || share(b) - share(a) || a.name.localeCompare(b.name, "nb"));
}

/** The report's pools grouped by region, in the regions' order; a region the catalogue does not know keeps its id. */
export function groupByRegion(report: CapacityReport, regions: readonly Region[]): RegionCapacity[] {
  const known = new Map(regions.map((r, i) => [r.id, { region: r, order: i }]));
  const groups = new Map<string, RegionCapacity>();
  for (const pool of report.pools) {
    let group = groups.get(pool.regionId);
    if (!group) {
      const region = known.get(pool.regionId)?.region;
      group = { region: { id: pool.regionId, name: region?.name ?? pool.regionId, dataCentre: region?.dataCentre ?? "" }, pools: [] };
      groups.set(pool.regionId, group);
    }
    group.pools.push(pool);
  }
  const order = (id: string) => known.get(id)?.order ?? Number.MAX_SAFE_INTEGER;
  return [...groups.values()].sort((a, b) => order(a.region.id) - order(b.region.id));
}

/** Everything the capacity page shows. Operators only; an unreachable control plane leaves `cluster` null, never an error. */
export async function capacityOverview(userId: string): Promise<CapacityOverview> {
  await assertOperator(userId);
  const [orgs, report, regions] = await Promise.all([
    listOrgGpuUse(userId),
    getCapacity().catch((error: unknown) => {
      console.error("[operator] capacity: the control plane did not answer", error instanceof Error ? error.message : error);
      return null;
    }),
    // Region names and sites rarely change: the built-in list stands in when the catalogue cannot be read.
    getCatalogue()
      .then((c) => c.regions)
      .catch((): readonly Region[] => REGIONS),
  ]);
  return { cluster: report ? { generatedAt: report.generatedAt, regions: groupByRegion(report, regions) } : null, orgs };
}
