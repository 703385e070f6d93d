// Every organisation-scoped server action, called as every role and as a member of another
// organisation: allowed or refused exactly as the permission table says; a refusal changes no row.
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { db } from "@/server/db";
import { ORG_OPERATIONS } from "@/server/actions/registry";
import { can, ROLES } from "@/server/permissions";
import type { Role } from "@/generated/prisma/enums";
import { afterAll, beforeAll } from "vitest";
import { callerFor, createOrg, createUser, snapshot } from "../fixtures";
import { startTestControlPlane } from "../control-plane-fixture";
import { SHAPE_OFFERS } from "@/prisma/catalogue-seed";
import { finaliseInvoice } from "@/server/billing/finalise";
import { BILLING_ACTOR } from "@/server/billing/close";

let cp: Awaited<ReturnType<typeof startTestControlPlane>> | undefined;
beforeAll(async () => {
  for (const offer of SHAPE_OFFERS) await db.shapeOffer.upsert({ where: { shapeId: offer.shapeId }, create: offer, update: {} });
  cp = await startTestControlPlane();
});
afterAll(async () => cp?.close());

async function workbenchRow(orgId: string, createdById: string, status: "RUNNING" | "STOPPED") {
  return db.workbench.create({
    data: {
      orgId, createdById, name: `wb-${createdById.slice(-6)}-${status.toLowerCase()}`, displayName: "Matrix", imageId: "jupyter-minimal-2025.2", shapeId: "cpu-8", regionId: "no-osl-1",
      storageGb: 10, idleTimeoutMinutes: 60, gpuMilli: 0, pricePerHourOre: 240, status, desiredState: status === "RUNNING" ? "RUNNING" : "STOPPED",
    },
  });
}

type OrgFixture = Awaited<ReturnType<typeof createOrg>>;

/** An issued (finalised) invoice of the organisation with one line. */
async function issuedInvoice(orgId: string) {
  const invoice = await db.invoice.create({
    data: {
      orgId, periodStart: new Date("2026-10-01"), periodEnd: new Date("2026-11-01"), buyerReference: "REF", netOre: 3900n, vatOre: 975n, totalOre: 4875n,
      lines: { create: [{ position: 1, kind: "COMPUTE", description: "1 x NVIDIA H100 SXM 80GB (h100-1x)", shapeId: "h100-1x", project: "General", quantity: "1.000000", unitCode: "HUR", unitPriceOre: "3900", netOre: 3900n, vatPercent: 25 }] },
    },
  });
  await finaliseInvoice(invoice.id, { actor: BILLING_ACTOR, now: new Date("2026-11-04T06:00:00Z") });
  return invoice.id;
}

/** A joint-innovation request of the organisation in the given status. */
async function innovationRow(orgId: string, createdById: string, status: "DRAFT" | "SUBMITTED") {
  return db.innovationRequest.create({
    data: { orgId, createdById, title: `Matrix ${status.toLowerCase()}`, problem: "", outcome: "", sector: "HEALTH", sensitivity: "INTERNAL", status, submittedAt: status === "SUBMITTED" ? new Date() : null },
  });
}

/** Valid input for each action against a fresh organisation, with a non-owner target where needed. */
async function inputFor(action: keyof typeof ORG_OPERATIONS, fx: OrgFixture) {
  const orgId = fx.org.id;
  const target = await createUser("target");
  const targetMembership = await db.membership.create({ data: { orgId, userId: target.id, role: "VIEWER" } });
  const invitation = await db.invitation.create({
    data: { orgId, email: `pending-${target.id}@example.no`, role: "VIEWER", tokenHash: `hash-${target.id}`, expiresAt: new Date(Date.now() + 86_400_000), invitedById: fx.members.OWNER!.userId },
  });
  switch (action) {
    case "inviteMemberAction":
      return { orgId, email: `invitee-${target.id}@example.no`, role: "VIEWER" };
    case "revokeInvitationAction":
    case "resendInvitationAction":
      return { orgId, invitationId: invitation.id };
    case "changeMemberRoleAction":
      return { orgId, membershipId: targetMembership.id, role: "DATA_SCIENTIST" };
    case "removeMemberAction":
      return { orgId, membershipId: targetMembership.id };
    case "launchNotebookAction":
      return { orgId, displayName: "Matrix launch", imageId: "jupyter-minimal-2025.2", shapeId: "cpu-8", regionId: "no-osl-1", storageGb: "10", idleTimeoutMinutes: "60" };
    case "stopNotebookAction":
    case "deleteNotebookAction":
      return { orgId, workbenchId: (await workbenchRow(orgId, fx.members.OWNER!.userId, "RUNNING")).id };
    case "startNotebookAction":
      return { orgId, workbenchId: (await workbenchRow(orgId, fx.members.OWNER!.userId, "STOPPED")).id };
    case "approveInvoiceAction":
      return { orgId, invoiceId: await issuedInvoice(orgId) };
    case "disputeInvoiceAction":
      return { orgId, invoiceId: await issuedInvoice(orgId), reason: "Hours billed twice for the same notebook." };
    case "updateBillingSettingsAction":
      return { orgId, buyerReference: "NEW-REF", orderReference: "PO-77", invoiceApprovals: "2" };
    case "setBudgetAction":
      return { orgId, project: "Matrix", amount: "12 500,50", hardStop: "on" };
    case "deleteBudgetAction":
      return { orgId, budgetId: (await db.budget.create({ data: { orgId, project: "", monthlyOre: 1_000_000n } })).id };
    case "setTwoFactorRequirementAction":
      return { orgId, requireTotp: "on" };
    case "saveInnovationDraftAction":
      return { orgId, title: "Matrix draft", sector: "HEALTH", sensitivity: "CONFIDENTIAL" };
    case "submitInnovationRequestAction":
      return {
        orgId, title: "Matrix project", problem: "Radiology referrals wait weeks for triage.", outcome: "A model that ranks referrals by urgency.", sector: "HEALTH", sensitivity: "RESTRICTED",
        shapeId: "h100-1x", gpuQuantity: "2", durationValue: "500", durationUnit: "HOURS", startDate: "2027-01-04", endDate: "2027-06-30", contactName1: "Kari Nordmann", contactEmail1: "kari@example.no", contactRole1: "Project lead",
      };
    case "commentOnInnovationRequestAction":
      return { orgId, requestId: (await innovationRow(orgId, fx.members.OWNER!.userId, "SUBMITTED")).id, body: "Here is the data-protection impact assessment." };
    case "withdrawInnovationDraftAction":
      return { orgId, requestId: (await innovationRow(orgId, fx.members.OWNER!.userId, "DRAFT")).id };
    case "requestDeletionAction":
      return { orgId, reason: "We are moving the project to another provider." };
    case "cancelDeletionAction":
      return { orgId, requestId: (await db.deletionRequest.create({ data: { orgId, requestedById: fx.members.OWNER!.userId } })).id };
    case "updateOrganisationAction":
      return { orgId, orgName: "Renamed Org", sector: "FINANCE", billingStreet: "Ny gate 2", billingPostalCode: "5003", billingCity: "Bergen", buyerReference: "NEW-REF" };
  }
}

