// The month close: turns the hourly usage rollups of a month into one draft invoice per organisation,
// and finalises drafts whose review window has ended. Both are idempotent: running them again creates
// nothing twice and changes nothing that is already right.
//
// Money: each compute line is one shape, price and project; its amount is the exact sum of reserved
// seconds x price per hour / 3600, rounded half up once, which is what the usage dashboard shows for the
// same filter. Storage is gigabyte-hours x the storage price. Agreed credits are drawn down as negative
// lines, never below zero for the invoice.
import "server-only";
import { SHAPES } from "@/control-plane/catalogue";
import type { Prisma } from "@/generated/prisma/client";
import { db, type Tx } from "../db";
import { recordAudit, type AuditActor } from "../audit/record";
import { lineNetOre, pricedSecondsToOre, vatForRate } from "./money";
import { STORAGE_ORE_PER_GB_HOUR, VAT_PERCENT, reviewHours } from "./supplier";
import { finaliseInvoice } from "./finalise";

export const BILLING_ACTOR: AuditActor = { actorId: null, actorLabel: "system:billing", ip: "127.0.0.1", userAgent: "portal-worker" };

export interface DraftLine {
  kind: "COMPUTE" | "STORAGE" | "CREDIT";
  description: string;
  shapeId: string | null;
  project: string | null;
  quantity: string;
  unitCode: "HUR" | "GB" | "C62";
  unitPriceOre: string;
  netOre: number;
  vatPercent: number;
  creditId: string | null;
}

/** "2026-10" -> the first instant of the month and of the next (UTC). */
export function monthBounds(month: string): { start: Date; end: Date } {
  const match = /^(\d{4})-(\d{2})$/.exec(month);
  if (!match || Number(match[2]) < 1 || Number(match[2]) > 12) throw new RangeError(`month must look like 2026-10, got "${month}"`);
  const year = Number(match[1]);
  const m = Number(match[2]) - 1;
  return { start: new Date(Date.UTC(year, m, 1)), end: new Date(Date.UTC(year, m + 1, 1)) };
}

/** The calendar month (UTC) before the one `now` is in. */
export function previousMonth(now: Date): string {
  const d = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() - 1, 1));
  return d.toISOString().slice(0, 7);
}

const shapeName = (id: string) => SHAPES.find((s) => s.id === id)?.name ?? id;

/** Decimal division of an exact decimal string by 3600, to 6 decimals, half up (quantities in hours). */
function secondsToHours(seconds: string): string {
  const [int = "0", frac = ""] = seconds.split(".");
  const micro = BigInt(int + frac.padEnd(6, "0").slice(0, 6)); // seconds x 10^6 (the column has 6 decimals)
  const den = 3600n;
  const q = (micro + den / 2n) / den; // hours x 10^6, rounded half up
  const s = q.toString().padStart(7, "0");
  return `${s.slice(0, -6)}.${s.slice(-6)}`;
}

/** The usage lines of one organisation and month, from the hourly rollups. */
export async function usageLines(client: Pick<Tx, "$queryRaw">, orgId: string, start: Date, end: Date): Promise<DraftLine[]> {
  const compute = await client.$queryRaw<Array<{ shape_id: string; project: string; price: number; reserved: string; priced: string }>>`
    SELECT shape_id, project, price_per_hour_ore AS price, sum(reserved_seconds)::text AS reserved,
           sum(reserved_seconds * price_per_hour_ore)::text AS priced
    FROM usage_hourly WHERE org_id = ${orgId} AND hour >= ${start} AND hour < ${end}
    GROUP BY shape_id, project, price_per_hour_ore HAVING sum(reserved_seconds) > 0
    ORDER BY project, shape_id, price_per_hour_ore`;
  const storage = await client.$queryRaw<Array<{ project: string; gbh: string }>>`
    SELECT project, sum(storage_gb_hours)::text AS gbh
    FROM usage_hourly WHERE org_id = ${orgId} AND hour >= ${start} AND hour < ${end}
    GROUP BY project HAVING sum(storage_gb_hours) > 0 ORDER BY project`;
  const lines: DraftLine[] = compute.map((r) => ({
    kind: "COMPUTE",
    description: `${shapeName(r.shape_id)} (${r.shape_id})`,
    shapeId: r.shape_id,
    project: r.project,
    quantity: secondsToHours(r.reserved),
    unitCode: "HUR",
    unitPriceOre: String(r.price),
    netOre: pricedSecondsToOre(r.priced),
    vatPercent: VAT_PERCENT,
    creditId: null,
  }));
  for (const r of storage) {
    const quantity = normaliseDecimal(r.gbh);
    lines.push({
      kind: "STORAGE",
      description: "Workbench storage (GB-hours)",
      shapeId: null,
      project: r.project,
      quantity,
      unitCode: "GB",
      unitPriceOre: STORAGE_ORE_PER_GB_HOUR,
      netOre: lineNetOre(quantity, STORAGE_ORE_PER_GB_HOUR),
      vatPercent: VAT_PERCENT,
      creditId: null,
    });
  }
  return lines;
}

