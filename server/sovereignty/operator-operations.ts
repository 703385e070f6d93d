// What operators do with organisations' data-deletion requests: approve (the organisation is suspended
// and its notebooks stopped; the data is then purged by the documented operations step within
// DELETION_DAYS), decline with a note, and mark a request completed once the purge is done. Nothing here
// deletes data. Every step is audited in the organisation's own chain and e-mailed to its owners.
import "server-only";
import { AppError } from "../errors";
import { defineOperatorOperation, type OperatorContext } from "../operator/define";
import { notifyOwnersOfDeletion } from "./notify";
import { deletionDeadline, INVOICE_RETENTION_YEARS } from "./policy";
import { approveDeletionSchema, completeDeletionSchema, rejectDeletionSchema } from "./schemas";

/** Locks a request and its organisation (in that order, as the customer's operations lock the organisation). */
async function lockedRequest(ctx: OperatorContext, requestId: string) {
  const [row] = await ctx.tx.$queryRaw<Array<{ org_id: string }>>`SELECT org_id FROM deletion_request WHERE id = ${requestId}`;
  if (!row) throw new AppError("errors.notFound");
  const [org] = await ctx.tx.$queryRaw<Array<{ id: string; slug: string; name: string; status: string }>>`
    SELECT id, slug, name, status::text AS status FROM organization WHERE id = ${row.org_id} FOR UPDATE`;
  if (!org) throw new AppError("errors.notFound");
  const request = await ctx.tx.deletionRequest.findUniqueOrThrow({ where: { id: requestId } });
  return { org, request };
}

/** Approves a request: suspends the organisation with the reason and stops its running notebooks. */
export const approveDeletion = defineOperatorOperation({
  name: "operator.deletion_approve",
  schema: approveDeletionSchema,
  async handler(ctx, input) {
    const { org, request } = await lockedRequest(ctx, input.requestId);
    if (request.status !== "REQUESTED") throw new AppError("errors.deletionNotOpen");
    const now = new Date();
    const deadline = deletionDeadline(now);
    await ctx.tx.deletionRequest.update({ where: { id: request.id }, data: { status: "APPROVED", decidedById: ctx.operator.id, decidedAt: now, note: input.note } });
    const statusReason = `Data deletion approved on ${now.toISOString().slice(0, 10)}; the organisation's data will be deleted by ${deadline}. Invoices and credit notes are kept for ${INVOICE_RETENTION_YEARS} years (Bookkeeping Act).`;
    await ctx.tx.organization.update({ where: { id: org.id }, data: { status: "SUSPENDED", statusReason } });
    const running = await ctx.tx.workbench.findMany({
      where: { orgId: org.id, desiredState: "RUNNING", status: { notIn: ["DELETED", "LOST", "FAILED"] } },
      select: { id: true, name: true },
    });
    await ctx.tx.workbench.updateMany({ where: { id: { in: running.map((w) => w.id) } }, data: { desiredState: "STOPPED" } });
    for (const w of running) {
      await ctx.audit({ orgId: org.id, action: "notebook.stop_requested", targetType: "workbench", targetId: w.id, details: { name: w.name, reason: "data deletion approved" } });
    }
    if (org.status !== "SUSPENDED") {
      await ctx.audit({ orgId: org.id, action: "operator.org_suspended", targetType: "organization", targetId: org.id, details: { from: org.status, to: "SUSPENDED", reason: statusReason, notebooksStopped: running.length } });
    }
    await ctx.audit({
      orgId: org.id, action: "operator.deletion_approved", targetType: "deletion_request", targetId: request.id,
      details: { note: input.note, deleteBy: deadline, notebooksStopped: running.length, orgStatusBefore: org.status },
    });
    await notifyOwnersOfDeletion(ctx.tx, org, "approved", { by: ctx.operator.email, deadline, note: input.note }, ctx.caller.meta.baseUrl);
    return { requestId: request.id, deadline, stopped: running.map((w) => w.id) };
  },
});

/** Declines a request with a note to the organisation; nothing changes for it otherwise. */
export const rejectDeletion = defineOperatorOperation({
  name: "operator.deletion_reject",
  schema: rejectDeletionSchema,
  async handler(ctx, input) {
    const { org, request } = await lockedRequest(ctx, input.requestId);
    if (request.status !== "REQUESTED") throw new AppError("errors.deletionNotOpen");
    await ctx.tx.deletionRequest.update({ where: { id: request.id }, data: { status: "CANCELLED", decidedById: ctx.operator.id, decidedAt: new Date(), note: input.note } });
    await ctx.audit({ orgId: org.id, action: "operator.deletion_rejected", targetType: "deletion_request", targetId: request.id, details: { note: input.note } });
    await notifyOwnersOfDeletion(ctx.tx, org, "rejected", { by: ctx.operator.email, note: input.note }, ctx.caller.meta.baseUrl);
    return { requestId: request.id };
  },
});

/** Records that the approved deletion has been carried out (by the documented operations step). */
export const completeDeletion = defineOperatorOperation({
  name: "operator.deletion_complete",
  schema: completeDeletionSchema,
  async handler(ctx, input) {
    const { org, request } = await lockedRequest(ctx, input.requestId);
    if (request.status !== "APPROVED") throw new AppError("errors.deletionNotOpen");
    const note = input.note ? (request.note ? `${request.note}\n${input.note}` : input.note) : request.note;
    await ctx.tx.deletionRequest.update({ where: { id: request.id }, data: { status: "COMPLETED", note } });
    await ctx.audit({ orgId: org.id, action: "operator.deletion_completed", targetType: "deletion_request", targetId: request.id, details: { note: input.note, approvedAt: request.decidedAt?.toISOString() ?? null } });
    await notifyOwnersOfDeletion(ctx.tx, org, "completed", { by: ctx.operator.email, note: input.note }, ctx.caller.meta.baseUrl);
    return { requestId: request.id };
  },
});