const callers: Array<Role | "OUTSIDER"> = [...ROLES, "OUTSIDER"];

describe("role x action matrix", () => {
  for (const [actionName, operation] of Object.entries(ORG_OPERATIONS) as Array<[keyof typeof ORG_OPERATIONS, { name: string; permission: Parameters<typeof can>[1]; run: (typeof ORG_OPERATIONS)["removeMemberAction"]["run"] }]>) {
    for (const who of callers) {
      const expected = who !== "OUTSIDER" && can(who, operation.permission, "ACTIVE");
      it(`${actionName} as ${who}: ${expected ? "allowed" : "refused"}`, async () => {
        const fx = await createOrg([...ROLES]);
        const other = await createOrg(["OWNER"]);
        const input = await inputFor(actionName, fx);
        const callerId = who === "OUTSIDER" ? other.members.OWNER!.userId : fx.members[who]!.userId;
        const before = await snapshot();
        const auditBefore = await db.auditEvent.count({ where: { orgId: fx.org.id } });

        const result = await operation.run(callerFor(callerId), input);

        if (expected) {
          expect(result, JSON.stringify(result)).toMatchObject({ ok: true });
          expect(await snapshot()).not.toEqual(before);
          const added = await db.auditEvent.findMany({ where: { orgId: fx.org.id }, orderBy: { seq: "asc" }, skip: auditBefore });
          expect(added.length).toBeGreaterThan(0);
          expect(added.every((e) => e.outcome === "SUCCESS" && e.actorId === callerId)).toBe(true);
        } else {
          expect(result.ok).toBe(false);
          expect(result).toMatchObject({ error: who === "OUTSIDER" ? "errors.notFound" : "errors.forbidden" });
          expect(await snapshot()).toEqual(before);
          const added = await db.auditEvent.findMany({ where: { orgId: fx.org.id }, orderBy: { seq: "asc" }, skip: auditBefore });
          expect(added.map((e) => [e.action, e.outcome])).toEqual([[operation.name, "DENIED"]]);
        }
      });
    }
  }

  it("covers every organisation-scoped server action", () => {
    // Every "use server" module under server/ (its exports are callable from any browser).
    const files = readdirSync("server", { recursive: true, encoding: "utf8" })
      .filter((f) => f.endsWith(".ts") && !f.endsWith(".test.ts"))
      .map((f) => join("server", f))
      .filter((f) => /^\s*(\/\/.*\n\s*)*["']use server["']/.test(readFileSync(f, "utf8")));
    expect(files).toContain("server/notebooks/actions.ts");
    const exported = files
      // Not organisation-scoped: account actions, and the operators' console (its own guard and tests).
      .filter((f) => f !== "server/auth/actions.ts" && f !== "server/auth/account-actions.ts" && !f.endsWith("operator-actions.ts"))
      .flatMap((file) => [...readFileSync(file, "utf8").matchAll(/export async function (\w+)/g)].map((m) => m[1]));
    expect(exported.sort()).toEqual(Object.keys(ORG_OPERATIONS).sort());
  });

  it("refuses input naming an organisation that does not exist, and bad input, without writing", async () => {
    const fx = await createOrg(["OWNER"]);
    const before = await snapshot({ includeAudit: true });
    const caller = callerFor(fx.members.OWNER!.userId);
    expect(await ORG_OPERATIONS.inviteMemberAction.run(caller, { orgId: "doesnotexist", email: "a@b.no", role: "VIEWER" })).toMatchObject({ ok: false, error: "errors.notFound" });
    expect(await ORG_OPERATIONS.inviteMemberAction.run(caller, { orgId: fx.org.id, email: "x".repeat(10_000), role: "GOD" })).toMatchObject({
      ok: false,
      error: "errors.validation",
      fieldErrors: { email: "errors.emailInvalid", role: "errors.roleInvalid" },
    });
    expect(await ORG_OPERATIONS.removeMemberAction.run(caller, { orgId: fx.org.id, membershipId: "'; DROP TABLE membership; --" })).toMatchObject({ ok: false, error: "errors.validation" });
    expect(await ORG_OPERATIONS.removeMemberAction.run(caller, null)).toMatchObject({ ok: false, error: "errors.validation" });
    expect(await snapshot({ includeAudit: true })).toEqual(before);
  });
});