/** A numeric's text with at most 6 decimals (the column's scale), trailing zeros kept. */
function normaliseDecimal(text: string): string {
  const [int = "0", frac = ""] = text.split(".");
  return `${int}.${frac.padEnd(6, "0").slice(0, 6)}`;
}

/** Credit lines: each agreed credit valid in the month, drawn down by what earlier invoices used, never past zero. */
async function creditLines(tx: Tx, orgId: string, start: Date, end: Date, invoiceId: string | null, chargeOre: number): Promise<DraftLine[]> {
  const credits = await tx.billingCredit.findMany({
    where: { orgId, validFrom: { lt: end }, validUntil: { gte: start } },
    orderBy: [{ validUntil: "asc" }, { createdAt: "asc" }],
  });
  const lines: DraftLine[] = [];
  let left = chargeOre;
  for (const credit of credits) {
    if (left <= 0) break;
    const used = await tx.invoiceLine.aggregate({
      where: { creditId: credit.id, ...(invoiceId ? { invoiceId: { not: invoiceId } } : {}) },
      _sum: { netOre: true },
    });
    const remaining = Number(credit.amountOre) + Number(used._sum.netOre ?? 0n); // credit lines are negative
    const take = Math.min(remaining, left);
    if (take <= 0) continue;
    left -= take;
    lines.push({
      kind: "CREDIT",
      description: credit.description,
      shapeId: null,
      project: null,
      quantity: "1",
      unitCode: "C62",
      unitPriceOre: String(-take),
      netOre: -take,
      vatPercent: VAT_PERCENT,
      creditId: credit.id,
    });
  }
  return lines;
}

const signature = (lines: Array<Pick<DraftLine, "kind" | "description" | "shapeId" | "project" | "quantity" | "unitPriceOre" | "netOre" | "creditId">>) =>
  JSON.stringify(lines.map((l) => [l.kind, l.description, l.shapeId, l.project, Number(l.quantity).toFixed(6), Number(l.unitPriceOre).toFixed(4), Number(l.netOre), l.creditId]));

export interface CloseResult {
  month: string;
  created: number;
  updated: number;
  unchanged: number;
  finalised: number;
}

/**
 * Drafts (or refreshes) the invoice of every organisation with usage in the month. Finalised invoices
 * are never touched; a draft is rewritten only when its lines changed (e.g. late usage records).
 */
export async function closeMonth(month: string, now = new Date()): Promise<CloseResult> {
  const { start, end } = monthBounds(month);
  if (end > now) throw new RangeError(`${month} has not ended yet`);
  const orgs = await db.$queryRaw<Array<{ org_id: string }>>`
    SELECT DISTINCT org_id FROM usage_daily WHERE day >= ${start} AND day < ${end}`;
  const result: CloseResult = { month, created: 0, updated: 0, unchanged: 0, finalised: 0 };
  for (const { org_id: orgId } of orgs) {
    const outcome = await db.$transaction(async (tx) => draftFor(tx, orgId, start, end));
    result[outcome]++;
  }
  return result;
}

