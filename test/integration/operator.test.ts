// The operators' console on real PostgreSQL: only operators act; organisations are approved, rejected,
// suspended (their notebooks stop) and reactivated; quotas and shapes bind launches; credit notes, prices
// and carbon factors change; every action lands in the affected organisation's audit chain.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { db } from "@/server/db";
import { changeOrgStatus, issueCreditNoteByOperator, publishFactor, setOrgLimits, updateShapeOffer } from "@/server/operator/operations";
import { organisationForOperator } from "@/server/operator/queries";
import { registerLaunch } from "@/server/notebooks/operations";
import { disputeInvoice } from "@/server/billing/operations";
import { finaliseInvoice } from "@/server/billing/finalise";
import { BILLING_ACTOR } from "@/server/billing/close";
import { FACTOR_SET_2, FACTORS_2, SHAPE_OFFERS } from "@/prisma/catalogue-seed";
import { callerFor, createOrg, createUser, snapshot } from "../fixtures";
import { startTestControlPlane } from "../control-plane-fixture";

let cp: Awaited<ReturnType<typeof startTestControlPlane>> | undefined;
beforeAll(async () => {
  for (const offer of SHAPE_OFFERS) await db.shapeOffer.upsert({ where: { shapeId: offer.shapeId }, create: offer, update: {} });
  if (!(await db.carbonFactorSet.findUnique({ where: { id: FACTOR_SET_2.id } }))) await db.carbonFactorSet.create({ data: { ...FACTOR_SET_2, factors: { create: FACTORS_2 } } });
  cp = await startTestControlPlane();
});
afterAll(async () => cp?.close());

async function operator() {
  const user = await createUser("operator");
  await db.user.update({ where: { id: user.id }, data: { platformRole: "OPERATOR" } });
  return { ...user, caller: callerFor(user.id) };
}

const launchInput = (orgId: string, shapeId = "cpu-8") => ({
  orgId, displayName: `Launch ${Math.random().toString(36).slice(2, 7)}`, imageId: "jupyter-minimal-2025.2", shapeId, regionId: "no-osl-1", storageGb: "10", idleTimeoutMinutes: "60",
});

