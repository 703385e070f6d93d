// What procurement does with invoices: approve (by one person, or two different people when the
// organisation asks for four eyes), dispute with a reason (a credit-note request to the provider), and
// set the billing references and approval rule. Each is authorised and audited in its transaction.
import "server-only";
import { defineOrgOperation, type OrgContext } from "../actions/define";
import { AppError } from "../errors";
import { recordAudit } from "../audit/record";
import { enqueueEmail } from "../email/outbox";
import { disputeRequestMessage } from "../email/templates";
import { billingSettingsSchema, disputeSchema, invoiceRefSchema } from "./schemas";
import { supplier } from "./supplier";

/** Locks and loads an invoice of the caller's organisation; another organisation's id is "not found". */
async function lockedInvoice(ctx: OrgContext, invoiceId: string) {
  const [row] = await ctx.tx.$queryRaw<Array<{ id: string }>>`SELECT id FROM invoice WHERE id = ${invoiceId} AND org_id = ${ctx.org.id} FOR UPDATE`;
  if (!row) throw new AppError("errors.notFound");
  return ctx.tx.invoice.findUniqueOrThrow({ where: { id: row.id }, include: { approvals: true, org: { select: { invoiceApprovals: true } } } });
}

export const approveInvoice = defineOrgOperation({
  name: "invoice.approve",
  permission: "invoices.approve",
  schema: invoiceRefSchema,
  async handler(ctx, input) {
    const invoice = await lockedInvoice(ctx, input.invoiceId);
    if (invoice.kind !== "INVOICE" || invoice.status !== "ISSUED") throw new AppError("errors.invoiceNotApprovable");
    if (invoice.approvals.some((a) => a.userId === ctx.caller.userId)) throw new AppError("errors.alreadyApproved");
    await ctx.tx.invoiceApproval.create({ data: { invoiceId: invoice.id, userId: ctx.caller.userId } });
    const approvals = invoice.approvals.length + 1;
    const required = invoice.org.invoiceApprovals;
    const done = approvals >= required;
    if (done) await ctx.tx.invoice.update({ where: { id: invoice.id }, data: { status: "APPROVED" } });
    await recordAudit(ctx.tx, ctx.actor, {
      orgId: ctx.org.id, action: "invoice.approved", targetType: "invoice", targetId: invoice.id,
      details: { number: invoice.number, approvals, required, status: done ? "APPROVED" : "ISSUED" },
    });
    return { invoiceId: invoice.id, approvals, required, approved: done };
  },
});

export const disputeInvoice = defineOrgOperation({
  name: "invoice.dispute",
  permission: "invoices.approve",
  schema: disputeSchema,
  async handler(ctx, input) {
    const invoice = await lockedInvoice(ctx, input.invoiceId);
    if (invoice.kind !== "INVOICE" || !["ISSUED", "APPROVED"].includes(invoice.status)) throw new AppError("errors.invoiceNotDisputable");
    const dispute = await ctx.tx.invoiceDispute.create({ data: { invoiceId: invoice.id, userId: ctx.caller.userId, reason: input.reason } });
    await ctx.tx.invoice.update({ where: { id: invoice.id }, data: { status: "DISPUTED" } });
    await recordAudit(ctx.tx, ctx.actor, {
      orgId: ctx.org.id, action: "invoice.disputed", targetType: "invoice", targetId: invoice.id,
      details: { number: invoice.number, disputeId: dispute.id, reason: input.reason },
    });
    // The provider's billing desk gets the credit-note request.
    const desk = supplier().contactEmail;
    if (desk) {
      await enqueueEmail(ctx.tx, disputeRequestMessage(desk, { number: invoice.number ?? invoice.id, org: ctx.org.name, by: ctx.actor.actorLabel, reason: input.reason }));
    }
    return { invoiceId: invoice.id, disputeId: dispute.id };
  },
});

export const updateBillingSettings = defineOrgOperation({
  name: "billing.settings_updated",
  permission: "billing.settings",
  schema: billingSettingsSchema,
  async handler(ctx, input) {
    const before = await ctx.tx.organization.findUniqueOrThrow({ where: { id: ctx.org.id }, select: { buyerReference: true, orderReference: true, invoiceApprovals: true } });
    const after = { buyerReference: input.buyerReference, orderReference: input.orderReference, invoiceApprovals: input.invoiceApprovals };
    await ctx.tx.organization.update({ where: { id: ctx.org.id }, data: after });
    await recordAudit(ctx.tx, ctx.actor, { orgId: ctx.org.id, action: "billing.settings_updated", targetType: "organization", targetId: ctx.org.id, details: { before, after } });
    return after;
  },
});
