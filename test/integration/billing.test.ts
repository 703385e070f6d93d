// Billing on real PostgreSQL: the month close against the usage rollups and the dashboard, idempotency,
// gapless numbering under concurrency, immutability of finalised invoices, approvals, disputes, credit
// notes and agreed credits; every generated EHF document passes the PEPPOL validator.
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { db } from "@/server/db";
import { storeUsage, type UsageRow } from "@/server/usage/store";
import { usageReport } from "@/server/usage/queries";
import { resolveFilter } from "@/server/usage/filter";
import { getMembershipBySlug } from "@/server/orgs/queries";
import { BILLING_ACTOR, closeMonth, finaliseDueDrafts, monthBounds, previousMonth, runMonthClose } from "@/server/billing/close";
import { contentHash, finaliseInvoice } from "@/server/billing/finalise";
import { issueCreditNote } from "@/server/billing/credit-notes";
import { approveInvoice, disputeInvoice, updateBillingSettings } from "@/server/billing/operations";
import { ehfProblems, renderEhf } from "@/server/billing/ehf";
import { isValidKid } from "@/server/billing/kid";
import { lineNetOre, pricedSecondsToOre, sumDecimals } from "@/server/billing/money";
import { getInvoice, lineUsage, listInvoices } from "@/server/billing/queries";
import type { InvoiceDocument } from "@/server/billing/document";
import { FACTOR_SET_2, FACTORS_2 } from "@/prisma/catalogue-seed";
import { callerFor, createOrg } from "../fixtures";
import { peppolToolsMissing, validateEhfFile } from "../peppol";

beforeAll(async () => {
  if (!(await db.carbonFactorSet.findUnique({ where: { id: FACTOR_SET_2.id } }))) await db.carbonFactorSet.create({ data: { ...FACTOR_SET_2, factors: { create: FACTORS_2 } } });
});

const CLOSE_TIME = new Date("2026-11-01T02:00:00Z");
const AFTER_REVIEW = new Date("2026-11-05T00:00:00Z");

interface WbSpec {
  shapeId: string;
  price: number;
  project: string;
}

/** An organisation with workbenches and a month of irregular usage in October 2026 (and a little in November). */
async function orgWithUsage(specs: WbSpec[], roles: Array<"OWNER" | "ADMIN" | "PROCUREMENT" | "DATA_SCIENTIST"> = ["OWNER"]) {
  const { org, members } = await createOrg(roles);
  const owner = members.OWNER!;
  const rows: UsageRow[] = [];
  for (const [i, spec] of specs.entries()) {
    const wb = await db.workbench.create({
      data: {
        orgId: org.id, createdById: owner.userId, name: `wb-${i}`, displayName: `WB ${i}`, project: spec.project, imageId: "jupyter-minimal-2025.2",
        shapeId: spec.shapeId, regionId: i % 2 ? "no-osl-1" : "no-trd-1", storageGb: 20, idleTimeoutMinutes: 60, gpuMilli: 1000, pricePerHourOre: spec.price, status: "RUNNING",
      },
    });
    // Every 7th hour for a month, intervals of irregular length, so per-record rounding would drift.
    for (let h = 0; h < 31 * 24 + 30; h += 7) {
      const start = new Date(Date.UTC(2026, 9, 1) + h * 3_600_000 + i * 60_000);
      const reserved = 300 + ((h * 37 + i * 11) % 97) + 0.123;
      rows.push({
        id: `${wb.id}-${h}`, orgId: org.id, workbenchId: wb.id, userId: owner.userId, project: spec.project, shapeId: spec.shapeId, regionId: i % 2 ? "no-osl-1" : "no-trd-1",
        intervalStart: start, intervalEnd: new Date(start.getTime() + reserved * 1000), reservedSeconds: reserved, gpuSeconds: reserved, energyWh: reserved / 10,
        storageGbHours: (20 * reserved) / 3600, pricePerHourOre: spec.price,
      });
    }
  }
  await db.$transaction((tx) => storeUsage(tx, rows));
  return { org, members, owner };
}

