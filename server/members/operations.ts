// Team access: invitations, role changes and removals, each authorised and audited.
import "server-only";
import { z } from "zod";
import type { Role } from "@/generated/prisma/enums";
import { AppError } from "../errors";
import { assignableRoles } from "../permissions";
import { recordAudit } from "../audit/record";
import { enqueueEmail } from "../email/outbox";
import { invitationMessage } from "../email/templates";
import { translator } from "../i18n/locales";
import { defineOrgOperation, type OrgContext } from "../actions/define";
import { DAY, newToken } from "../auth/tokens";
import { emailField, idField, roleField } from "../validation/fields";
import type { Tx } from "../db";

export const INVITATION_TTL_MS = 7 * DAY;

const orgId = idField;

async function sendInvitationEmail(ctx: OrgContext, email: string, role: Role, token: string) {
  const t = translator(ctx.caller.meta.locale);
  const inviter = await ctx.tx.user.findUniqueOrThrow({ where: { id: ctx.caller.userId }, select: { name: true } });
  const link = `${ctx.caller.meta.baseUrl}/invite?token=${token}`;
  await enqueueEmail(
    ctx.tx,
    invitationMessage(ctx.caller.meta.locale, email, { inviter: inviter.name, org: ctx.org.name, role: t(`roles.${role}`) }, link),
  );
}

function ensureCanAssign(ctx: OrgContext, role: Role) {
  if (!assignableRoles(ctx.role).includes(role)) throw new AppError("errors.cannotAssignRole", { role: "errors.cannotAssignRole" });
}

/** Locks the organisation's owner rows and throws if the change would leave no owner. */
async function ensureAnotherOwnerRemains(tx: Tx, orgIdValue: string, membershipId: string) {
  const owners = await tx.$queryRaw<Array<{ id: string }>>`
    SELECT id FROM membership WHERE org_id = ${orgIdValue} AND role = 'OWNER' FOR UPDATE`;
  if (!owners.some((o) => o.id !== membershipId)) throw new AppError("errors.lastOwner");
}

/** Invites someone by e-mail with a role; a previous pending invitation to the same address is replaced. */
export const inviteMember = defineOrgOperation({
  name: "members.invite",
  permission: "members.invite",
  schema: z.object({ orgId, email: emailField, role: roleField }),
  async handler(ctx, input) {
    ensureCanAssign(ctx, input.role);
    const existingMember = await ctx.tx.membership.findFirst({
      where: { orgId: ctx.org.id, user: { email: input.email } },
      select: { id: true },
    });
    if (existingMember) throw new AppError("errors.alreadyMember", { email: "errors.alreadyMember" });
    const now = new Date();
    await ctx.tx.invitation.updateMany({
      where: { orgId: ctx.org.id, email: input.email, acceptedAt: null, revokedAt: null },
      data: { revokedAt: now },
    });
    const { token, tokenHash } = newToken();
    const invitation = await ctx.tx.invitation.create({
      data: {
        orgId: ctx.org.id,
        email: input.email,
        role: input.role,
        tokenHash,
        expiresAt: new Date(now.getTime() + INVITATION_TTL_MS),
        invitedById: ctx.caller.userId,
      },
    });
    await sendInvitationEmail(ctx, input.email, input.role, token);
    await recordAudit(ctx.tx, ctx.actor, {
      orgId: ctx.org.id,
      action: "invitation.created",
      targetType: "invitation",
      targetId: invitation.id,
      details: { email: input.email, role: input.role },
    });
    return { invitationId: invitation.id, token };
  },
});

async function pendingInvitation(ctx: OrgContext, invitationId: string) {
  const invitation = await ctx.tx.invitation.findFirst({
    where: { id: invitationId, orgId: ctx.org.id, acceptedAt: null, revokedAt: null },
  });
  if (!invitation) throw new AppError("errors.notFound");
  return invitation;
}

