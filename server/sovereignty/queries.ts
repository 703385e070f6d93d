// Reads for the Sovereignty page: where the organisation's resources and records live, the DPA it
// accepted, its deletion requests, and the operators' access to its data. Scoped by the caller's membership.
import "server-only";
import type { Prisma } from "@/generated/prisma/client";
import { REGIONS } from "@/control-plane/catalogue";
import { db } from "../db";
import { assertCan, type OrgMembership } from "../orgs/queries";

export const OPERATOR_ACCESS_PAGE_SIZE = 20;

/** Where the portal database and its backups are, as configured (null: the built-in default text). */
export function dataResidencyText(): string | null {
  const value = process.env.DATA_RESIDENCY?.trim();
  return value ? value.slice(0, 500) : null;
}

/** The organisation's notebooks (not deleted) with the region, data centre and country they run in. */
export async function resourceLocations(membership: OrgMembership) {
  assertCan(membership, "sovereignty.view");
  const workbenches = await db.workbench.findMany({
    where: { orgId: membership.org.id, status: { not: "DELETED" } },
    select: { id: true, name: true, displayName: true, status: true, regionId: true, storageGb: true },
    orderBy: [{ createdAt: "desc" }],
  });
  return workbenches.map((w) => {
    const region = REGIONS.find((r) => r.id === w.regionId);
    return { ...w, region: region ? { id: region.id, name: region.name, dataCentre: region.dataCentre, country: region.country } : null };
  });
}

/** The regions the organisation's metered usage ran in (deleted notebooks included), with the period. */
export async function usageRegions(membership: OrgMembership) {
  assertCan(membership, "sovereignty.view");
  const rows = await db.$queryRaw<Array<{ region_id: string; notebooks: number; first_day: Date; last_day: Date }>>`
    SELECT region_id, count(DISTINCT workbench_id)::int AS notebooks, min(day) AS first_day, max(day) AS last_day
    FROM usage_daily WHERE org_id = ${membership.org.id} GROUP BY region_id ORDER BY region_id`;
  return rows.map((r) => {
    const region = REGIONS.find((x) => x.id === r.region_id);
    return {
      regionId: r.region_id, notebooks: r.notebooks, firstDay: r.first_day, lastDay: r.last_day,
      region: region ? { name: region.name, dataCentre: region.dataCentre, country: region.country } : null,
    };
  });
}

/** Every DPA acceptance of the organisation, newest first, with who accepted it. */
export async function dpaAcceptances(membership: OrgMembership) {
  assertCan(membership, "sovereignty.view");
  const rows = await db.dpaAcceptance.findMany({
    where: { orgId: membership.org.id },
    select: { id: true, version: true, acceptedAt: true, ip: true, userId: true },
    orderBy: { acceptedAt: "desc" },
  });
  const users = await db.user.findMany({ where: { id: { in: rows.map((r) => r.userId) } }, select: { id: true, name: true, email: true } });
  const byId = new Map(users.map((u) => [u.id, u]));
  return rows.map((r) => ({ ...r, user: byId.get(r.userId) ?? null }));
}

/** The organisation's deletion requests, newest first, with who asked. */
export async function deletionRequests(membership: OrgMembership) {
  assertCan(membership, "sovereignty.view");
  const rows = await db.deletionRequest.findMany({
    where: { orgId: membership.org.id },
    select: { id: true, status: true, reason: true, note: true, createdAt: true, decidedAt: true, requestedById: true },
    orderBy: { createdAt: "desc" },
    take: 20,
  });
  const users = await db.user.findMany({ where: { id: { in: rows.map((r) => r.requestedById) } }, select: { id: true, name: true, email: true } });
  const byId = new Map(users.map((u) => [u.id, u]));
  return rows.map((r) => ({ ...r, requestedBy: byId.get(r.requestedById) ?? null }));
}

function operatorAccessWhere(orgId: string): Prisma.AuditEventWhereInput {
  return { chainKey: orgId, OR: [{ action: { startsWith: "operator." } }, { actorLabel: { startsWith: "operator:" } }] };
}

/** One page of the provider operators' actions on the organisation (who, what, when), newest first. */
export async function operatorAccessEvents(membership: OrgMembership, page: number) {
  assertCan(membership, "sovereignty.view");
  const where = operatorAccessWhere(membership.org.id);
  const [events, total] = await Promise.all([
    db.auditEvent.findMany({
      where,
      select: { seq: true, at: true, actorLabel: true, action: true, targetType: true, outcome: true },
      orderBy: { seq: "desc" },
      take: OPERATOR_ACCESS_PAGE_SIZE,
      skip: (page - 1) * OPERATOR_ACCESS_PAGE_SIZE,
    }),
    db.auditEvent.count({ where }),
  ]);
  return { events, total, pages: Math.max(1, Math.ceil(total / OPERATOR_ACCESS_PAGE_SIZE)) };
}
