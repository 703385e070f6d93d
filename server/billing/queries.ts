// What procurement reads: the organisation's invoices and credit notes, one invoice with its lines,
// approvals, disputes and credit notes, and the usage behind each line. Every query is scoped to the
// caller's organisation and authorised with invoices.view; another organisation's id is "not found".
import "server-only";
import { Prisma } from "@/generated/prisma/client";
import { db } from "../db";
import { assertCan, type OrgMembership } from "../orgs/queries";
import { AppError } from "../errors";
import { recordAudit, type AuditActor } from "../audit/record";
import type { InvoiceDocument } from "./document";
import { buildDocument, loadInvoice } from "./finalise";
import { makeKid } from "./kid";

export interface InvoiceListItem {
  id: string;
  kind: "INVOICE" | "CREDIT_NOTE";
  status: "DRAFT" | "ISSUED" | "APPROVED" | "DISPUTED" | "CREDITED";
  number: string | null;
  periodStart: string; // YYYY-MM-DD
  periodEnd: string; // last day, YYYY-MM-DD
  totalOre: number;
  issueDate: string | null;
  dueDate: string | null;
  reviewUntil: string | null;
  creditedNumber: string | null;
}

const day = (d: Date) => d.toISOString().slice(0, 10);
const lastDay = (end: Date) => day(new Date(end.getTime() - 86_400_000));

export async function listInvoices(membership: OrgMembership): Promise<InvoiceListItem[]> {
  assertCan(membership, "invoices.view");
  const rows = await db.invoice.findMany({
    where: { orgId: membership.org.id },
    orderBy: [{ periodStart: "desc" }, { kind: "asc" }, { createdAt: "desc" }],
    include: { creditedInvoice: { select: { number: true } } },
    take: 500,
  });
  return rows.map((r) => ({
    id: r.id,
    kind: r.kind,
    status: r.status,
    number: r.number,
    periodStart: day(r.periodStart),
    periodEnd: lastDay(r.periodEnd),
    totalOre: Number(r.totalOre),
    issueDate: r.issueDate ? day(r.issueDate) : null,
    dueDate: r.dueDate ? day(r.dueDate) : null,
    reviewUntil: r.reviewUntil?.toISOString() ?? null,
    creditedNumber: r.creditedInvoice?.number ?? null,
  }));
}

export interface InvoiceDetail {
  id: string;
  kind: "INVOICE" | "CREDIT_NOTE";
  status: InvoiceListItem["status"];
  /** The frozen document of a finalised invoice, or a preview of a draft (number "DRAFT"). */
  document: InvoiceDocument;
  draft: boolean;
  reviewUntil: string | null;
  contentHash: string | null;
  lines: Array<{ position: number; kind: string; shapeId: string | null; project: string | null }>;
  approvals: Array<{ name: string; email: string; at: string; userId: string }>;
  approvalsRequired: number;
  disputes: Array<{ id: string; reason: string; status: string; by: string; at: string; creditNoteNumber: string | null }>;
  creditNotes: Array<{ id: string; number: string | null; totalOre: number; issueDate: string | null; reason: string | null }>;
  credited: { id: string; number: string | null } | null;
}

export async function getInvoice(membership: OrgMembership, invoiceId: string): Promise<InvoiceDetail> {
  assertCan(membership, "invoices.view");
  const invoice = await loadInvoice(db, invoiceId);
  if (!invoice || invoice.orgId !== membership.org.id) throw new AppError("errors.notFound");
  const [approvals, disputes, creditNotes] = await Promise.all([
    db.invoiceApproval.findMany({ where: { invoiceId }, orderBy: { createdAt: "asc" } }),
    db.invoiceDispute.findMany({ where: { invoiceId }, orderBy: { createdAt: "asc" } }),
    db.invoice.findMany({ where: { creditedInvoiceId: invoiceId, orgId: membership.org.id }, orderBy: { createdAt: "asc" } }),
  ]);
  const people = new Map(
    (await db.user.findMany({ where: { id: { in: [...approvals.map((a) => a.userId), ...disputes.map((d) => d.userId)] } }, select: { id: true, name: true, email: true } })).map((u) => [u.id, u]),
  );
  const creditNumbers = new Map(creditNotes.map((c) => [c.id, c.number]));
  const draft = !invoice.number;
  const document = draft
    ? buildDocument(invoice, {
        number: "DRAFT",
        issueDate: invoice.reviewUntil ?? new Date(),
        dueDate: new Date((invoice.reviewUntil ?? new Date()).getTime() + invoice.org.paymentTermsDays * 86_400_000),
        kid: makeKid(invoice.org.orgNumber.slice(-7), "0"),
      })
    : (invoice.document as unknown as InvoiceDocument);
  return {
    id: invoice.id,
    kind: invoice.kind,
    status: invoice.status,
    document,
    draft,
    reviewUntil: invoice.reviewUntil?.toISOString() ?? null,
    contentHash: invoice.contentHash,
    lines: invoice.lines.map((l) => ({ position: l.position, kind: l.kind, shapeId: l.shapeId, project: l.project })),
    approvals: approvals.map((a) => ({ userId: a.userId, name: people.get(a.userId)?.name ?? "—", email: people.get(a.userId)?.email ?? "", at: a.createdAt.toISOString() })),
    approvalsRequired: invoice.org.invoiceApprovals,
    disputes: disputes.map((d) => ({
      id: d.id, reason: d.reason, status: d.status, by: people.get(d.userId)?.name ?? "—", at: d.createdAt.toISOString(),
      creditNoteNumber: d.creditNoteId ? (creditNumbers.get(d.creditNoteId) ?? null) : null,
    })),
    creditNotes: creditNotes.map((c) => ({ id: c.id, number: c.number, totalOre: Number(c.totalOre), issueDate: c.issueDate ? day(c.issueDate) : null, reason: c.reason })),
    credited: invoice.creditedInvoiceId ? { id: invoice.creditedInvoiceId, number: invoice.creditedInvoice?.number ?? null } : null,
  };
}

