// Finalising: a draft gets the next number of its series (gapless: the number is taken in the same
// transaction, so a failure gives it back), its issue and due dates and KID, and is frozen as a document
// with a SHA-256 content hash. The database refuses any later change to it (see the billing migration).
import "server-only";
import { createHash } from "node:crypto";
import { db, type Tx } from "../db";
import { recordAudit, type AuditActor } from "../audit/record";
import { enqueueEmail } from "../email/outbox";
import { invoiceIssuedMessage } from "../email/templates";
import { serverEnv } from "../env";
import type { DocumentLine, InvoiceDocument } from "./document";
import { ehfProblems } from "./ehf";
import { makeKid } from "./kid";
import { buildTotals, buildVatBreakdown } from "./money";
import { supplier } from "./supplier";

export type InvoiceWithLines = NonNullable<Awaited<ReturnType<typeof loadInvoice>>>;

export function loadInvoice(client: Pick<Tx, "invoice">, id: string) {
  return client.invoice.findUnique({
    where: { id },
    include: {
      lines: { orderBy: { position: "asc" } },
      org: true,
      creditedInvoice: { select: { number: true, issueDate: true } },
    },
  });
}

const day = (d: Date) => d.toISOString().slice(0, 10);
const addDays = (d: Date, n: number) => new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate() + n));

/** Series and number format: invoices "2026-000017", credit notes "K2026-000003", per year of issue. */
export function seriesFor(kind: "INVOICE" | "CREDIT_NOTE", issueDate: Date): { series: string; format: (n: number) => string } {
  const year = issueDate.getUTCFullYear();
  return kind === "INVOICE"
    ? { series: `INV-${year}`, format: (n) => `${year}-${String(n).padStart(6, "0")}` }
    : { series: `CN-${year}`, format: (n) => `K${year}-${String(n).padStart(6, "0")}` };
}

/** Takes the next number of a series; the row stays locked until the transaction ends. */
export async function takeNumber(tx: Pick<Tx, "$queryRaw">, series: string): Promise<number> {
  const [row] = await tx.$queryRaw<Array<{ last_number: number }>>`
    INSERT INTO invoice_series (name, last_number) VALUES (${series}, 1)
    ON CONFLICT (name) DO UPDATE SET last_number = invoice_series.last_number + 1
    RETURNING last_number`;
  return row!.last_number;
}

/** Stable JSON (sorted keys) for hashing. */
export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(",")}]`;
  if (value && typeof value === "object") {
    const entries = Object.entries(value as Record<string, unknown>).filter(([, v]) => v !== undefined).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(",")}}`;
  }
  return JSON.stringify(value);
}

export const contentHash = (doc: InvoiceDocument) => createHash("sha256").update(canonicalJson(doc)).digest("hex");

/** The document of an invoice (a draft gets a provisional number and dates, for previews). */
export function buildDocument(
  invoice: InvoiceWithLines,
  fixed: { number: string; issueDate: Date; dueDate: Date; kid: string },
): InvoiceDocument {
  const lines: DocumentLine[] = invoice.lines.map((l) => ({
    id: String(l.position),
    description: l.description,
    quantity: l.quantity.toFixed(6),
    unitCode: l.unitCode as DocumentLine["unitCode"],
    unitPriceOre: l.unitPriceOre.toFixed(4),
    netOre: Number(l.netOre),
    vatPercent: l.vatPercent,
    ...(l.project ? { accountingCost: l.project } : {}),
    periodStart: day(invoice.periodStart),
    periodEnd: day(addDays(invoice.periodEnd, -1)),
  }));
  const vat = buildVatBreakdown(lines);
  const org = invoice.org;
  const credit = invoice.kind === "CREDIT_NOTE";
  return {
    kind: credit ? "credit-note" : "invoice",
    number: fixed.number,
    issueDate: day(fixed.issueDate),
    dueDate: day(fixed.dueDate),
    currency: "NOK",
    buyerReference: invoice.buyerReference,
    ...(invoice.orderReference ? { orderReference: invoice.orderReference } : {}),
    ...(credit && invoice.creditedInvoice?.number && invoice.creditedInvoice.issueDate
      ? { creditedInvoice: { number: invoice.creditedInvoice.number, issueDate: day(invoice.creditedInvoice.issueDate) } }
      : {}),
    periodStart: day(invoice.periodStart),
    periodEnd: day(addDays(invoice.periodEnd, -1)),
    supplier: supplier(),
    buyer: {
      name: org.name,
      orgNumber: org.orgNumber,
      vatId: null,
      street: org.billingStreet,
      postalCode: org.billingPostalCode,
      city: org.billingCity,
      country: "NO",
    },
    kid: fixed.kid,
    paymentTermsText: credit ? "Credit note: no payment due" : `${org.paymentTermsDays} days net`,
    ...(invoice.reason ? { note: invoice.reason } : {}),
    lines,
    vat,
    totals: buildTotals(lines, vat),
  };
}