const SPECS: WbSpec[] = [
  { shapeId: "h100-1x", price: 3900, project: "Radiologi-KI" },
  { shapeId: "h100-1x", price: 3900, project: "Radiologi-KI" },
  { shapeId: "h100-1x", price: 3700, project: "Radiologi-KI" }, // an older price for the same shape
  { shapeId: "h100-mig-1g10gb", price: 750, project: "Språkmodell" },
  { shapeId: "cpu-8", price: 240, project: "Radiologi-KI" },
];

async function invoiceTables(orgId: string) {
  const invoices = await db.invoice.findMany({ where: { orgId }, orderBy: { createdAt: "asc" } });
  const lines = await db.invoiceLine.findMany({ where: { invoice: { orgId } }, orderBy: [{ invoiceId: "asc" }, { position: "asc" }] });
  return JSON.stringify({ invoices, lines }, (_k, v) => (typeof v === "bigint" ? v.toString() : v));
}

describe("month close", () => {
  it("drafts one invoice whose lines equal the usage dashboard for the same filters, and re-running changes nothing", async () => {
    const { org, owner } = await orgWithUsage(SPECS);
    const result = await closeMonth("2026-10", CLOSE_TIME);
    expect(result.created).toBeGreaterThanOrEqual(1);

    const invoice = await db.invoice.findFirstOrThrow({ where: { orgId: org.id }, include: { lines: { orderBy: { position: "asc" } } } });
    expect(invoice.status).toBe("DRAFT");
    expect(invoice.number).toBeNull();
    expect(invoice.periodStart.toISOString()).toBe("2026-10-01T00:00:00.000Z");
    const compute = invoice.lines.filter((l) => l.kind === "COMPUTE");
    // One line per shape, price and project: h100-1x at two prices, the MIG slice, the CPU shape.
    expect(compute.map((l) => [l.project, l.shapeId, l.unitPriceOre.toString()])).toEqual([
      ["Radiologi-KI", "cpu-8", "240"],
      ["Radiologi-KI", "h100-1x", "3700"],
      ["Radiologi-KI", "h100-1x", "3900"],
      ["Språkmodell", "h100-mig-1g10gb", "750"],
    ]);
    // Each line is what the usage dashboard shows for its project and shape in October (one price each here).
    const membership = (await getMembershipBySlug(owner.userId, org.slug))!;
    for (const [project, shape] of [["Radiologi-KI", "cpu-8"], ["Språkmodell", "h100-mig-1g10gb"]] as const) {
      const report = await usageReport(membership, resolveFilter({ from: "2026-10-01", to: "2026-10-31", project, shape, granularity: "day" }));
      const line = compute.find((l) => l.project === project && l.shapeId === shape)!;
      expect(Number(line.netOre)).toBe(report.totals.costOre);
      expect(Number(line.quantity)).toBeCloseTo(report.totals.reservedSeconds / 3600, 6);
    }
    const h100 = await usageReport(membership, resolveFilter({ from: "2026-10-01", to: "2026-10-31", shape: "h100-1x", granularity: "day" }));
    const h100Lines = compute.filter((l) => l.shapeId === "h100-1x").reduce((s, l) => s + Number(l.netOre), 0);
    expect(Math.abs(h100Lines - h100.totals.costOre)).toBeLessThanOrEqual(1); // two price groups, each rounded once
    // Against the raw records: every compute line is round(sum(reserved x price) / 3600) of its records.
    const raw = await db.$queryRaw<Array<{ shape_id: string; price: number; project: string; ore: string }>>`
      SELECT shape_id, price_per_hour_ore AS price, project, round(sum(reserved_seconds * price_per_hour_ore) / 3600)::text AS ore
      FROM usage_record WHERE org_id = ${org.id} AND interval_start >= '2026-10-01T00:00:00Z' AND interval_start < '2026-11-01T00:00:00Z' GROUP BY 1, 2, 3`;
    for (const r of raw) expect(Number(compute.find((l) => l.shapeId === r.shape_id && Number(l.unitPriceOre) === r.price && l.project === r.project)!.netOre)).toBe(Number(r.ore));
    // Line amount = quantity x price within the EHF tolerance, storage = GB-hours x price exactly.
    for (const l of invoice.lines) expect(Math.abs(lineNetOre(l.quantity.toFixed(6), l.unitPriceOre.toFixed(4)) - Number(l.netOre))).toBeLessThanOrEqual(1);
    const storage = invoice.lines.filter((l) => l.kind === "STORAGE");
    expect(storage.map((l) => l.project)).toEqual(["Radiologi-KI", "Språkmodell"]);
    const net = invoice.lines.reduce((s, l) => s + Number(l.netOre), 0);
    expect(Number(invoice.netOre)).toBe(net);
    expect(Number(invoice.vatOre)).toBe(Math.round(net * 0.25));

    // The drill-down per notebook adds up to each line (usage exactly; money within rounding per notebook).
    for (const l of invoice.lines.filter((x) => x.kind !== "CREDIT")) {
      const { workbenches } = await lineUsage(membership, invoice.id, l.position);
      expect(workbenches.length).toBeGreaterThan(0);
      if (l.kind === "STORAGE") expect(sumDecimals(workbenches.map((w) => w.storageGbHours))).toBe(l.quantity.toFixed(6));
      else expect(pricedSecondsToOre(sumDecimals(workbenches.map((w) => w.pricedSeconds)))).toBe(Number(l.netOre));
    }
    const other = await createOrg(["OWNER"]);
    const outsider = (await getMembershipBySlug(other.members.OWNER!.userId, other.org.slug))!;
    await expect(lineUsage(outsider, invoice.id, 1)).rejects.toThrow("errors.notFound");
    await expect(getInvoice(outsider, invoice.id)).rejects.toThrow("errors.notFound");
    expect(await listInvoices(outsider)).toEqual([]);

    const before = await invoiceTables(org.id);
    const again = await closeMonth("2026-10", CLOSE_TIME);
    expect(again.created).toBe(0);
    expect(await invoiceTables(org.id)).toBe(before);
  });

  it("refreshes a draft when late usage arrives, but never a finalised invoice", async () => {
    const { org, owner } = await orgWithUsage(SPECS.slice(0, 1));
    await closeMonth("2026-10", CLOSE_TIME);
    const draft = await db.invoice.findFirstOrThrow({ where: { orgId: org.id } });
    const wb = await db.workbench.findFirstOrThrow({ where: { orgId: org.id } });
    const late = (id: string): UsageRow => ({
      id, orgId: org.id, workbenchId: wb.id, userId: owner.userId, project: wb.project, shapeId: wb.shapeId, regionId: wb.regionId,
      intervalStart: new Date("2026-10-31T23:55:00Z"), intervalEnd: new Date("2026-11-01T00:00:00Z"), reservedSeconds: 300, gpuSeconds: 300, energyWh: 50, storageGbHours: 0, pricePerHourOre: wb.pricePerHourOre,
    });
    await db.$transaction((tx) => storeUsage(tx, [late(`late-${wb.id}`)]));
    expect((await closeMonth("2026-10", CLOSE_TIME)).updated).toBeGreaterThanOrEqual(1);
    const refreshed = await db.invoice.findFirstOrThrow({ where: { orgId: org.id } });
    expect(refreshed.id).toBe(draft.id);
    expect(Number(refreshed.netOre) - Number(draft.netOre)).toBe(325); // 300 s x 39 kr/h

    await finaliseInvoice(draft.id, { actor: BILLING_ACTOR, now: AFTER_REVIEW });
    const final = await invoiceTables(org.id);
    await db.$transaction((tx) => storeUsage(tx, [late(`later-${wb.id}`)]));
    await closeMonth("2026-10", CLOSE_TIME);
    expect(await invoiceTables(org.id)).toBe(final);
  });

  it("refuses a month that has not ended", async () => {
    await expect(closeMonth("2026-11", new Date("2026-11-28T12:00:00Z"))).rejects.toThrow(/not ended/);
    expect(previousMonth(new Date("2026-01-15T00:00:00Z"))).toBe("2025-12");
    expect(monthBounds("2026-12").end.toISOString()).toBe("2027-01-01T00:00:00.000Z");
  });
});

