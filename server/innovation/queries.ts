// What customers read about joint-innovation requests: their organisation's list and one request with its
// timeline, comments and agreed credit. Every query is scoped to the caller's organisation and authorised
// with innovation.view; another organisation's id is "not found". Rows are trimmed to what pages show.
import "server-only";
import type { DataSensitivity, InnovationStatus, Sector } from "@/generated/prisma/enums";
import { db } from "../db";
import { AppError } from "../errors";
import { assertCan, type OrgMembership } from "../orgs/queries";
import type { InnovationContact } from "./schemas";

export interface InnovationListItem {
  id: string;
  title: string;
  status: InnovationStatus;
  sector: Sector;
  sensitivity: DataSensitivity;
  createdBy: string;
  updatedAt: string;
  submittedAt: string | null;
}

/** The organisation's requests, most recently changed first. */
export async function listInnovationRequests(membership: OrgMembership): Promise<InnovationListItem[]> {
  assertCan(membership, "innovation.view");
  const rows = await db.innovationRequest.findMany({
    where: { orgId: membership.org.id },
    orderBy: [{ updatedAt: "desc" }, { id: "asc" }],
    select: { id: true, title: true, status: true, sector: true, sensitivity: true, createdById: true, updatedAt: true, submittedAt: true },
    take: 500,
  });
  const names = await userNames(rows.map((r) => r.createdById));
  return rows.map((r) => ({
    id: r.id,
    title: r.title,
    status: r.status,
    sector: r.sector,
    sensitivity: r.sensitivity,
    createdBy: names.get(r.createdById) ?? "—",
    updatedAt: r.updatedAt.toISOString(),
    submittedAt: r.submittedAt?.toISOString() ?? null,
  }));
}

export interface InnovationTimelineEntry {
  id: string;
  /** A status change, or a hand-over to an operator (the status stays; `assignee` names them). */
  kind: "status" | "assigned";
  fromStatus: InnovationStatus | null;
  toStatus: InnovationStatus;
  actor: string;
  /** Entries other than the customer's own drafting and submitting are the provider's. */
  byProvider: boolean;
  note: string | null;
  assignee: string | null;
  at: string;
}

export interface InnovationCommentItem {
  id: string;
  author: string;
  fromProvider: boolean;
  body: string;
  at: string;
}

export interface InnovationDetail {
  id: string;
  title: string;
  problem: string;
  outcome: string;
  sector: Sector;
  sensitivity: DataSensitivity;
  shapeId: string | null;
  gpuQuantity: number | null;
  durationValue: number | null;
  durationUnit: "HOURS" | "MONTHS" | null;
  startDate: string | null;
  endDate: string | null;
  contacts: InnovationContact[];
  status: InnovationStatus;
  declineReason: string | null;
  createdBy: string;
  assignedTo: { id: string; name: string } | null;
  submittedAt: string | null;
  createdAt: string;
  updatedAt: string;
  credit: { amountOre: number; validFrom: string; validUntil: string; description: string } | null;
  timeline: InnovationTimelineEntry[];
  comments: InnovationCommentItem[];
}

const day = (d: Date | null) => (d ? d.toISOString().slice(0, 10) : null);

async function userNames(ids: string[]): Promise<Map<string, string>> {
  const unique = [...new Set(ids)];
  if (unique.length === 0) return new Map();
  const users = await db.user.findMany({ where: { id: { in: unique } }, select: { id: true, name: true } });
  return new Map(users.map((u) => [u.id, u.name]));
}

function contactsOf(value: unknown): InnovationContact[] {
  if (!Array.isArray(value)) return [];
  return value
    .filter((c): c is Record<string, unknown> => c !== null && typeof c === "object")
    .map((c) => ({ name: String(c.name ?? ""), email: String(c.email ?? ""), role: String(c.role ?? "") }));
}

/** Loads one request with its timeline, thread and credit, within one organisation or (provider) outside drafts. */
export async function loadInnovationDetail(requestId: string, scope: { orgId: string } | { provider: true }): Promise<(InnovationDetail & { orgId: string }) | null> {
  const row = await db.innovationRequest.findFirst({
    where: "orgId" in scope ? { id: requestId, orgId: scope.orgId } : { id: requestId, status: { not: "DRAFT" } },
    include: { events: { orderBy: [{ createdAt: "asc" }, { id: "asc" }] }, comments: { orderBy: [{ createdAt: "asc" }, { id: "asc" }] } },
  });
  if (!row) return null;
  const [names, credit] = await Promise.all([
    userNames([row.createdById, ...(row.assignedToId ? [row.assignedToId] : [])]),
    row.creditId ? db.billingCredit.findFirst({ where: { id: row.creditId, orgId: row.orgId } }) : Promise.resolve(null),
  ]);
  return {
    id: row.id,
    orgId: row.orgId,
    title: row.title,
    problem: row.problem,
    outcome: row.outcome,
    sector: row.sector,
    sensitivity: row.sensitivity,
    shapeId: row.shapeId,
    gpuQuantity: row.gpuQuantity,
    durationValue: row.durationValue,
    durationUnit: row.durationUnit === "HOURS" || row.durationUnit === "MONTHS" ? row.durationUnit : null,
    startDate: day(row.startDate),
    endDate: day(row.endDate),
    contacts: contactsOf(row.contacts),
    status: row.status,
    declineReason: row.declineReason,
    createdBy: names.get(row.createdById) ?? "—",
    assignedTo: row.assignedToId ? { id: row.assignedToId, name: names.get(row.assignedToId) ?? "—" } : null,
    submittedAt: row.submittedAt?.toISOString() ?? null,
    createdAt: row.createdAt.toISOString(),
    updatedAt: row.updatedAt.toISOString(),
    credit: credit ? { amountOre: Number(credit.amountOre), validFrom: day(credit.validFrom)!, validUntil: day(credit.validUntil)!, description: credit.description } : null,
    timeline: row.events.map((e) => {
      const assigned = e.fromStatus !== null && e.fromStatus === e.toStatus;
      return {
        id: e.id,
        kind: assigned ? "assigned" : "status",
        fromStatus: e.fromStatus,
        toStatus: e.toStatus,
        actor: e.actorLabel,
        byProvider: assigned || (e.toStatus !== "DRAFT" && e.toStatus !== "SUBMITTED"),
        note: assigned ? null : e.note,
        assignee: assigned ? e.note : null,
        at: e.createdAt.toISOString(),
      };
    }),
    comments: row.comments.map((c) => ({ id: c.id, author: c.authorName, fromProvider: c.fromProvider, body: c.body, at: c.createdAt.toISOString() })),
  };
}

/** One request of the caller's organisation. */
export async function getInnovationRequest(membership: OrgMembership, requestId: string): Promise<InnovationDetail> {
  assertCan(membership, "innovation.view");
  const detail = await loadInnovationDetail(requestId, { orgId: membership.org.id });
  if (!detail) throw new AppError("errors.notFound");
  const { orgId: _orgId, ...rest } = detail;
  return rest;
}
