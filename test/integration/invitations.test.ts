import { describe, expect, it } from "vitest";
import { db } from "@/server/db";
import { inviteMember, resendInvitation, revokeInvitation } from "@/server/members/operations";
import { acceptInvitation, acceptInvitationWithNewAccount, describeInvitation } from "@/server/members/invitations";
import { hashToken } from "@/server/auth/tokens";
import { AppError } from "@/server/errors";
import { callerFor, createOrg, createUser, meta } from "../fixtures";

async function invite(orgId: string, inviterId: string, email: string, role = "DATA_SCIENTIST") {
  const result = await inviteMember.run(callerFor(inviterId), { orgId, email, role });
  if (!result.ok) throw new Error(`invite failed: ${result.error}`);
  return result.data;
}

async function codeOf(promise: Promise<unknown>) {
  const error = await promise.then(() => null, (e: unknown) => e);
  return error instanceof AppError ? error.code : String(error);
}

describe("invitations", () => {
  it("stores only a hash of the token, expires in 7 days and e-mails the link", async () => {
    const { org, members } = await createOrg(["OWNER"]);
    const { invitationId, token } = await invite(org.id, members.OWNER!.userId, "New.Person@Example.no");
    const row = await db.invitation.findUniqueOrThrow({ where: { id: invitationId } });
    expect(row.email).toBe("new.person@example.no");
    expect(row.tokenHash).toBe(hashToken(token));
    expect(row.tokenHash).not.toContain(token);
    const days = (row.expiresAt.getTime() - row.createdAt.getTime()) / 86_400_000;
    expect(days).toBeCloseTo(7, 2);
    const mail = await db.outboxEmail.findFirstOrThrow({ where: { to: "new.person@example.no" } });
    expect(mail.text).toContain(`/invite?token=${token}`);
    expect(await db.auditEvent.count({ where: { orgId: org.id, action: "invitation.created" } })).toBe(1);
  });

  it("lets a person without an account accept once, creating a verified account", async () => {
    const { org, members } = await createOrg(["OWNER"]);
    const { token } = await invite(org.id, members.OWNER!.userId, "fresh@example.no", "PROCUREMENT");
    expect(await describeInvitation(token)).toMatchObject({ state: "valid", hasAccount: false, role: "PROCUREMENT" });
    const joined = await acceptInvitationWithNewAccount({ token, name: "Fresh Person", password: "a long enough pw", confirm: "a long enough pw" }, meta);
    expect(joined).toMatchObject({ orgSlug: org.slug, email: "fresh@example.no" });
    const user = await db.user.findUniqueOrThrow({ where: { email: "fresh@example.no" } });
    expect(user.emailVerifiedAt).not.toBeNull();
    expect(await db.membership.findFirst({ where: { orgId: org.id, userId: user.id } })).toMatchObject({ role: "PROCUREMENT" });
    // Reuse is refused, whichever way it is attempted.
    expect(await codeOf(acceptInvitationWithNewAccount({ token, name: "Again", password: "a long enough pw", confirm: "a long enough pw" }, meta))).toBe("errors.invitationInvalid");
    expect(await codeOf(acceptInvitation(user.id, { token }, meta))).toBe("errors.invitationInvalid");
    expect(await describeInvitation(token)).toMatchObject({ state: "used" });
  });

  it("lets an existing user with the invited address join a second organisation", async () => {
    const { org, members } = await createOrg(["OWNER"]);
    const other = await createOrg(["OWNER", "VIEWER"]);
    const viewer = other.members.VIEWER!;
    const { token } = await invite(org.id, members.OWNER!.userId, viewer.email, "ADMIN");
    expect(await describeInvitation(token)).toMatchObject({ hasAccount: true });
    await expect(acceptInvitation(viewer.userId, { token }, meta)).resolves.toEqual({ orgSlug: org.slug });
    const memberships = await db.membership.findMany({ where: { userId: viewer.userId }, select: { role: true, orgId: true } });
    expect(memberships).toHaveLength(2);
    const events = await db.auditEvent.findMany({ where: { orgId: org.id }, orderBy: { seq: "asc" }, select: { action: true } });
    expect(events.map((e) => e.action)).toEqual(["invitation.created", "invitation.accepted", "member.added"]);
  });

  it("refuses an invitation accepted by an account with another address", async () => {
    const { org, members } = await createOrg(["OWNER"]);
    const stranger = await createUser("stranger");
    const { token } = await invite(org.id, members.OWNER!.userId, "intended@example.no");
    expect(await codeOf(acceptInvitation(stranger.id, { token }, meta))).toBe("errors.invitationEmailMismatch");
    expect(await db.membership.count({ where: { orgId: org.id, userId: stranger.id } })).toBe(0);
    // The refused attempt did not use the invitation up.
    expect(await describeInvitation(token)).toMatchObject({ state: "valid" });
  });

  it("refuses expired invitations", async () => {
    const { org, members } = await createOrg(["OWNER"]);
    const { invitationId, token } = await invite(org.id, members.OWNER!.userId, "late@example.no");
    await db.invitation.update({ where: { id: invitationId }, data: { expiresAt: new Date(Date.now() - 1000) } });
    expect(await describeInvitation(token)).toMatchObject({ state: "expired" });
    expect(await codeOf(acceptInvitationWithNewAccount({ token, name: "Late", password: "a long enough pw", confirm: "a long enough pw" }, meta))).toBe("errors.invitationInvalid");
    expect(await db.user.count({ where: { email: "late@example.no" } })).toBe(0);
  });

  it("revokes an invitation so its link stops working", async () => {
    const { org, members } = await createOrg(["OWNER"]);
    const { invitationId, token } = await invite(org.id, members.OWNER!.userId, "revoked@example.no");
    const result = await revokeInvitation.run(callerFor(members.OWNER!.userId), { orgId: org.id, invitationId });
    expect(result.ok).toBe(true);
    expect(await describeInvitation(token)).toMatchObject({ state: "revoked" });
    expect(await codeOf(acceptInvitationWithNewAccount({ token, name: "R", password: "a long enough pw", confirm: "a long enough pw" }, meta))).toBe("errors.invitationInvalid");
    // A revoked invitation cannot be revoked or resent again.
    expect(await revokeInvitation.run(callerFor(members.OWNER!.userId), { orgId: org.id, invitationId })).toMatchObject({ ok: false, error: "errors.notFound" });
  });

  it("resends with a new link and a new expiry, and the old link stops working", async () => {
    const { org, members } = await createOrg(["OWNER"]);
    const first = await invite(org.id, members.OWNER!.userId, "resend@example.no");
    await db.invitation.update({ where: { id: first.invitationId }, data: { expiresAt: new Date(Date.now() + 60_000) } });
    const resent = await resendInvitation.run(callerFor(members.OWNER!.userId), { orgId: org.id, invitationId: first.invitationId });
    if (!resent.ok) throw new Error(resent.error);
    expect(resent.data.token).not.toBe(first.token);
    expect(await describeInvitation(first.token)).toBeNull();
    const row = await db.invitation.findUniqueOrThrow({ where: { id: first.invitationId } });
    expect(row.expiresAt.getTime()).toBeGreaterThan(Date.now() + 6.9 * 86_400_000);
    expect(row.sendCount).toBe(2);
    expect(await db.outboxEmail.count({ where: { to: "resend@example.no" } })).toBe(2);
  });

  it("replaces an earlier pending invitation to the same address and refuses existing members", async () => {
    const { org, members } = await createOrg(["OWNER", "VIEWER"]);
    const a = await invite(org.id, members.OWNER!.userId, "twice@example.no");
    await invite(org.id, members.OWNER!.userId, "twice@example.no", "VIEWER");
    expect(await describeInvitation(a.token)).toMatchObject({ state: "revoked" });
    const dup = await inviteMember.run(callerFor(members.OWNER!.userId), { orgId: org.id, email: members.VIEWER!.email, role: "ADMIN" });
    expect(dup).toMatchObject({ ok: false, error: "errors.alreadyMember", fieldErrors: { email: "errors.alreadyMember" } });
  });

  it("does not let an admin invite an owner", async () => {
    const { org, members } = await createOrg(["OWNER", "ADMIN"]);
    const result = await inviteMember.run(callerFor(members.ADMIN!.userId), { orgId: org.id, email: "boss@example.no", role: "OWNER" });
    expect(result).toMatchObject({ ok: false, error: "errors.cannotAssignRole" });
    expect(await db.invitation.count({ where: { orgId: org.id } })).toBe(0);
  });
});
