// A history of invoices for the demo organisations, made by the real month close from the seeded usage:
// every ended month with usage is drafted and finalised three days after it ended; Helse Fjord gets an
// agreed GPU credit, the older invoice approved by its procurement officer and the latest one left for
// review. Idempotent: the month close never creates anything twice and approvals are added only once.
import { BILLING_ACTOR, closeMonth, monthBounds } from "../server/billing/close";
import { finaliseInvoice } from "../server/billing/finalise";
import { db } from "../server/db";
import { recordAudit } from "../server/audit/record";

const REVIEW_DAYS = 3;

export async function seedInvoiceHistory(now = new Date()): Promise<number> {
  const helse = await db.organization.findUnique({ where: { slug: "helse-fjord" } });
  if (helse && (await db.billingCredit.count({ where: { orgId: helse.id } })) === 0) {
    const from = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() - 1, 1)); // drawn down from last month on
    await db.billingCredit.create({
      data: { orgId: helse.id, description: "GPU credit: joint-innovation project Radiologi-KI", amountOre: 200_000n, validFrom: from, validUntil: new Date(Date.UTC(now.getUTCFullYear() + 1, now.getUTCMonth(), 0)) },
    });
  }
  const [first] = await db.$queryRaw<Array<{ first: Date | null }>>`SELECT min(day) AS first FROM usage_daily`;
  if (!first?.first) return 0;
  let created = 0;
  for (let m = new Date(Date.UTC(first.first.getUTCFullYear(), first.first.getUTCMonth(), 1)); ; m = new Date(Date.UTC(m.getUTCFullYear(), m.getUTCMonth() + 1, 1))) {
    const month = m.toISOString().slice(0, 7);
    const { end } = monthBounds(month);
    if (end > now) break;
    const result = await closeMonth(month, now);
    created += result.created;
    const issueAt = new Date(end.getTime() + REVIEW_DAYS * 86_400_000 + 6 * 3_600_000);
    const drafts = await db.invoice.findMany({ where: { periodStart: m, status: "DRAFT", kind: "INVOICE" }, select: { id: true } });
    for (const d of drafts) await finaliseInvoice(d.id, { actor: BILLING_ACTOR, now: issueAt < now ? issueAt : now });
  }
  if (helse) created += await approveOlderInvoices(helse.id);
  return created;
}

/** The procurement officer approved every Helse Fjord invoice but the latest. */
async function approveOlderInvoices(orgId: string): Promise<number> {
  const officer = await db.membership.findFirst({ where: { orgId, role: "PROCUREMENT" }, include: { user: true } });
  if (!officer) return 0;
  const latest = await db.invoice.findFirst({ where: { orgId, kind: "INVOICE", NOT: { status: "DRAFT" } }, orderBy: { periodStart: "desc" }, select: { id: true } });
  const issued = await db.invoice.findMany({ where: { orgId, kind: "INVOICE", status: "ISSUED", id: { not: latest?.id } }, orderBy: { periodStart: "desc" } });
  let n = 0;
  for (const invoice of issued) {
    await db.$transaction(async (tx) => {
      await tx.invoiceApproval.create({ data: { invoiceId: invoice.id, userId: officer.userId, createdAt: new Date(invoice.issueDate!.getTime() + 2 * 86_400_000) } });
      await tx.invoice.update({ where: { id: invoice.id }, data: { status: "APPROVED" } });
      await recordAudit(tx, { actorId: officer.userId, actorLabel: officer.user.email, ip: "127.0.0.1", userAgent: "portal-seed" }, {
        orgId, action: "invoice.approved", targetType: "invoice", targetId: invoice.id, details: { number: invoice.number, approvals: 1, required: 1, status: "APPROVED" },
      });
    });
    n++;
  }
  return n;
}