/** The finalised document for downloads (PDF, EHF); drafts have none. */
export async function finalDocument(membership: OrgMembership, invoiceId: string): Promise<InvoiceDocument> {
  const detail = await getInvoice(membership, invoiceId);
  if (detail.draft) throw new AppError("errors.invalidState");
  return detail.document;
}

/** The finalised document for a download, with the download recorded in the organisation's audit log. */
export async function documentForDownload(membership: OrgMembership, invoiceId: string, format: "pdf" | "ehf", actor: AuditActor): Promise<InvoiceDocument> {
  const doc = await finalDocument(membership, invoiceId);
  await db.$transaction((tx) =>
    recordAudit(tx, actor, { orgId: membership.org.id, action: "invoice.downloaded", targetType: "invoice", targetId: invoiceId, details: { format, number: doc.number } }),
  );
  return doc;
}

/**
 * The usage behind an invoice line: per workbench, from the same rollups and with the same arithmetic.
 * Rounded per workbench, so the rows may differ from the line by a few øre in sum; the line is the total.
 */
export async function lineUsage(membership: OrgMembership, invoiceId: string, position: number) {
  assertCan(membership, "invoices.view");
  const invoice = await db.invoice.findFirst({ where: { id: invoiceId, orgId: membership.org.id }, include: { lines: { where: { position } } } });
  const line = invoice?.lines[0];
  if (!invoice || !line) throw new AppError("errors.notFound");
  if (line.kind !== "COMPUTE" && line.kind !== "STORAGE") return { line, workbenches: [] };
  const rows = await db.$queryRaw<Array<{ workbench_id: string; reserved: string; priced: string; gbh: string; energy_wh: string }>>`
    SELECT workbench_id, sum(reserved_seconds)::text AS reserved, sum(reserved_seconds * price_per_hour_ore)::text AS priced,
           sum(storage_gb_hours)::text AS gbh, sum(energy_wh)::text AS energy_wh
    FROM usage_hourly
    WHERE org_id = ${membership.org.id} AND hour >= ${invoice.periodStart} AND hour < ${invoice.periodEnd} AND project = ${line.project ?? ""}
      ${line.kind === "COMPUTE" ? Prisma.sql`AND shape_id = ${line.shapeId ?? ""} AND price_per_hour_ore = ${Number(line.unitPriceOre)}` : Prisma.empty}
    GROUP BY workbench_id ORDER BY sum(reserved_seconds * price_per_hour_ore) DESC`;
  const meta = new Map(
    (await db.workbench.findMany({ where: { orgId: membership.org.id, id: { in: rows.map((r) => r.workbench_id) } }, select: { id: true, displayName: true, createdById: true } })).map((w) => [w.id, w]),
  );
  return {
    line,
    workbenches: rows.map((r) => ({ workbenchId: r.workbench_id, name: meta.get(r.workbench_id)?.displayName ?? r.workbench_id, reservedSeconds: r.reserved, pricedSeconds: r.priced, storageGbHours: r.gbh, energyWh: r.energy_wh })),
  };
}

export interface BillingSettings {
  buyerReference: string;
  orderReference: string | null;
  invoiceApprovals: number;
}

/** Current billing references and approval rule of the caller's organisation; needs billing.settings. */
export async function getBillingSettings(membership: OrgMembership): Promise<BillingSettings> {
  assertCan(membership, "billing.settings");
  return db.organization.findUniqueOrThrow({
    where: { id: membership.org.id },
    select: { buyerReference: true, orderReference: true, invoiceApprovals: true },
  });
}