/** Revokes a pending invitation; its link stops working. */
export const revokeInvitation = defineOrgOperation({
  name: "members.revokeInvitation",
  permission: "members.invite",
  schema: z.object({ orgId, invitationId: idField }),
  async handler(ctx, input) {
    const invitation = await pendingInvitation(ctx, input.invitationId);
    ensureCanAssign(ctx, invitation.role);
    await ctx.tx.invitation.update({ where: { id: invitation.id }, data: { revokedAt: new Date() } });
    await recordAudit(ctx.tx, ctx.actor, {
      orgId: ctx.org.id,
      action: "invitation.revoked",
      targetType: "invitation",
      targetId: invitation.id,
      details: { email: invitation.email },
    });
    return { invitationId: invitation.id };
  },
});

/** Sends a pending invitation again with a new link and a new 7-day expiry; the old link stops working. */
export const resendInvitation = defineOrgOperation({
  name: "members.resendInvitation",
  permission: "members.invite",
  schema: z.object({ orgId, invitationId: idField }),
  async handler(ctx, input) {
    const invitation = await pendingInvitation(ctx, input.invitationId);
    ensureCanAssign(ctx, invitation.role);
    const { token, tokenHash } = newToken();
    await ctx.tx.invitation.update({
      where: { id: invitation.id },
      data: { tokenHash, expiresAt: new Date(Date.now() + INVITATION_TTL_MS), sendCount: { increment: 1 } },
    });
    await sendInvitationEmail(ctx, invitation.email, invitation.role, token);
    await recordAudit(ctx.tx, ctx.actor, {
      orgId: ctx.org.id,
      action: "invitation.resent",
      targetType: "invitation",
      targetId: invitation.id,
      details: { email: invitation.email },
    });
    return { invitationId: invitation.id, token };
  },
});

async function targetMembership(ctx: OrgContext, membershipId: string) {
  const membership = await ctx.tx.membership.findFirst({
    where: { id: membershipId, orgId: ctx.org.id },
    include: { user: { select: { id: true, email: true } } },
  });
  if (!membership) throw new AppError("errors.notFound");
  // Only owners may change or remove owners.
  if (membership.role === "OWNER" && ctx.role !== "OWNER") throw new AppError("errors.cannotAssignRole");
  return membership;
}

/** Changes a member's role; the last owner can never be demoted. */
export const changeMemberRole = defineOrgOperation({
  name: "members.changeRole",
  permission: "members.changeRole",
  schema: z.object({ orgId, membershipId: idField, role: roleField }),
  async handler(ctx, input) {
    const membership = await targetMembership(ctx, input.membershipId);
    ensureCanAssign(ctx, input.role);
    if (membership.role === input.role) return { membershipId: membership.id, role: input.role };
    if (membership.role === "OWNER") await ensureAnotherOwnerRemains(ctx.tx, ctx.org.id, membership.id);
    await ctx.tx.membership.update({ where: { id: membership.id }, data: { role: input.role } });
    await recordAudit(ctx.tx, ctx.actor, {
      orgId: ctx.org.id,
      action: "member.role_changed",
      targetType: "user",
      targetId: membership.userId,
      details: { email: membership.user.email, from: membership.role, to: input.role },
    });
    return { membershipId: membership.id, role: input.role };
  },
});

/** Removes a member and ends their sessions; the last owner can never be removed. */
export const removeMember = defineOrgOperation({
  name: "members.remove",
  permission: "members.remove",
  schema: z.object({ orgId, membershipId: idField }),
  async handler(ctx, input) {
    const membership = await targetMembership(ctx, input.membershipId);
    if (membership.role === "OWNER") await ensureAnotherOwnerRemains(ctx.tx, ctx.org.id, membership.id);
    await ctx.tx.membership.delete({ where: { id: membership.id } });
    await ctx.tx.user.update({ where: { id: membership.userId }, data: { sessionVersion: { increment: 1 } } });
    await recordAudit(ctx.tx, ctx.actor, {
      orgId: ctx.org.id,
      action: "member.removed",
      targetType: "user",
      targetId: membership.userId,
      details: { email: membership.user.email, role: membership.role },
    });
    return { membershipId: membership.id, removedSelf: membership.userId === ctx.caller.userId };
  },
});
