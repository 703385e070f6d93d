// Accepting invitations: by a signed-in user with the invited address, or by creating an account.
import "server-only";
import { z } from "zod";
import { isUniqueViolation } from "../db-errors";
import { db, type Tx } from "../db";
import { AppError } from "../errors";
import { recordAudit } from "../audit/record";
import { hashPassword } from "../auth/password";
import { hashToken } from "../auth/tokens";
import type { RequestMeta } from "../request-meta";
import { nameField, passwordField, tokenField } from "../validation/fields";
import { parseInput } from "../validation/parse";

export type InvitationState = "valid" | "expired" | "used" | "revoked";

/** What an invitation link leads to, for the page that shows it; null when the token is unknown. */
export async function describeInvitation(token: string) {
  const parsed = tokenField.safeParse(token);
  if (!parsed.success) return null;
  const invitation = await db.invitation.findUnique({
    where: { tokenHash: hashToken(parsed.data) },
    include: { org: { select: { name: true, slug: true } } },
  });
  if (!invitation) return null;
  const state: InvitationState = invitation.acceptedAt
    ? "used"
    : invitation.revokedAt
      ? "revoked"
      : invitation.expiresAt < new Date()
        ? "expired"
        : "valid";
  const hasAccount = (await db.user.count({ where: { email: invitation.email } })) > 0;
  return { email: invitation.email, role: invitation.role, orgName: invitation.org.name, orgSlug: invitation.org.slug, state, hasAccount };
}

/** Claims the invitation exactly once; throws when it is unknown, used, revoked or expired. */
async function claim(tx: Tx, token: string) {
  const invitation = await tx.invitation.findUnique({ where: { tokenHash: hashToken(token) } });
  if (!invitation) throw new AppError("errors.invitationInvalid");
  const claimed = await tx.invitation.updateMany({
    where: { id: invitation.id, acceptedAt: null, revokedAt: null, expiresAt: { gt: new Date() } },
    data: { acceptedAt: new Date() },
  });
  if (claimed.count !== 1) throw new AppError("errors.invitationInvalid");
  return invitation;
}

async function join(tx: Tx, invitation: { id: string; orgId: string; role: "OWNER" | "ADMIN" | "DATA_SCIENTIST" | "PROCUREMENT" | "VIEWER" }, user: { id: string; email: string }, meta: RequestMeta) {
  const already = await tx.membership.findUnique({ where: { orgId_userId: { orgId: invitation.orgId, userId: user.id } } });
  if (already) throw new AppError("errors.alreadyMember");
  await tx.membership.create({ data: { orgId: invitation.orgId, userId: user.id, role: invitation.role } });
  await tx.invitation.update({ where: { id: invitation.id }, data: { acceptedById: user.id } });
  const actor = { actorId: user.id, actorLabel: user.email, ip: meta.ip, userAgent: meta.userAgent };
  await recordAudit(tx, actor, { orgId: invitation.orgId, action: "invitation.accepted", targetType: "invitation", targetId: invitation.id });
  await recordAudit(tx, actor, {
    orgId: invitation.orgId,
    action: "member.added",
    targetType: "user",
    targetId: user.id,
    details: { email: user.email, role: invitation.role },
  });
  const org = await tx.organization.findUniqueOrThrow({ where: { id: invitation.orgId }, select: { slug: true } });
  return { orgSlug: org.slug };
}

/** A signed-in user accepts an invitation sent to their own address. */
export async function acceptInvitation(userId: string, raw: unknown, meta: RequestMeta) {
  const { token } = parseInput(z.object({ token: tokenField }), raw);
  return db.$transaction(async (tx) => {
    const user = await tx.user.findUnique({ where: { id: userId }, select: { id: true, email: true, emailVerifiedAt: true } });
    if (!user) throw new AppError("errors.notFound");
    const invitation = await claim(tx, token);
    if (invitation.email !== user.email) throw new AppError("errors.invitationEmailMismatch");
    if (!user.emailVerifiedAt) await tx.user.update({ where: { id: user.id }, data: { emailVerifiedAt: new Date() } });
    return join(tx, invitation, user, meta);
  });
}

export const acceptWithNewAccountSchema = z
  .object({ token: tokenField, name: nameField, password: passwordField, confirm: z.string({ error: "errors.required" }) })
  .refine((v) => v.password === v.confirm, { path: ["confirm"], message: "errors.passwordsDiffer" });

/** Someone without an account accepts: the account is created for the invited address (already verified). */
export async function acceptInvitationWithNewAccount(raw: unknown, meta: RequestMeta) {
  const input = parseInput(acceptWithNewAccountSchema, raw);
  const passwordHash = await hashPassword(input.password);
  try {
    return await db.$transaction(async (tx) => {
      const invitation = await claim(tx, input.token);
      const user = await tx.user.create({
        data: { email: invitation.email, name: input.name, passwordHash, emailVerifiedAt: new Date(), locale: meta.locale },
        select: { id: true, email: true },
      });
      const joined = await join(tx, invitation, user, meta);
      return { ...joined, email: user.email };
    });
  } catch (error) {
    if (isUniqueViolation(error)) throw new AppError("errors.emailTaken");
    throw error;
  }
}
