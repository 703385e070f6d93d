// What customers do with joint-innovation requests: save a draft, submit it (or resubmit after the
// provider asked for more information), comment, and withdraw a draft. Each is authorised through the
// permission table inside its transaction, scoped to the caller's organisation, audited in its chain,
// written to the request's timeline, and (once the provider can see the request) e-mailed to the provider.
import "server-only";
import type { Prisma } from "@/generated/prisma/client";
import { defineOrgOperation, type OrgContext } from "../actions/define";
import { AppError } from "../errors";
import { recordAudit } from "../audit/record";
import { notifyProvider } from "./notify";
import { canCustomerEdit } from "./status";
import { commentSchema, draftSchema, requestRefSchema, submitSchema, type InnovationRequestData } from "./schemas";

/** Locks a request of the caller's organisation; another organisation's id is "not found". */
async function lockRequest(ctx: OrgContext, requestId: string) {
  const [row] = await ctx.tx.$queryRaw<Array<{ id: string }>>`SELECT id FROM innovation_request WHERE id = ${requestId} AND org_id = ${ctx.org.id} FOR UPDATE`;
  if (!row) throw new AppError("errors.notFound");
  return ctx.tx.innovationRequest.findUniqueOrThrow({ where: { id: row.id } });
}

async function callerName(ctx: OrgContext): Promise<string> {
  const user = await ctx.tx.user.findUniqueOrThrow({ where: { id: ctx.caller.userId }, select: { name: true } });
  return user.name;
}

/** The stored columns of a request's content. */
function content(input: InnovationRequestData) {
  return {
    title: input.title,
    problem: input.problem,
    outcome: input.outcome,
    sector: input.sector,
    sensitivity: input.sensitivity,
    shapeId: input.shapeId,
    gpuQuantity: input.gpuQuantity,
    durationValue: input.durationValue,
    durationUnit: input.durationUnit,
    startDate: input.startDate,
    endDate: input.endDate,
    contacts: input.contacts.map((c) => ({ name: c.name, email: c.email, role: c.role })) as Prisma.InputJsonArray,
  };
}

/** Creates a draft, or saves changes to one still editable (a draft, or one the provider asked more of). */
export const saveInnovationDraft = defineOrgOperation({
  name: "innovation.save_draft",
  permission: "innovation.submit",
  schema: draftSchema,
  async handler(ctx, input) {
    const name = await callerName(ctx);
    if (input.requestId) {
      const request = await lockRequest(ctx, input.requestId);
      if (!canCustomerEdit(request.status)) throw new AppError("errors.innovationNotEditable");
      await ctx.tx.innovationRequest.update({ where: { id: request.id }, data: content(input) });
      await recordAudit(ctx.tx, ctx.actor, {
        orgId: ctx.org.id, action: "innovation.draft_saved", targetType: "innovation_request", targetId: request.id,
        details: { title: input.title, status: request.status },
      });
      return { requestId: request.id, slug: ctx.org.slug, created: false };
    }
    const request = await ctx.tx.innovationRequest.create({
      data: { orgId: ctx.org.id, createdById: ctx.caller.userId, status: "DRAFT", ...content(input) },
    });
    await ctx.tx.innovationEvent.create({ data: { requestId: request.id, fromStatus: null, toStatus: "DRAFT", actorId: ctx.caller.userId, actorLabel: name } });
    await recordAudit(ctx.tx, ctx.actor, {
      orgId: ctx.org.id, action: "innovation.draft_created", targetType: "innovation_request", targetId: request.id,
      details: { title: input.title, sensitivity: input.sensitivity },
    });
    return { requestId: request.id, slug: ctx.org.slug, created: true };
  },
});

/** Submits a complete request to the provider: a new one, a draft, or one the provider asked more of. */
export const submitInnovationRequest = defineOrgOperation({
  name: "innovation.submit",
  permission: "innovation.submit",
  schema: submitSchema,
  async handler(ctx, input) {
    const name = await callerName(ctx);
    const now = new Date();
    let request;
    let from: "DRAFT" | "NEEDS_INFO" | null = null;
    if (input.requestId) {
      const current = await lockRequest(ctx, input.requestId);
      if (current.status !== "DRAFT" && current.status !== "NEEDS_INFO") throw new AppError("errors.innovationNotEditable");
      from = current.status;
      request = await ctx.tx.innovationRequest.update({
        where: { id: current.id },
        data: { ...content(input), status: "SUBMITTED", submittedAt: current.submittedAt ?? now },
      });
    } else {
      request = await ctx.tx.innovationRequest.create({
        data: { orgId: ctx.org.id, createdById: ctx.caller.userId, status: "SUBMITTED", submittedAt: now, ...content(input) },
      });
    }
    await ctx.tx.innovationEvent.create({ data: { requestId: request.id, fromStatus: from, toStatus: "SUBMITTED", actorId: ctx.caller.userId, actorLabel: name } });
    const resubmitted = from === "NEEDS_INFO";
    await recordAudit(ctx.tx, ctx.actor, {
      orgId: ctx.org.id, action: resubmitted ? "innovation.resubmitted" : "innovation.submitted", targetType: "innovation_request", targetId: request.id,
      details: { title: request.title, from, to: "SUBMITTED", sensitivity: request.sensitivity },
    });
    await notifyProvider(ctx.tx, request, ctx.org, { kind: resubmitted ? "resubmitted" : "submitted" }, name, ctx.caller.meta.baseUrl);
    return { requestId: request.id, slug: ctx.org.slug };
  },
});

/** Adds the customer's comment to a submitted request's thread with the provider. */
export const commentOnInnovationRequest = defineOrgOperation({
  name: "innovation.comment",
  permission: "innovation.submit",
  schema: commentSchema,
  async handler(ctx, input) {
    const request = await lockRequest(ctx, input.requestId);
    if (request.status === "DRAFT") throw new AppError("errors.innovationNotSubmitted");
    const name = await callerName(ctx);
    const comment = await ctx.tx.innovationComment.create({
      data: { requestId: request.id, authorId: ctx.caller.userId, authorName: name, fromProvider: false, body: input.body },
    });
    // The audit trail records that a comment was made, not what it says (that stays in the request).
    await recordAudit(ctx.tx, ctx.actor, {
      orgId: ctx.org.id, action: "innovation.commented", targetType: "innovation_request", targetId: request.id,
      details: { title: request.title, commentId: comment.id, length: input.body.length },
    });
    await notifyProvider(ctx.tx, request, ctx.org, { kind: "comment" }, name, ctx.caller.meta.baseUrl);
    return { requestId: request.id, commentId: comment.id };
  },
});

/** Deletes a draft the provider has never seen. */
export const withdrawInnovationDraft = defineOrgOperation({
  name: "innovation.withdraw",
  permission: "innovation.submit",
  schema: requestRefSchema,
  async handler(ctx, input) {
    const request = await lockRequest(ctx, input.requestId);
    if (request.status !== "DRAFT") throw new AppError("errors.innovationNotEditable");
    await ctx.tx.innovationRequest.delete({ where: { id: request.id } });
    await recordAudit(ctx.tx, ctx.actor, {
      orgId: ctx.org.id, action: "innovation.draft_withdrawn", targetType: "innovation_request", targetId: request.id,
      details: { title: request.title },
    });
    return { requestId: request.id, slug: ctx.org.slug };
  },
});
