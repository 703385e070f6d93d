// Reading the audit trail: filtered pages, CSV export and chain verification, for owners and admins.
import "server-only";
import type { Prisma } from "@/generated/prisma/client";
import { db } from "../db";
import { assertCan, type OrgMembership } from "../orgs/queries";
import { auditFilterSchema, type AuditFilter } from "./filter-schema";
import { verifyChainSegment, GENESIS_HASH, type ChainCheck } from "./hash";

export { auditFilterSchema };

export const AUDIT_PAGE_SIZE = 50;

function whereFor(orgId: string, filter: AuditFilter): Prisma.AuditEventWhereInput {
  const where: Prisma.AuditEventWhereInput = { chainKey: orgId };
  if (filter.action) where.action = { startsWith: filter.action };
  if (filter.actor) where.actorLabel = { contains: filter.actor, mode: "insensitive" };
  if (filter.outcome) where.outcome = filter.outcome;
  if (filter.from || filter.to) {
    where.at = {
      ...(filter.from ? { gte: new Date(`${filter.from}T00:00:00Z`) } : {}),
      ...(filter.to ? { lt: new Date(new Date(`${filter.to}T00:00:00Z`).getTime() + 86_400_000) } : {}),
    };
  }
  return where;
}

const listSelect = {
  seq: true, at: true, actorLabel: true, action: true, targetType: true, targetId: true,
  outcome: true, ip: true, userAgent: true, details: true, hash: true,
} as const;

/** One page of events, newest first, with the total for the filter. */
export async function listAuditEvents(membership: OrgMembership, filter: AuditFilter) {
  assertCan(membership, "audit.view");
  const where = whereFor(membership.org.id, filter);
  const [events, total] = await Promise.all([
    db.auditEvent.findMany({ where, select: listSelect, orderBy: { seq: "desc" }, take: AUDIT_PAGE_SIZE, skip: (filter.page - 1) * AUDIT_PAGE_SIZE }),
    db.auditEvent.count({ where }),
  ]);
  const actions = await db.auditEvent.findMany({ where: { chainKey: membership.org.id }, distinct: ["action"], select: { action: true }, orderBy: { action: "asc" } });
  return { events, total, pages: Math.max(1, Math.ceil(total / AUDIT_PAGE_SIZE)), actions: actions.map((a) => a.action) };
}

const csvCell = (value: unknown) => {
  let s = value === null || value === undefined ? "" : typeof value === "string" ? value : JSON.stringify(value);
  // Neutralise spreadsheet formulas.
  if (/^[=+\-@\t\r]/.test(s)) s = `'${s}`;
  return /[",\n\r]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
};

/** The filtered events as CSV (all pages), oldest first. */
export async function* exportAuditCsv(membership: OrgMembership, filter: AuditFilter): AsyncGenerator<string> {
  assertCan(membership, "audit.view");
  const where = whereFor(membership.org.id, filter);
  yield "seq,time_utc,actor,action,target_type,target_id,outcome,ip,user_agent,details,prev_hash,hash\n";
  let after = 0;
  for (;;) {
    const batch = await db.auditEvent.findMany({
      where: { AND: [where, { seq: { gt: after } }] },
      orderBy: { seq: "asc" },
      take: 1000,
    });
    if (batch.length === 0) return;
    yield batch
      .map((e) =>
        [e.seq, e.at.toISOString(), e.actorLabel, e.action, e.targetType, e.targetId, e.outcome, e.ip, e.userAgent, e.details, e.prevHash, e.hash]
          .map(csvCell)
          .join(","),
      )
      .join("\n") + "\n";
    after = batch[batch.length - 1]!.seq;
  }
}

/** Recomputes the whole chain of an organisation (or the platform) and reports the first break. */
export async function verifyChain(chainKey: string): Promise<ChainCheck> {
  let start = { prevHash: GENESIS_HASH, seq: 0 };
  let count = 0;
  for (;;) {
    const batch = await db.auditEvent.findMany({ where: { chainKey, seq: { gt: start.seq } }, orderBy: { seq: "asc" }, take: 2000 });
    if (batch.length === 0) return { ok: true, count };
    const result = verifyChainSegment(batch, start);
    if (!result.ok) return { ...result, count: count + result.count };
    count += result.count;
    const last = batch[batch.length - 1]!;
    start = { prevHash: last.hash, seq: last.seq };
  }
}

/** Chain verification for the organisation's owners and admins. */
export async function verifyOrgAuditChain(membership: OrgMembership): Promise<ChainCheck> {
  assertCan(membership, "audit.view");
  return verifyChain(membership.org.id);
}
