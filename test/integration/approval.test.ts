import { describe, expect, it } from "vitest";
import { db } from "@/server/db";
import { approveOrganisation } from "@/server/orgs/approval";
import { verifyChain } from "@/server/audit/queries";
import { can } from "@/server/permissions";
import { createOrg } from "../fixtures";

describe("approving a pending organisation", () => {
  it("activates it once, audited as the operator, which opens launching", async () => {
    const { org } = await createOrg(["OWNER"], "PENDING_APPROVAL");
    expect(can("OWNER", "notebooks.launch", org.status)).toBe(false);
    const first = await approveOrganisation(org.orgNumber, "ops-anna");
    expect(first).toMatchObject({ status: "ACTIVE", changed: true });
    expect(first.approvedAt).not.toBeNull();
    const again = await approveOrganisation(org.slug, "ops-anna");
    expect(again.changed).toBe(false);
    const events = await db.auditEvent.findMany({ where: { orgId: org.id, action: "org.approved" } });
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({ actorLabel: "operator:ops-anna", actorId: null });
    expect(await verifyChain(org.id)).toMatchObject({ ok: true });
    expect(can("OWNER", "notebooks.launch", "ACTIVE")).toBe(true);
  });

  it("says so when no organisation matches", async () => {
    await expect(approveOrganisation("000000000", "ops")).rejects.toThrow("errors.notFound");
  });
});