/** The customer number inside KIDs: the last 7 digits of the organisation number. */
const kidFor = (orgNumber: string, number: string) => makeKid(orgNumber.slice(-7), number);

export interface FinaliseResult {
  id: string;
  number: string;
  finalisedNow: boolean;
}

/** Finalises a draft inside a transaction (the caller's, or a new one). Finalising twice is a no-op. */
export async function finaliseInvoice(id: string, options: { now?: Date; actor: AuditActor; tx?: Tx }): Promise<FinaliseResult> {
  const work = async (tx: Tx): Promise<FinaliseResult> => {
    // The row lock makes concurrent finalisers of the same draft wait, then see it final.
    await tx.$queryRaw`SELECT id FROM invoice WHERE id = ${id} FOR UPDATE`;
    const invoice = await loadInvoice(tx, id);
    if (!invoice) throw new Error(`invoice ${id} not found`);
    if (invoice.number) return { id, number: invoice.number, finalisedNow: false };
    const now = options.now ?? new Date();
    const issueDate = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate()));
    const dueDate = invoice.kind === "INVOICE" ? addDays(issueDate, invoice.org.paymentTermsDays) : issueDate;
    const { series, format } = seriesFor(invoice.kind, issueDate);
    const sequence = await takeNumber(tx, series);
    const number = format(sequence);
    const kid = kidFor(invoice.org.orgNumber, number);
    const doc = buildDocument(invoice, { number, issueDate, dueDate, kid });
    const problems = ehfProblems(doc);
    if (problems.length) throw new Error(`invoice ${id} cannot be finalised: ${problems.join("; ")}`);
    const hash = contentHash(doc);
    await tx.invoice.update({
      where: { id },
      data: {
        status: "ISSUED", number, series, sequence, issueDate, dueDate, kid, document: doc as object, contentHash: hash, finalizedAt: now,
        netOre: BigInt(doc.totals.lineExtensionOre), vatOre: BigInt(doc.totals.taxOre), totalOre: BigInt(doc.totals.payableOre),
      },
    });
    await recordAudit(tx, options.actor, {
      orgId: invoice.orgId,
      action: invoice.kind === "INVOICE" ? "invoice.finalised" : "credit_note.issued",
      targetType: "invoice",
      targetId: id,
      details: { number, totalOre: doc.totals.payableOre, contentHash: hash, ...(invoice.creditedInvoice?.number ? { credits: invoice.creditedInvoice.number } : {}) },
    });
    await notifyBilling(tx, invoice.orgId, invoice.org.slug, id, number, doc);
    return { id, number, finalisedNow: true };
  };
  return options.tx ? work(options.tx) : db.$transaction(work);
}

/** E-mails the organisation's owners, admins and procurement officers about a new invoice or credit note. */
async function notifyBilling(tx: Tx, orgId: string, slug: string, id: string, number: string, doc: InvoiceDocument) {
  const recipients = await tx.membership.findMany({
    where: { orgId, role: { in: ["OWNER", "ADMIN", "PROCUREMENT"] } },
    select: { user: { select: { email: true, locale: true } } },
  });
  const link = `${(serverEnv().PUBLIC_URL ?? "http://localhost:3000").replace(/\/$/, "")}/${slug}/invoices/${id}`;
  for (const r of recipients) {
    const locale = r.user.locale === "nb" ? "nb" : "en";
    await enqueueEmail(tx, invoiceIssuedMessage(locale, r.user.email, { number, kind: doc.kind, totalOre: doc.totals.payableOre, dueDate: doc.dueDate }, link));
  }
}