describe("finalising", () => {
  it("finalises drafts after the review window with a number, KID, due date and a content hash of the frozen document", async () => {
    const { org } = await orgWithUsage(SPECS.slice(0, 2), ["OWNER", "PROCUREMENT", "DATA_SCIENTIST"]);
    await db.organization.update({ where: { id: org.id }, data: { paymentTermsDays: 14, orderReference: "PO-4471" } });
    await closeMonth("2026-10", CLOSE_TIME);
    const draft = await db.invoice.findFirstOrThrow({ where: { orgId: org.id } });
    expect(draft.reviewUntil!.getTime()).toBeGreaterThan(CLOSE_TIME.getTime());
    await finaliseDueDrafts(new Date(draft.reviewUntil!.getTime() - 1000));
    expect((await db.invoice.findUniqueOrThrow({ where: { id: draft.id } })).status).toBe("DRAFT");

    const outboxBefore = await db.outboxEmail.count();
    await runMonthClose(draft.reviewUntil!);
    const invoice = await db.invoice.findUniqueOrThrow({ where: { id: draft.id } });
    expect(invoice.status).toBe("ISSUED");
    expect(invoice.number).toMatch(/^2026-\d{6}$/);
    expect(invoice.issueDate!.toISOString().slice(0, 10)).toBe(draft.reviewUntil!.toISOString().slice(0, 10));
    expect((invoice.dueDate!.getTime() - invoice.issueDate!.getTime()) / 86_400_000).toBe(14);
    expect(isValidKid(invoice.kid!)).toBe(true);
    const doc = invoice.document as unknown as InvoiceDocument;
    expect(contentHash(doc)).toBe(invoice.contentHash);
    expect(doc.orderReference).toBe("PO-4471");
    expect(doc.totals.payableOre).toBe(Number(invoice.totalOre));
    expect(ehfProblems(doc)).toEqual([]);
    // Owner and procurement are told, the data scientist is not.
    const members = await db.membership.findMany({ where: { orgId: org.id }, include: { user: true } });
    const mails = (await db.outboxEmail.findMany({ orderBy: { createdAt: "asc" }, skip: outboxBefore })).filter((m) => members.some((x) => x.user.email === m.to));
    const to = (role: string) => members.find((m) => m.role === role)!.user.email;
    expect(mails.map((m) => m.to).sort()).toEqual([to("OWNER"), to("PROCUREMENT")].sort());
    expect(mails[0]!.subject).toContain(invoice.number!);
    // Finalising again is a no-op.
    expect(await finaliseInvoice(draft.id, { actor: BILLING_ACTOR })).toMatchObject({ number: invoice.number, finalisedNow: false });
  });

  it("never gives a gap or a duplicate number, even with concurrent finalisers and a failure among them", async () => {
    const drafts: string[] = [];
    for (let i = 0; i < 10; i++) {
      const { org } = await createOrg(["OWNER"]);
      const inv = await db.invoice.create({
        data: {
          orgId: org.id, periodStart: new Date("2027-01-01"), periodEnd: new Date("2027-02-01"), buyerReference: i === 4 ? "" : `REF-${i}`, netOre: 3900n, vatOre: 975n, totalOre: 4875n,
          lines: { create: [{ position: 1, kind: "COMPUTE", description: "1 x NVIDIA H100 SXM 80GB (h100-1x)", shapeId: "h100-1x", project: "P", quantity: "1.000000", unitCode: "HUR", unitPriceOre: "3900", netOre: 3900n, vatPercent: 25 }] },
        },
      });
      drafts.push(inv.id);
    }
    const now = new Date("2027-02-04T00:00:00Z");
    const outcomes = await Promise.allSettled([...drafts, ...drafts].map((id) => finaliseInvoice(id, { actor: BILLING_ACTOR, now })));
    // The draft without any buyer or order reference cannot become a valid EHF and is refused, twice.
    expect(outcomes.filter((o) => o.status === "rejected")).toHaveLength(2);
    const numbers = await db.invoice.findMany({ where: { series: "INV-2027" }, select: { sequence: true, number: true }, orderBy: { sequence: "asc" } });
    expect(numbers.map((n) => n.sequence)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9]);
    expect(new Set(numbers.map((n) => n.number)).size).toBe(9);
    expect((await db.invoiceSeries.findUniqueOrThrow({ where: { name: "INV-2027" } })).lastNumber).toBe(9);
  });

  it("refuses any change to a finalised invoice or its lines, in the database itself", async () => {
    const { org } = await orgWithUsage(SPECS.slice(3, 4));
    await closeMonth("2026-10", CLOSE_TIME);
    const draft = await db.invoice.findFirstOrThrow({ where: { orgId: org.id }, include: { lines: true } });
    // A draft may still be corrected.
    await db.invoice.update({ where: { id: draft.id }, data: { buyerReference: "CORRECTED" } });
    await finaliseInvoice(draft.id, { actor: BILLING_ACTOR, now: AFTER_REVIEW });
    const line = draft.lines[0]!;
    await expect(db.invoice.update({ where: { id: draft.id }, data: { netOre: 1n } })).rejects.toThrow(/finalised and cannot be changed/);
    await expect(db.invoice.update({ where: { id: draft.id }, data: { document: { forged: true } } })).rejects.toThrow(/finalised/);
    await expect(db.$executeRaw`UPDATE invoice SET number = 'X-1' WHERE id = ${draft.id}`).rejects.toThrow(/finalised/);
    await expect(db.invoice.delete({ where: { id: draft.id } })).rejects.toThrow(/cannot be deleted/);
    await expect(db.invoiceLine.update({ where: { id: line.id }, data: { netOre: 1n } })).rejects.toThrow(/finalised invoice cannot be changed/);
    await expect(db.invoiceLine.delete({ where: { id: line.id } })).rejects.toThrow(/finalised invoice cannot be changed/);
    await expect(db.invoiceLine.create({ data: { invoiceId: draft.id, position: 99, kind: "ADJUSTMENT", description: "x", quantity: "1", unitCode: "C62", unitPriceOre: "1", netOre: 1n, vatPercent: 25 } })).rejects.toThrow(/finalised/);
    // The customer-facing status may move.
    await db.invoice.update({ where: { id: draft.id }, data: { status: "APPROVED" } });
    const after = await db.invoice.findUniqueOrThrow({ where: { id: draft.id } });
    expect(contentHash(after.document as unknown as InvoiceDocument)).toBe(after.contentHash);
  });
});

