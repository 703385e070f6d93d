// What the operators' console reads. Only operators reach these (operatorContext() guards the pages;
// each function checks the platform role again), and opening an organisation's details is itself
// recorded in that organisation's audit chain: customers see when provider staff looked at their data.
import "server-only";
import { db } from "../db";
import { AppError } from "../errors";
import { recordAudit } from "../audit/record";
import type { RequestMeta } from "../request-meta";
import { isOperator } from "./role";

async function assertOperator(userId: string) {
  if (!(await isOperator(userId))) throw new AppError("errors.forbidden");
}

export async function operatorOverview(userId: string) {
  await assertOperator(userId);
  const [pending, suspended, active, openDisputes, drafts, queue] = await Promise.all([
    db.organization.count({ where: { status: "PENDING_APPROVAL" } }),
    db.organization.count({ where: { status: "SUSPENDED" } }),
    db.organization.count({ where: { status: "ACTIVE" } }),
    db.invoiceDispute.count({ where: { status: "OPEN" } }),
    db.invoice.count({ where: { status: "DRAFT" } }),
    db.innovationRequest.count({ where: { status: { in: ["SUBMITTED", "IN_REVIEW"] } } }),
  ]);
  return { pending, suspended, active, openDisputes, drafts, queue };
}

export async function listOrganisations(userId: string, status?: string) {
  await assertOperator(userId);
  const where = status && ["PENDING_APPROVAL", "ACTIVE", "SUSPENDED", "REJECTED"].includes(status) ? { status: status as "ACTIVE" } : {};
  const orgs = await db.organization.findMany({
    where,
    orderBy: [{ status: "asc" }, { createdAt: "desc" }],
    take: 500,
    select: { id: true, slug: true, name: true, orgNumber: true, sector: true, status: true, gpuQuota: true, allowedShapes: true, createdAt: true, _count: { select: { memberships: true } } },
  });
  const held = await db.workbench.groupBy({
    by: ["orgId"],
    where: { orgId: { in: orgs.map((o) => o.id) }, desiredState: "RUNNING", status: { notIn: ["DELETED", "LOST", "FAILED"] } },
    _sum: { gpuMilli: true },
  });
  const heldBy = new Map(held.map((h) => [h.orgId, (h._sum.gpuMilli ?? 0) / 1000]));
  return orgs.map((o) => ({ ...o, members: o._count.memberships, gpusHeld: heldBy.get(o.id) ?? 0 }));
}

/** One organisation for an operator; the look is audited in the organisation's chain. */
export async function organisationForOperator(userId: string, orgId: string, meta: RequestMeta, operatorEmail: string) {
  await assertOperator(userId);
  const org = await db.organization.findUnique({
    where: { id: orgId },
    include: {
      memberships: { include: { user: { select: { name: true, email: true } } }, orderBy: { createdAt: "asc" } },
      dpaAcceptances: { orderBy: { acceptedAt: "desc" }, take: 1 },
    },
  });
  if (!org) throw new AppError("errors.notFound");
  const [workbenches, invoices] = await Promise.all([
    db.workbench.findMany({ where: { orgId, status: { not: "DELETED" } }, orderBy: { createdAt: "desc" }, take: 50, select: { id: true, displayName: true, shapeId: true, regionId: true, status: true, desiredState: true, gpuMilli: true } }),
    db.invoice.findMany({ where: { orgId }, orderBy: [{ periodStart: "desc" }, { createdAt: "desc" }], take: 24, include: { disputes: { where: { status: "OPEN" } } } }),
  ]);
  await db.$transaction((tx) =>
    recordAudit(tx, { actorId: userId, actorLabel: `operator:${operatorEmail}`, ip: meta.ip, userAgent: meta.userAgent }, {
      orgId, action: "operator.viewed_organisation", targetType: "organization", targetId: orgId, details: { what: "members, notebooks, invoices" },
    }),
  );
  return { org, workbenches, invoices };
}

/** Open disputes (credit-note requests) and the invoices they concern. */
export async function openDisputes(userId: string) {
  await assertOperator(userId);
  return db.invoiceDispute.findMany({
    where: { status: "OPEN" },
    orderBy: { createdAt: "asc" },
    include: { invoice: { include: { org: { select: { name: true, slug: true } }, creditNotes: { select: { netOre: true } } } } },
  });
}

export async function catalogueForOperator(userId: string) {
  await assertOperator(userId);
  const [offers, sets] = await Promise.all([
    db.shapeOffer.findMany({ orderBy: { sortOrder: "asc" } }),
    db.carbonFactorSet.findMany({ orderBy: { validFrom: "desc" }, include: { factors: { orderBy: { key: "asc" } } }, take: 10 }),
  ]);
  const now = new Date();
  const current = sets.find((s) => s.validFrom <= now) ?? null;
  return { offers, sets: sets.map((s) => ({ id: s.id, label: s.label, validFrom: s.validFrom, factors: s.factors.length })), current };
}
