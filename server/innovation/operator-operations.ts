// What operators do with the innovation queue: assign a request (to themselves or another operator),
// comment to the customer, and move it through review (accepting it, optionally with an agreed GPU credit
// that the monthly invoices draw down). Drafts are invisible here. Every change writes the request's
// timeline, an audit event in the customer organisation's chain, and e-mails to the customer.
import "server-only";
import type { OperatorContext } from "../operator/define";
import { defineOperatorOperation } from "../operator/define";
import { AppError } from "../errors";
import { translator, type MessageKey } from "../i18n/locales";
import { notifyCustomer, notifyProvider } from "./notify";
import { canProviderMove } from "./status";
import { assignSchema, operatorCommentSchema, statusChangeSchema } from "./schemas";

/** Locks a request the provider can see (anything but a draft); others are "not found". */
async function lockRequest(ctx: OperatorContext, requestId: string) {
  const [row] = await ctx.tx.$queryRaw<Array<{ id: string }>>`SELECT id FROM innovation_request WHERE id = ${requestId} AND status <> 'DRAFT' FOR UPDATE`;
  if (!row) throw new AppError("errors.notFound");
  return ctx.tx.innovationRequest.findUniqueOrThrow({ where: { id: row.id }, include: { org: { select: { id: true, slug: true, name: true } } } });
}

/** Today's calendar date in Norway, as a UTC midnight date (the column is a date). */
function todayInNorway(now = new Date()): Date {
  const ymd = new Intl.DateTimeFormat("en-CA", { timeZone: "Europe/Oslo", year: "numeric", month: "2-digit", day: "2-digit" }).format(now);
  return new Date(`${ymd}T00:00:00Z`);
}

const day = (d: Date) => d.toISOString().slice(0, 10);

/** Hands a request to an operator (the caller or a colleague); the customer sees who handles it. */
export const assignInnovationRequest = defineOperatorOperation({
  name: "operator.innovation_assign",
  schema: assignSchema,
  async handler(ctx, input) {
    const request = await lockRequest(ctx, input.requestId);
    const assignee = await ctx.tx.user.findUnique({ where: { id: input.assigneeId }, select: { id: true, name: true, platformRole: true } });
    if (!assignee || assignee.platformRole !== "OPERATOR") throw new AppError("errors.validation", { assigneeId: "errors.assigneeNotOperator" });
    if (request.assignedToId === assignee.id) return { requestId: request.id, assignee: assignee.name, changed: false };
    const updated = await ctx.tx.innovationRequest.update({ where: { id: request.id }, data: { assignedToId: assignee.id } });
    // An assignment keeps the status; its timeline entry names the new assignee.
    await ctx.tx.innovationEvent.create({
      data: { requestId: request.id, fromStatus: request.status, toStatus: request.status, actorId: ctx.operator.id, actorLabel: ctx.operator.name, note: assignee.name },
    });
    await ctx.audit({
      orgId: request.orgId, action: "operator.innovation_assigned", targetType: "innovation_request", targetId: request.id,
      details: { title: request.title, from: request.assignedToId, to: assignee.id, assignee: assignee.name },
    });
    await notifyCustomer(ctx.tx, updated, request.org, { kind: "assigned", operator: assignee.name }, ctx.caller.meta.baseUrl);
    if (assignee.id !== ctx.operator.id) {
      await notifyProvider(ctx.tx, updated, request.org, { kind: "assignedToYou" }, ctx.operator.name, ctx.caller.meta.baseUrl);
    }
    return { requestId: request.id, assignee: assignee.name, changed: true };
  },
});

/** Adds the provider's comment to a request's thread. */
export const commentAsOperator = defineOperatorOperation({
  name: "operator.innovation_comment",
  schema: operatorCommentSchema,
  async handler(ctx, input) {
    const request = await lockRequest(ctx, input.requestId);
    const comment = await ctx.tx.innovationComment.create({
      data: { requestId: request.id, authorId: ctx.operator.id, authorName: ctx.operator.name, fromProvider: true, body: input.body },
    });
    await ctx.audit({
      orgId: request.orgId, action: "operator.innovation_commented", targetType: "innovation_request", targetId: request.id,
      details: { title: request.title, commentId: comment.id, length: input.body.length },
    });
    await notifyCustomer(ctx.tx, request, request.org, { kind: "comment" }, ctx.caller.meta.baseUrl);
    return { requestId: request.id, commentId: comment.id };
  },
});

/**
 * Moves a request along the allowed transitions. Declining records the reason; accepting may grant an
 * agreed GPU credit, which becomes a billing credit of the organisation linked to the request.
 */
export const changeInnovationStatus = defineOperatorOperation({
  name: "operator.innovation_status",
  schema: statusChangeSchema,
  async handler(ctx, input) {
    const request = await lockRequest(ctx, input.requestId);
    if (!canProviderMove(request.status, input.status)) {
      const t = translator(ctx.caller.meta.locale);
      throw new AppError("errors.innovationTransition", undefined, {
        from: t(`innovation.status.${request.status}` as MessageKey),
        to: t(`innovation.status.${input.status}` as MessageKey),
      });
    }
    let credit: { id: string; amountOre: number; validFrom: string; validUntil: string } | null = null;
    if (input.status === "ACCEPTED" && input.credit) {
      const validFrom = input.credit.validFrom ?? todayInNorway();
      if (input.credit.validUntil < validFrom) throw new AppError("errors.validation", { creditUntil: "errors.dateOrder" });
      const row = await ctx.tx.billingCredit.create({
        data: {
          orgId: request.orgId,
          description: `GPU credit: joint-innovation project ${request.title}`,
          amountOre: BigInt(input.credit.amountOre),
          validFrom,
          validUntil: input.credit.validUntil,
        },
      });
      credit = { id: row.id, amountOre: input.credit.amountOre, validFrom: day(validFrom), validUntil: day(input.credit.validUntil) };
    }
    const updated = await ctx.tx.innovationRequest.update({
      where: { id: request.id },
      data: {
        status: input.status,
        ...(input.status === "DECLINED" ? { declineReason: input.note } : {}),
        ...(credit ? { creditId: credit.id, creditOre: BigInt(credit.amountOre) } : {}),
      },
    });
    await ctx.tx.innovationEvent.create({
      data: { requestId: request.id, fromStatus: request.status, toStatus: input.status, actorId: ctx.operator.id, actorLabel: ctx.operator.name, note: input.note },
    });
    await ctx.audit({
      orgId: request.orgId, action: "operator.innovation_status_changed", targetType: "innovation_request", targetId: request.id,
      details: { title: request.title, from: request.status, to: input.status, ...(input.status === "DECLINED" ? { reason: input.note } : {}), credit },
    });
    if (credit) {
      await ctx.audit({
        orgId: request.orgId, action: "operator.billing_credit_created", targetType: "billing_credit", targetId: credit.id,
        details: { amountOre: credit.amountOre, validFrom: credit.validFrom, validUntil: credit.validUntil, innovationRequestId: request.id },
      });
    }
    await notifyCustomer(ctx.tx, updated, request.org, { kind: "status", status: input.status }, ctx.caller.meta.baseUrl);
    return { requestId: request.id, status: input.status, creditId: credit?.id ?? null };
  },
});