describe("approvals, disputes and credit notes", () => {
  async function issued(roles: Array<"OWNER" | "ADMIN" | "PROCUREMENT" | "DATA_SCIENTIST">) {
    const fx = await orgWithUsage(SPECS.slice(0, 2), roles);
    await closeMonth("2026-10", CLOSE_TIME);
    const draft = await db.invoice.findFirstOrThrow({ where: { orgId: fx.org.id } });
    await finaliseInvoice(draft.id, { actor: BILLING_ACTOR, now: AFTER_REVIEW });
    return { ...fx, invoiceId: draft.id };
  }

  it("needs two different people when the organisation asks for four eyes", async () => {
    const { org, members, invoiceId } = await issued(["OWNER", "ADMIN", "PROCUREMENT"]);
    const as = (role: "OWNER" | "ADMIN" | "PROCUREMENT") => callerFor(members[role]!.userId);
    expect(await updateBillingSettings.run(as("ADMIN"), { orgId: org.id, buyerReference: "HF-1", orderReference: "", invoiceApprovals: "2" })).toMatchObject({ ok: true });
    expect(await approveInvoice.run(as("PROCUREMENT"), { orgId: org.id, invoiceId })).toMatchObject({ ok: true, data: { approvals: 1, required: 2, approved: false } });
    expect((await db.invoice.findUniqueOrThrow({ where: { id: invoiceId } })).status).toBe("ISSUED");
    expect(await approveInvoice.run(as("PROCUREMENT"), { orgId: org.id, invoiceId })).toMatchObject({ ok: false, error: "errors.alreadyApproved" });
    expect(await approveInvoice.run(as("ADMIN"), { orgId: org.id, invoiceId })).toMatchObject({ ok: true, data: { approved: true } });
    expect((await db.invoice.findUniqueOrThrow({ where: { id: invoiceId } })).status).toBe("APPROVED");
    expect(await approveInvoice.run(as("OWNER"), { orgId: org.id, invoiceId })).toMatchObject({ ok: false, error: "errors.invoiceNotApprovable" });
    const audit = await db.auditEvent.findMany({ where: { orgId: org.id, action: "invoice.approved" } });
    expect(audit).toHaveLength(2);
  });

  it("does not let another organisation see or act on an invoice, and refuses drafts", async () => {
    const { org, invoiceId } = await issued(["OWNER"]);
    const other = await createOrg(["OWNER"]);
    const intruder = callerFor(other.members.OWNER!.userId);
    expect(await approveInvoice.run(intruder, { orgId: other.org.id, invoiceId })).toMatchObject({ ok: false, error: "errors.notFound" });
    expect(await approveInvoice.run(intruder, { orgId: org.id, invoiceId })).toMatchObject({ ok: false, error: "errors.notFound" });
    const { org: org2, members } = await orgWithUsage(SPECS.slice(0, 1));
    await closeMonth("2026-10", CLOSE_TIME);
    const draft = await db.invoice.findFirstOrThrow({ where: { orgId: org2.id } });
    expect(await approveInvoice.run(callerFor(members.OWNER!.userId), { orgId: org2.id, invoiceId: draft.id })).toMatchObject({ ok: false, error: "errors.invoiceNotApprovable" });
  });

  it("turns a dispute into a credit-note request, and a credit note answers it", async () => {
    const { org, members, invoiceId } = await issued(["OWNER", "PROCUREMENT"]);
    const procurement = callerFor(members.PROCUREMENT!.userId);
    expect(await disputeInvoice.run(procurement, { orgId: org.id, invoiceId, reason: "short" })).toMatchObject({ ok: false, error: "errors.validation", fieldErrors: { reason: "errors.disputeReasonShort" } });
    const outboxBefore = await db.outboxEmail.count();
    expect(await disputeInvoice.run(procurement, { orgId: org.id, invoiceId, reason: "Notebook WB 1 was billed while it was stopped on 12 October." })).toMatchObject({ ok: true });
    expect((await db.invoice.findUniqueOrThrow({ where: { id: invoiceId } })).status).toBe("DISPUTED");
    const desk = await db.outboxEmail.findMany({ skip: outboxBefore });
    expect(desk.some((m) => m.to === "faktura@nordlys.example" && m.text.includes("billed while it was stopped"))).toBe(true);

    const invoice = await db.invoice.findUniqueOrThrow({ where: { id: invoiceId } });
    await expect(issueCreditNote({ invoice: invoice.number!, reason: "Too much", amountOre: Number(invoice.netOre) + 1 }, BILLING_ACTOR)).rejects.toThrow(/left to credit/);
    const partial = await issueCreditNote({ invoice: invoice.number!, reason: "WB 1 stopped on 12 October", amountOre: 10_000 }, BILLING_ACTOR, AFTER_REVIEW);
    expect(partial.number).toMatch(/^K2026-\d{6}$/);
    const note = await db.invoice.findUniqueOrThrow({ where: { id: partial.id }, include: { lines: true } });
    expect(note).toMatchObject({ kind: "CREDIT_NOTE", status: "ISSUED", creditedInvoiceId: invoiceId, netOre: 10_000n, vatOre: 2_500n });
    expect((note.document as unknown as InvoiceDocument).creditedInvoice).toEqual({ number: invoice.number, issueDate: invoice.issueDate!.toISOString().slice(0, 10) });
    expect((await db.invoiceDispute.findFirstOrThrow({ where: { invoiceId } })).status).toBe("RESOLVED");
    // The corrected invoice awaits approval again.
    expect((await db.invoice.findUniqueOrThrow({ where: { id: invoiceId } })).status).toBe("ISSUED");
    expect(await approveInvoice.run(procurement, { orgId: org.id, invoiceId })).toMatchObject({ ok: true });
    // The rest can be credited too; then the invoice is fully credited.
    const rest = await issueCreditNote({ invoice: invoiceId, reason: "Cancelled by agreement" }, BILLING_ACTOR, AFTER_REVIEW);
    expect((await db.invoice.findUniqueOrThrow({ where: { id: rest.id } })).netOre).toBe(invoice.netOre - 10_000n);
    expect((await db.invoice.findUniqueOrThrow({ where: { id: invoiceId } })).status).toBe("CREDITED");
    await expect(issueCreditNote({ invoice: invoiceId, reason: "Once more" }, BILLING_ACTOR)).rejects.toThrow(/left to credit/);
  });

  it("draws agreed credits down across months and never below zero", async () => {
    const { org } = await orgWithUsage(SPECS.slice(3, 4));
    await db.billingCredit.create({ data: { orgId: org.id, description: "GPU credit, joint-innovation project Fjord-7B", amountOre: 5_000n, validFrom: new Date("2026-09-01"), validUntil: new Date("2027-08-31") } });
    await closeMonth("2026-10", CLOSE_TIME);
    const october = await db.invoice.findFirstOrThrow({ where: { orgId: org.id, periodStart: new Date("2026-10-01") }, include: { lines: true } });
    const credit = october.lines.find((l) => l.kind === "CREDIT")!;
    const charges = october.lines.filter((l) => l.kind !== "CREDIT").reduce((s, l) => s + Number(l.netOre), 0);
    expect(Number(credit.netOre)).toBe(-Math.min(5_000, charges));
    expect(Number(october.netOre)).toBe(Math.max(0, charges - 5_000));
    await finaliseInvoice(october.id, { actor: BILLING_ACTOR, now: AFTER_REVIEW });
    // November has a little usage (the last hours of the month-long series reach into it).
    await closeMonth("2026-11", new Date("2026-12-01T01:00:00Z"));
    const november = await db.invoice.findFirst({ where: { orgId: org.id, periodStart: new Date("2026-11-01") }, include: { lines: true } });
    const used = -Number(credit.netOre);
    const novCredit = november?.lines.find((l) => l.kind === "CREDIT");
    if (used >= 5_000) expect(novCredit).toBeUndefined();
    else expect(-Number(novCredit?.netOre ?? 0)).toBeLessThanOrEqual(5_000 - used);
  });
});

