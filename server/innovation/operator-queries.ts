// What operators read: the innovation queue across organisations (never drafts), one request with its
// organisation, and the operators a request can be assigned to. Each call checks the caller's platform
// role in the database first and fails closed.
import "server-only";
import type { Prisma } from "@/generated/prisma/client";
import type { DataSensitivity, InnovationStatus, Sector } from "@/generated/prisma/enums";
import { db } from "../db";
import { recordAudit } from "../audit/record";
import type { RequestMeta } from "../request-meta";
import { AppError } from "../errors";
import { isOperator } from "../operator/role";
import { loadInnovationDetail, type InnovationDetail } from "./queries";
import { INNOVATION_STATUSES, OPEN_STATUSES } from "./status";

async function assertOperator(userId: string): Promise<void> {
  if (!(await isOperator(userId))) throw new AppError("errors.forbidden");
}

export const QUEUE_STATUS_FILTERS = ["open", "all", ...INNOVATION_STATUSES.filter((s) => s !== "DRAFT")] as const;
export const QUEUE_ASSIGNED_FILTERS = ["all", "me", "unassigned"] as const;

export interface QueueFilter {
  status: (typeof QUEUE_STATUS_FILTERS)[number];
  assigned: (typeof QUEUE_ASSIGNED_FILTERS)[number];
}

/** Reads the queue filter from search parameters; anything unknown falls back to the default (open, anyone). */
export function parseQueueFilter(params: Record<string, string | string[] | undefined>): QueueFilter {
  const one = (v: string | string[] | undefined) => (Array.isArray(v) ? v[0] : v);
  const status = one(params.status);
  const assigned = one(params.assigned);
  return {
    status: (QUEUE_STATUS_FILTERS as readonly string[]).includes(status ?? "") ? (status as QueueFilter["status"]) : "open",
    assigned: (QUEUE_ASSIGNED_FILTERS as readonly string[]).includes(assigned ?? "") ? (assigned as QueueFilter["assigned"]) : "all",
  };
}

export interface QueueItem {
  id: string;
  title: string;
  status: InnovationStatus;
  sector: Sector;
  sensitivity: DataSensitivity;
  org: { name: string };
  assignedTo: { id: string; name: string } | null;
  submittedAt: string | null;
}

/** The queue: submitted requests of every organisation, oldest submission first. */
export async function listInnovationQueue(userId: string, filter: QueueFilter): Promise<QueueItem[]> {
  await assertOperator(userId);
  const where: Prisma.InnovationRequestWhereInput = {
    status: filter.status === "open" ? { in: [...OPEN_STATUSES] } : filter.status === "all" ? { not: "DRAFT" } : filter.status,
    ...(filter.assigned === "me" ? { assignedToId: userId } : filter.assigned === "unassigned" ? { assignedToId: null } : {}),
  };
  const rows = await db.innovationRequest.findMany({
    where,
    orderBy: [{ submittedAt: { sort: "asc", nulls: "last" } }, { createdAt: "asc" }],
    select: { id: true, title: true, status: true, sector: true, sensitivity: true, submittedAt: true, assignedToId: true, org: { select: { name: true } } },
    take: 500,
  });
  const assigneeIds = [...new Set(rows.flatMap((r) => (r.assignedToId ? [r.assignedToId] : [])))];
  const names = new Map((await db.user.findMany({ where: { id: { in: assigneeIds } }, select: { id: true, name: true } })).map((u) => [u.id, u.name]));
  return rows.map((r) => ({
    id: r.id,
    title: r.title,
    status: r.status,
    sector: r.sector,
    sensitivity: r.sensitivity,
    org: { name: r.org.name },
    assignedTo: r.assignedToId ? { id: r.assignedToId, name: names.get(r.assignedToId) ?? "—" } : null,
    submittedAt: r.submittedAt?.toISOString() ?? null,
  }));
}

export interface OperatorInnovationDetail extends InnovationDetail {
  org: { id: string; name: string; orgNumber: string; sector: Sector; status: string };
}

/**
 * One request the provider can see, with its organisation; drafts and unknown ids are "not found".
 * Opening it is audited in the organisation's chain, as every operator look at customer data is.
 */
export async function getInnovationRequestForOperator(operator: { userId: string; email: string }, requestId: string, meta: RequestMeta): Promise<OperatorInnovationDetail> {
  await assertOperator(operator.userId);
  const detail = await loadInnovationDetail(requestId, { provider: true });
  if (!detail) throw new AppError("errors.notFound");
  const { orgId, ...rest } = detail;
  const org = await db.organization.findUniqueOrThrow({ where: { id: orgId }, select: { id: true, name: true, orgNumber: true, sector: true, status: true } });
  await db.$transaction((tx) =>
    recordAudit(tx, { actorId: operator.userId, actorLabel: `operator:${operator.email}`, ip: meta.ip, userAgent: meta.userAgent }, {
      orgId, action: "operator.viewed_innovation_request", targetType: "innovation_request", targetId: detail.id, details: { title: detail.title },
    }),
  );
  return { ...rest, org };
}

/** Operators a request can be assigned to, by name. */
export async function listOperators(userId: string): Promise<Array<{ id: string; name: string; email: string }>> {
  await assertOperator(userId);
  return db.user.findMany({ where: { platformRole: "OPERATOR" }, select: { id: true, name: true, email: true }, orderBy: [{ name: "asc" }, { id: "asc" }] });
}
