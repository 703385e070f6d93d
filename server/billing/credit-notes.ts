// Credit notes: the only way to correct an issued invoice. A full credit mirrors every line of the
// invoice; a partial credit is one line with the agreed amount. Credit notes are issued by the provider
// (today from the command line, `npm run billing -- credit`), are final at once and answer open disputes.
import "server-only";
import { db, type Tx } from "../db";
import { recordAudit, type AuditActor } from "../audit/record";
import { finaliseInvoice, type FinaliseResult } from "./finalise";
import { VAT_PERCENT } from "./supplier";

export interface CreditNoteRequest {
  /** The invoice's id or number. */
  invoice: string;
  reason: string;
  /** Amount before VAT in øre; omitted = credit the whole invoice. */
  amountOre?: number;
}

export async function issueCreditNote(request: CreditNoteRequest, actor: AuditActor, now = new Date(), outer?: Tx): Promise<FinaliseResult> {
  const reason = request.reason.trim();
  if (reason.length < 5 || reason.length > 1000) throw new RangeError("the reason must be 5-1000 characters");
  const work = async (tx: Tx) => {
    const [locked] = await tx.$queryRaw<Array<{ id: string }>>`
      SELECT id FROM invoice WHERE (id = ${request.invoice} OR number = ${request.invoice}) AND kind = 'INVOICE' FOR UPDATE`;
    if (!locked) throw new RangeError(`no invoice ${request.invoice}`);
    const invoice = await tx.invoice.findUniqueOrThrow({ where: { id: locked.id }, include: { lines: { orderBy: { position: "asc" } }, creditNotes: { select: { netOre: true } } } });
    if (!invoice.number) throw new RangeError(`invoice ${request.invoice} is still a draft: correct it before it is finalised instead`);
    const credited = invoice.creditNotes.reduce((s, c) => s + Number(c.netOre), 0);
    const open = Number(invoice.netOre) - credited;
    if (open <= 0) throw new RangeError(`nothing is left to credit on invoice ${invoice.number}`);
    const amount = request.amountOre ?? open;
    if (!Number.isSafeInteger(amount) || amount <= 0) throw new RangeError("the amount must be a positive number of øre");
    if (amount > open) throw new RangeError(`only ${open} øre of invoice ${invoice.number} is left to credit`);

    const full = amount === Number(invoice.netOre) && credited === 0;
    const lines = full
      ? invoice.lines.map((l) => ({ kind: l.kind, description: l.description, shapeId: l.shapeId, project: l.project, quantity: l.quantity, unitCode: l.unitCode, unitPriceOre: l.unitPriceOre, netOre: l.netOre, vatPercent: l.vatPercent }))
      : [{ kind: "ADJUSTMENT" as const, description: `Credit for invoice ${invoice.number}: ${reason}`.slice(0, 200), shapeId: null, project: null, quantity: "1", unitCode: "C62", unitPriceOre: String(amount), netOre: BigInt(amount), vatPercent: VAT_PERCENT }];
    const net = lines.reduce((s, l) => s + Number(l.netOre), 0);
    const note = await tx.invoice.create({
      data: {
        orgId: invoice.orgId, kind: "CREDIT_NOTE", status: "DRAFT", periodStart: invoice.periodStart, periodEnd: invoice.periodEnd,
        buyerReference: invoice.buyerReference, orderReference: invoice.orderReference, creditedInvoiceId: invoice.id, reason,
        netOre: BigInt(net), vatOre: 0n, totalOre: BigInt(net),
      },
    });
    await tx.invoiceLine.createMany({ data: lines.map((l, i) => ({ ...l, invoiceId: note.id, position: i + 1 })) });
    const result = await finaliseInvoice(note.id, { now, actor, tx });
    const fullyCredited = credited + net === Number(invoice.netOre);
    // Fully credited: closed. Partly credited after a dispute: the corrected invoice awaits approval again.
    if (fullyCredited) await tx.invoice.update({ where: { id: invoice.id }, data: { status: "CREDITED" } });
    else if (invoice.status === "DISPUTED") await tx.invoice.update({ where: { id: invoice.id }, data: { status: "ISSUED" } });
    const disputes = await tx.invoiceDispute.updateMany({ where: { invoiceId: invoice.id, status: "OPEN" }, data: { status: "RESOLVED", creditNoteId: note.id, resolvedAt: now } });
    await recordAudit(tx, actor, {
      orgId: invoice.orgId, action: "invoice.credited", targetType: "invoice", targetId: invoice.id,
      details: { invoice: invoice.number, creditNote: result.number, netOre: net, fullyCredited, disputesResolved: disputes.count },
    });
    return result;
  };
  return outer ? work(outer) : db.$transaction(work);
}