async function draftFor(tx: Tx, orgId: string, start: Date, end: Date): Promise<"created" | "updated" | "unchanged" | "finalised"> {
  // One close per organisation at a time: the organisation row is the lock.
  const [org] = await tx.$queryRaw<Array<{ id: string; buyer_reference: string; order_reference: string | null }>>`
    SELECT id, buyer_reference, order_reference FROM organization WHERE id = ${orgId} FOR UPDATE`;
  if (!org) return "unchanged";
  const existing = await tx.invoice.findFirst({ where: { orgId, kind: "INVOICE", periodStart: start }, include: { lines: { orderBy: { position: "asc" } } } });
  if (existing && existing.status !== "DRAFT") return "finalised";

  const usage = await usageLines(tx, orgId, start, end);
  const charge = usage.reduce((s, l) => s + l.netOre, 0);
  const lines = [...usage, ...(await creditLines(tx, orgId, start, end, existing?.id ?? null, charge))];
  const netOre = lines.reduce((s, l) => s + l.netOre, 0);
  const vatOre = vatForRate(netOre, VAT_PERCENT); // one rate: rounded once, half up
  const data = { netOre: BigInt(netOre), vatOre: BigInt(vatOre), totalOre: BigInt(netOre + vatOre), buyerReference: org.buyer_reference, orderReference: org.order_reference };
  const lineRows = (invoiceId: string): Prisma.InvoiceLineCreateManyInput[] =>
    lines.map((l, i) => ({ invoiceId, position: i + 1, kind: l.kind, description: l.description, shapeId: l.shapeId, project: l.project, quantity: l.quantity, unitCode: l.unitCode, unitPriceOre: l.unitPriceOre, netOre: BigInt(l.netOre), vatPercent: l.vatPercent, creditId: l.creditId }));

  if (existing) {
    const same =
      signature(existing.lines.map((l) => ({ ...l, quantity: l.quantity.toString(), unitPriceOre: l.unitPriceOre.toString(), netOre: Number(l.netOre), kind: l.kind as DraftLine["kind"] }))) === signature(lines) &&
      existing.buyerReference === org.buyer_reference && existing.orderReference === org.order_reference;
    if (same) return "unchanged";
    await tx.invoiceLine.deleteMany({ where: { invoiceId: existing.id } });
    await tx.invoice.update({ where: { id: existing.id }, data });
    await tx.invoiceLine.createMany({ data: lineRows(existing.id) });
    await recordAudit(tx, BILLING_ACTOR, { orgId, action: "invoice.draft_updated", targetType: "invoice", targetId: existing.id, details: { period: start.toISOString().slice(0, 7), netOre, lines: lines.length } });
    return "updated";
  }
  const reviewUntil = new Date(end.getTime() + reviewHours() * 3_600_000);
  const invoice = await tx.invoice.create({ data: { orgId, kind: "INVOICE", status: "DRAFT", periodStart: start, periodEnd: end, reviewUntil, ...data } });
  await tx.invoiceLine.createMany({ data: lineRows(invoice.id) });
  await recordAudit(tx, BILLING_ACTOR, { orgId, action: "invoice.drafted", targetType: "invoice", targetId: invoice.id, details: { period: start.toISOString().slice(0, 7), netOre, lines: lines.length, reviewUntil: reviewUntil.toISOString() } });
  return "created";
}


/** Finalises every draft whose review window has ended; returns how many. */
export async function finaliseDueDrafts(now = new Date()): Promise<number> {
  const due = await db.invoice.findMany({ where: { status: "DRAFT", reviewUntil: { lte: now } }, select: { id: true }, orderBy: { createdAt: "asc" } });
  let n = 0;
  for (const { id } of due) if ((await finaliseInvoice(id, { now, actor: BILLING_ACTOR })).finalisedNow) n++;
  return n;
}

/** The worker's step: draft last month once it has ended (idempotent), then finalise what is due. */
export async function runMonthClose(now = new Date()): Promise<CloseResult> {
  const result = await closeMonth(previousMonth(now), now);
  result.finalised = await finaliseDueDrafts(now);
  return result;
}