describe("operators' console", () => {
  it("refuses everybody but operators, audits the attempt and changes nothing", async () => {
    const { org, members } = await createOrg(["OWNER"], "PENDING_APPROVAL");
    const before = await snapshot();
    const result = await changeOrgStatus.run(callerFor(members.OWNER!.userId), { orgId: org.id, transition: "approve" });
    expect(result).toMatchObject({ ok: false, error: "errors.forbidden" });
    expect(await snapshot()).toEqual(before);
    const denied = await db.auditEvent.findFirst({ where: { orgId: null, action: "operator.org_status", outcome: "DENIED", actorId: members.OWNER!.userId } });
    expect(denied).not.toBeNull();
  });

  it("approves, rejects with a reason, suspends (stopping notebooks) and reactivates, visible in the organisation's audit log", async () => {
    const op = await operator();
    const pending = await createOrg(["OWNER"], "PENDING_APPROVAL");
    expect(await changeOrgStatus.run(op.caller, { orgId: pending.org.id, transition: "reject" })).toMatchObject({ ok: false, error: "errors.validation", fieldErrors: { reason: "errors.reasonRequired" } });
    expect(await changeOrgStatus.run(op.caller, { orgId: pending.org.id, transition: "suspend", reason: "Not allowed from pending" })).toMatchObject({ ok: false, error: "errors.invalidState" });
    expect(await changeOrgStatus.run(op.caller, { orgId: pending.org.id, transition: "approve" })).toMatchObject({ ok: true, data: { status: "ACTIVE" } });
    // The approved organisation can launch.
    const launched = await registerLaunch.run(callerFor(pending.members.OWNER!.userId), launchInput(pending.org.id));
    expect(launched).toMatchObject({ ok: true });
    const wbId = (launched as { data: { workbenchId: string } }).data.workbenchId;

    expect(await changeOrgStatus.run(op.caller, { orgId: pending.org.id, transition: "suspend", reason: "Unpaid invoices since August" })).toMatchObject({ ok: true, data: { status: "SUSPENDED", stopped: [wbId] } });
    const wb = await db.workbench.findUniqueOrThrow({ where: { id: wbId } });
    expect(wb.desiredState).toBe("STOPPED");
    const org = await db.organization.findUniqueOrThrow({ where: { id: pending.org.id } });
    expect(org).toMatchObject({ status: "SUSPENDED", statusReason: "Unpaid invoices since August" });
    expect(await registerLaunch.run(callerFor(pending.members.OWNER!.userId), launchInput(pending.org.id))).toMatchObject({ ok: false, error: "errors.orgNotActive" });
    expect(await changeOrgStatus.run(op.caller, { orgId: pending.org.id, transition: "reactivate" })).toMatchObject({ ok: true, data: { status: "ACTIVE" } });

    const trail = await db.auditEvent.findMany({ where: { orgId: pending.org.id, actorLabel: `operator:${op.email}` }, orderBy: { seq: "asc" } });
    expect(trail.map((e) => e.action)).toEqual(["operator.org_approved", "notebook.stop_requested", "operator.org_suspended", "operator.org_reactivated"]);

    const other = await createOrg(["OWNER"], "PENDING_APPROVAL");
    expect(await changeOrgStatus.run(op.caller, { orgId: other.org.id, transition: "reject", reason: "Not a Norwegian organisation" })).toMatchObject({ ok: true, data: { status: "REJECTED" } });
  });

  it("sets the GPU quota and the shapes an organisation may launch", async () => {
    const op = await operator();
    const { org, members } = await createOrg(["OWNER"]);
    const owner = callerFor(members.OWNER!.userId);
    expect(await setOrgLimits.run(op.caller, { orgId: org.id, gpuQuota: "2", shapes: [] })).toMatchObject({ ok: false, fieldErrors: { shapes: "errors.noShapesAllowed" } });
    expect(await setOrgLimits.run(op.caller, { orgId: org.id, gpuQuota: "2", shapes: ["cpu-8", "nope-1x"] })).toMatchObject({ ok: false, fieldErrors: { shapes: "errors.unknownShape" } });
    expect(await setOrgLimits.run(op.caller, { orgId: org.id, gpuQuota: "-1", allShapes: "on" })).toMatchObject({ ok: false, error: "errors.validation" });
    expect(await setOrgLimits.run(op.caller, { orgId: org.id, gpuQuota: "2", shapes: ["cpu-8", "h100-mig-1g10gb"] })).toMatchObject({ ok: true, data: { gpuQuota: 2, allowedShapes: ["cpu-8", "h100-mig-1g10gb"] } });
    expect(await registerLaunch.run(owner, launchInput(org.id, "h100-1x"))).toMatchObject({ ok: false, fieldErrors: { shapeId: "errors.shapeNotAllowed" } });
    expect(await registerLaunch.run(owner, launchInput(org.id, "cpu-8"))).toMatchObject({ ok: true });
    expect(await setOrgLimits.run(op.caller, { orgId: org.id, gpuQuota: "4", allShapes: "on" })).toMatchObject({ ok: true, data: { allowedShapes: [] } });
    const audit = await db.auditEvent.findFirst({ where: { orgId: org.id, action: "operator.org_limits_changed" }, orderBy: { seq: "desc" } });
    expect(audit?.details).toMatchObject({ after: { gpuQuota: 4, allowedShapes: [] } });
  });

  it("issues a credit note for a disputed invoice", async () => {
    const op = await operator();
    const { org, members } = await createOrg(["OWNER", "PROCUREMENT"]);
    const invoice = await db.invoice.create({
      data: {
        orgId: org.id, periodStart: new Date("2026-10-01"), periodEnd: new Date("2026-11-01"), buyerReference: "REF", netOre: 390_000n, vatOre: 97_500n, totalOre: 487_500n,
        lines: { create: [{ position: 1, kind: "COMPUTE", description: "1 x NVIDIA H100 SXM 80GB (h100-1x)", shapeId: "h100-1x", project: "P", quantity: "100.000000", unitCode: "HUR", unitPriceOre: "3900", netOre: 390_000n, vatPercent: 25 }] },
      },
    });
    await finaliseInvoice(invoice.id, { actor: BILLING_ACTOR, now: new Date("2026-11-04T06:00:00Z") });
    expect(await disputeInvoice.run(callerFor(members.PROCUREMENT!.userId), { orgId: org.id, invoiceId: invoice.id, reason: "Ten hours too many on 3 October." })).toMatchObject({ ok: true });
    expect(await issueCreditNoteByOperator.run(op.caller, { invoiceId: invoice.id, reason: "Ten hours", amount: "390,005" })).toMatchObject({ ok: false, fieldErrors: { amount: "errors.amountInvalid" } });
    expect(await issueCreditNoteByOperator.run(op.caller, { invoiceId: invoice.id, reason: "Ten hours", amount: "99999" })).toMatchObject({ ok: false, error: "errors.creditNoteRefused" });
    const result = await issueCreditNoteByOperator.run(op.caller, { invoiceId: invoice.id, reason: "Ten hours billed twice", amount: "390" });
    expect(result).toMatchObject({ ok: true, data: { number: expect.stringMatching(/^K\d{4}-\d{6}$/) } });
    const note = await db.invoice.findFirstOrThrow({ where: { creditedInvoiceId: invoice.id } });
    expect(note.netOre).toBe(39_000n);
    expect(await db.auditEvent.findFirst({ where: { orgId: org.id, action: "credit_note.issued", actorLabel: `operator:${op.email}` } })).not.toBeNull();
  });

  it("changes prices and publishes a new carbon factor set, keeping the old one", async () => {
    const op = await operator();
    expect(await updateShapeOffer.run(op.caller, { shapeId: "cpu-8", price: "2,5x" })).toMatchObject({ ok: false, fieldErrors: { price: "errors.amountInvalid" } });
    expect(await updateShapeOffer.run(op.caller, { shapeId: "cpu-8", price: "2,60", available: "on" })).toMatchObject({ ok: true, data: { pricePerHourOre: 260, available: true } });
    expect((await db.shapeOffer.findUniqueOrThrow({ where: { shapeId: "cpu-8" } })).pricePerHourOre).toBe(260);
    const before = await db.carbonFactor.findMany({ where: { setId: "2026.2" }, orderBy: { key: "asc" } });
    const key = before[0]!.key;
    const published = await publishFactor.run(op.caller, { key, value: "1,25", source: "Operator test source", year: "2026" });
    expect(published).toMatchObject({ ok: true });
    const setId = (published as { data: { setId: string } }).data.setId;
    expect(setId).not.toBe("2026.2");
    const next = await db.carbonFactor.findMany({ where: { setId }, orderBy: { key: "asc" } });
    expect(next).toHaveLength(before.length);
    expect(next.find((f) => f.key === key)).toMatchObject({ value: 1.25, source: "Operator test source" });
    expect(await db.carbonFactor.findMany({ where: { setId: "2026.2" }, orderBy: { key: "asc" } })).toEqual(before);
    expect(await db.auditEvent.findFirst({ where: { orgId: null, action: "operator.factor_published" } })).not.toBeNull();
  });

  it("records an operator's look at an organisation's data in that organisation's audit chain", async () => {
    const op = await operator();
    const { org } = await createOrg(["OWNER"]);
    await organisationForOperator(op.id, org.id, { ip: "10.0.0.9", userAgent: "test", baseUrl: "http://localhost", locale: "en" }, op.email);
    const event = await db.auditEvent.findFirst({ where: { orgId: org.id, action: "operator.viewed_organisation" } });
    expect(event).toMatchObject({ actorLabel: `operator:${op.email}`, ip: "10.0.0.9" });
    const someone = await createUser("nobody");
    await expect(organisationForOperator(someone.id, org.id, { ip: "1.1.1.1", userAgent: "x", baseUrl: "http://localhost", locale: "en" }, someone.email)).rejects.toThrow("errors.forbidden");
  });
});
