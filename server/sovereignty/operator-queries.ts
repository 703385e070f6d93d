// The operators' list of data-deletion requests across organisations (provider staff only).
import "server-only";
import type { Prisma } from "@/generated/prisma/client";
import { db } from "../db";
import { AppError } from "../errors";
import { isOperator } from "../operator/role";
import type { z } from "zod";
import type { deletionListFilterSchema } from "./schemas";

/** Deletion requests with their organisation and the people involved; refuses anyone but operators. */
export async function listDeletionRequestsForOperator(userId: string, filter: z.infer<typeof deletionListFilterSchema>) {
  if (!(await isOperator(userId))) throw new AppError("errors.forbidden");
  const where: Prisma.DeletionRequestWhereInput =
    filter.status === "all" ? {} : filter.status === "open" ? { status: { in: ["REQUESTED", "APPROVED"] } } : { status: filter.status };
  const rows = await db.deletionRequest.findMany({
    where,
    select: {
      id: true, status: true, reason: true, note: true, createdAt: true, decidedAt: true, requestedById: true, decidedById: true,
      org: { select: { id: true, slug: true, name: true, orgNumber: true, status: true } },
    },
    orderBy: [{ createdAt: "desc" }],
    take: 200,
  });
  const ids = [...new Set(rows.flatMap((r) => [r.requestedById, r.decidedById].filter((v): v is string => v !== null)))];
  const users = await db.user.findMany({ where: { id: { in: ids } }, select: { id: true, name: true, email: true } });
  const byId = new Map(users.map((u) => [u.id, u]));
  const running = await db.workbench.groupBy({
    by: ["orgId"],
    where: { orgId: { in: rows.map((r) => r.org.id) }, status: { notIn: ["DELETED", "STOPPED", "FAILED", "LOST"] } },
    _count: { _all: true },
  });
  const active = new Map(running.map((r) => [r.orgId, r._count._all]));
  return rows.map((r) => ({
    ...r,
    requestedBy: byId.get(r.requestedById) ?? null,
    decidedBy: r.decidedById ? (byId.get(r.decidedById) ?? null) : null,
    activeNotebooks: active.get(r.org.id) ?? 0,
  }));
}
