// What an organisation's owners do about their data: ask the provider to delete it, or withdraw that
// request while the provider has not decided yet. One open request (requested or approved) at a time.
// Each step is authorised, audited and e-mailed to every owner in its transaction.
import "server-only";
import { defineOrgOperation, type OrgContext } from "../actions/define";
import { AppError } from "../errors";
import { recordAudit } from "../audit/record";
import { notifyOwnersOfDeletion } from "./notify";
import { cancelDeletionSchema, requestDeletionSchema } from "./schemas";

/** Locks the organisation row, so two owners cannot open two requests at the same moment. */
async function lockOrg(ctx: OrgContext) {
  await ctx.tx.$queryRaw`SELECT id FROM organization WHERE id = ${ctx.org.id} FOR UPDATE`;
}

export const requestDeletion = defineOrgOperation({
  name: "deletion.request",
  permission: "data.delete",
  schema: requestDeletionSchema,
  async handler(ctx, input) {
    await lockOrg(ctx);
    const open = await ctx.tx.deletionRequest.findFirst({ where: { orgId: ctx.org.id, status: { in: ["REQUESTED", "APPROVED"] } }, select: { id: true } });
    if (open) throw new AppError("errors.deletionAlreadyRequested");
    const request = await ctx.tx.deletionRequest.create({ data: { orgId: ctx.org.id, requestedById: ctx.caller.userId, reason: input.reason } });
    await recordAudit(ctx.tx, ctx.actor, {
      orgId: ctx.org.id, action: "deletion.requested", targetType: "deletion_request", targetId: request.id,
      details: { reason: input.reason },
    });
    await notifyOwnersOfDeletion(ctx.tx, ctx.org, "requested", { by: ctx.actor.actorLabel }, ctx.caller.meta.baseUrl);
    return { requestId: request.id };
  },
});

export const cancelDeletion = defineOrgOperation({
  name: "deletion.cancel",
  permission: "data.delete",
  schema: cancelDeletionSchema,
  async handler(ctx, input) {
    await lockOrg(ctx);
    const request = await ctx.tx.deletionRequest.findFirst({ where: { id: input.requestId, orgId: ctx.org.id }, select: { id: true, status: true } });
    if (!request) throw new AppError("errors.notFound");
    if (request.status !== "REQUESTED") throw new AppError("errors.deletionNotOpen");
    await ctx.tx.deletionRequest.update({ where: { id: request.id }, data: { status: "CANCELLED", decidedById: ctx.caller.userId, decidedAt: new Date() } });
    await recordAudit(ctx.tx, ctx.actor, { orgId: ctx.org.id, action: "deletion.cancelled", targetType: "deletion_request", targetId: request.id, details: { by: "customer" } });
    await notifyOwnersOfDeletion(ctx.tx, ctx.org, "cancelled", { by: ctx.actor.actorLabel }, ctx.caller.meta.baseUrl);
    return { requestId: request.id };
  },
});
