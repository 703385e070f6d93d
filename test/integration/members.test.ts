import { describe, expect, it } from "vitest";
import { db } from "@/server/db";
import { changeMemberRole, removeMember } from "@/server/members/operations";
import { callerFor, createOrg } from "../fixtures";

describe("roles and removal", () => {
  it("never removes or demotes the last owner", async () => {
    const { org, members } = await createOrg(["OWNER", "ADMIN"]);
    const owner = members.OWNER!;
    expect(await changeMemberRole.run(callerFor(owner.userId), { orgId: org.id, membershipId: owner.membershipId, role: "ADMIN" })).toMatchObject({ ok: false, error: "errors.lastOwner" });
    expect(await removeMember.run(callerFor(owner.userId), { orgId: org.id, membershipId: owner.membershipId })).toMatchObject({ ok: false, error: "errors.lastOwner" });
    // An admin may not touch an owner at all.
    expect(await removeMember.run(callerFor(members.ADMIN!.userId), { orgId: org.id, membershipId: owner.membershipId })).toMatchObject({ ok: false, error: "errors.cannotAssignRole" });
    expect(await db.membership.findUniqueOrThrow({ where: { id: owner.membershipId } })).toMatchObject({ role: "OWNER" });
  });

  it("allows demoting an owner when another owner remains, but not both at once", async () => {
    const { org, members } = await createOrg(["OWNER"]);
    const second = await createOrg(["VIEWER"]);
    const m2 = await db.membership.create({ data: { orgId: org.id, userId: second.members.VIEWER!.userId, role: "OWNER" } });
    const owner1 = members.OWNER!;
    // Both owners try to demote each other at the same moment: exactly one succeeds.
    const results = await Promise.all([
      changeMemberRole.run(callerFor(owner1.userId), { orgId: org.id, membershipId: m2.id, role: "VIEWER" }),
      changeMemberRole.run(callerFor(second.members.VIEWER!.userId), { orgId: org.id, membershipId: owner1.membershipId, role: "VIEWER" }),
    ]);
    expect(results.filter((r) => r.ok)).toHaveLength(1);
    expect(await db.membership.count({ where: { orgId: org.id, role: "OWNER" } })).toBe(1);
  });

  it("changes roles with an audit event naming old and new role", async () => {
    const { org, members } = await createOrg(["OWNER", "VIEWER"]);
    const result = await changeMemberRole.run(callerFor(members.OWNER!.userId), { orgId: org.id, membershipId: members.VIEWER!.membershipId, role: "DATA_SCIENTIST" });
    expect(result.ok).toBe(true);
    const event = await db.auditEvent.findFirstOrThrow({ where: { orgId: org.id, action: "member.role_changed" } });
    expect(event.details).toMatchObject({ from: "VIEWER", to: "DATA_SCIENTIST" });
  });

  it("removal ends the removed member's sessions", async () => {
    const { org, members } = await createOrg(["OWNER", "DATA_SCIENTIST"]);
    const before = await db.user.findUniqueOrThrow({ where: { id: members.DATA_SCIENTIST!.userId } });
    const result = await removeMember.run(callerFor(members.OWNER!.userId), { orgId: org.id, membershipId: members.DATA_SCIENTIST!.membershipId });
    expect(result.ok).toBe(true);
    const after = await db.user.findUniqueOrThrow({ where: { id: members.DATA_SCIENTIST!.userId } });
    expect(after.sessionVersion).toBe(before.sessionVersion + 1);
    expect(await db.membership.count({ where: { orgId: org.id, userId: after.id } })).toBe(0);
  });
});