const missing = peppolToolsMissing();

describe.skipIf(missing.length > 0)(`EHF of real invoices pass PEPPOL BIS Billing 3.0${missing.length ? " (skipped: validator tools missing)" : ""}`, () => {
  let folder = "";
  afterAll(async () => {
    if (folder) await rm(folder, { recursive: true, force: true });
  });

  it("validates an invoice with many lines and a credit, a full credit note and a partial one", async () => {
    const { org } = await orgWithUsage(SPECS);
    await db.billingCredit.create({ data: { orgId: org.id, description: "Innovasjonskreditt GPU", amountOre: 20_000n, validFrom: new Date("2026-10-01"), validUntil: new Date("2026-12-31") } });
    await closeMonth("2026-10", CLOSE_TIME);
    const draft = await db.invoice.findFirstOrThrow({ where: { orgId: org.id } });
    await finaliseInvoice(draft.id, { actor: BILLING_ACTOR, now: AFTER_REVIEW });
    const partial = await issueCreditNote({ invoice: draft.id, reason: "Price correction", amountOre: 12_345 }, BILLING_ACTOR, AFTER_REVIEW);
    const full = await issueCreditNote({ invoice: draft.id, reason: "Invoice cancelled" }, BILLING_ACTOR, AFTER_REVIEW);
    folder = await mkdtemp(join(tmpdir(), "ehf-billing-"));
    for (const id of [draft.id, partial.id, full.id]) {
      const inv = await db.invoice.findUniqueOrThrow({ where: { id } });
      const file = join(folder, `${inv.number}.xml`);
      await writeFile(file, renderEhf(inv.document as unknown as InvoiceDocument), "utf8");
      const result = await validateEhfFile(file);
      expect(result.output, result.output).toContain("RESULT: VALID");
      expect(result.output, result.output).not.toMatch(/^\s*FATAL\b/m);
    }
  }, 300_000);
});
