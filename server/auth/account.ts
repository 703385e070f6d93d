// Account life cycle outside any organisation: e-mail verification, password reset and change,
// signing out everywhere. Answers never reveal whether an e-mail address has an account.
import "server-only";
import { z } from "zod";
import { db } from "../db";
import { AppError } from "../errors";
import { recordAudit, type AuditActor } from "../audit/record";
import { enqueueEmail, deliverSoon } from "../email/outbox";
import { resetPasswordMessage, verifyEmailMessage } from "../email/templates";
import type { RequestMeta } from "../request-meta";
import { emailField, existingPasswordField, passwordField, tokenField } from "../validation/fields";
import { parseInput } from "../validation/parse";
import { hashPassword, verifyPassword } from "./password";
import { DAY, HOUR, hashToken, newToken } from "./tokens";
import { revokeAllSessions } from "./sessions";

const actorFrom = (user: { id: string; email: string }, meta: Pick<RequestMeta, "ip" | "userAgent">): AuditActor => ({
  actorId: user.id,
  actorLabel: user.email,
  ip: meta.ip,
  userAgent: meta.userAgent,
});

/** Orgs a user belongs to: account-level events are written to each of their chains. */
async function orgIdsOf(userId: string): Promise<string[]> {
  const rows = await db.membership.findMany({ where: { userId }, select: { orgId: true } });
  return rows.map((r) => r.orgId);
}

/** Consumes a single-use token of the given purpose; throws when unknown, used or expired. */
async function consumeToken(purpose: "VERIFY_EMAIL" | "RESET_PASSWORD", token: string) {
  const tokenHash = hashToken(token);
  const row = await db.emailToken.findUnique({ where: { tokenHash }, include: { user: true } });
  if (!row || row.purpose !== purpose || row.usedAt || row.expiresAt < new Date()) {
    throw new AppError("errors.tokenInvalid");
  }
  return row;
}

/** Marks the e-mail address verified from a link; single use. */
export async function verifyEmail(raw: unknown, meta: RequestMeta): Promise<{ email: string }> {
  const { token } = parseInput(z.object({ token: tokenField }), raw);
  const row = await consumeToken("VERIFY_EMAIL", token);
  const orgIds = await orgIdsOf(row.userId);
  await db.$transaction(async (tx) => {
    const claimed = await tx.emailToken.updateMany({ where: { id: row.id, usedAt: null }, data: { usedAt: new Date() } });
    if (claimed.count !== 1) throw new AppError("errors.tokenInvalid");
    await tx.user.update({ where: { id: row.userId }, data: { emailVerifiedAt: row.user.emailVerifiedAt ?? new Date() } });
    for (const orgId of orgIds) {
      await recordAudit(tx, actorFrom(row.user, meta), { orgId, action: "user.email_verified", targetType: "user", targetId: row.userId });
    }
  });
  return { email: row.user.email };
}

/** Sends a fresh verification link if the address belongs to an unverified account; silent otherwise. */
export async function resendVerification(raw: unknown, meta: RequestMeta): Promise<void> {
  const { email } = parseInput(z.object({ email: emailField }), raw);
  const user = await db.user.findUnique({ where: { email } });
  if (!user || user.emailVerifiedAt) return;
  const recent = await db.emailToken.count({
    where: { userId: user.id, purpose: "VERIFY_EMAIL", createdAt: { gte: new Date(Date.now() - 10 * 60 * 1000) } },
  });
  if (recent >= 3) return;
  const { token, tokenHash } = newToken();
  await db.$transaction(async (tx) => {
    await tx.emailToken.create({ data: { userId: user.id, purpose: "VERIFY_EMAIL", tokenHash, expiresAt: new Date(Date.now() + 2 * DAY) } });
    await enqueueEmail(tx, verifyEmailMessage(isLocaleOr(user.locale, meta.locale), user.email, user.name, `${meta.baseUrl}/verify-email?token=${token}`));
  });
  deliverSoon();
}

/** Sends a single-use reset link valid one hour when the account exists; the caller always answers the same. */
export async function requestPasswordReset(raw: unknown, meta: RequestMeta): Promise<void> {
  const { email } = parseInput(z.object({ email: emailField }), raw);
  const user = await db.user.findUnique({ where: { email } });
  if (!user) return;
  const recent = await db.emailToken.count({
    where: { userId: user.id, purpose: "RESET_PASSWORD", createdAt: { gte: new Date(Date.now() - 15 * 60 * 1000) } },
  });
  if (recent >= 3) return;
  const { token, tokenHash } = newToken();
  await db.$transaction(async (tx) => {
    await tx.emailToken.create({ data: { userId: user.id, purpose: "RESET_PASSWORD", tokenHash, expiresAt: new Date(Date.now() + HOUR) } });
    await enqueueEmail(tx, resetPasswordMessage(isLocaleOr(user.locale, meta.locale), user.email, user.name, `${meta.baseUrl}/reset-password?token=${token}`));
  });
  deliverSoon();
}

export const resetPasswordSchema = z
  .object({ token: tokenField, password: passwordField, confirm: z.string({ error: "errors.required" }) })
  .refine((v) => v.password === v.confirm, { path: ["confirm"], message: "errors.passwordsDiffer" });

/** Sets a new password from a reset link: single use, ends every session, voids other reset links. */
export async function resetPassword(raw: unknown, meta: RequestMeta): Promise<void> {
  const input = parseInput(resetPasswordSchema, raw);
  const row = await consumeToken("RESET_PASSWORD", input.token);
  const passwordHash = await hashPassword(input.password);
  const orgIds = await orgIdsOf(row.userId);
  await db.$transaction(async (tx) => {
    const claimed = await tx.emailToken.updateMany({ where: { id: row.id, usedAt: null }, data: { usedAt: new Date() } });
    if (claimed.count !== 1) throw new AppError("errors.tokenInvalid");
    await tx.emailToken.updateMany({
      where: { userId: row.userId, purpose: "RESET_PASSWORD", usedAt: null },
      data: { usedAt: new Date() },
    });
    // Following the link proves control of the address.
    await tx.user.update({
      where: { id: row.userId },
      data: { passwordHash, sessionVersion: { increment: 1 }, emailVerifiedAt: row.user.emailVerifiedAt ?? new Date() },
    });
    await revokeAllSessions(tx, row.userId);
    for (const orgId of orgIds) {
      await recordAudit(tx, actorFrom(row.user, meta), { orgId, action: "user.password_reset", targetType: "user", targetId: row.userId });
    }
  });
}

export const changePasswordSchema = z
  .object({ currentPassword: existingPasswordField, password: passwordField, confirm: z.string({ error: "errors.required" }) })
  .refine((v) => v.password === v.confirm, { path: ["confirm"], message: "errors.passwordsDiffer" });

/** Changes the signed-in user's password after checking the current one; ends every session. */
export async function changePassword(userId: string, raw: unknown, meta: RequestMeta): Promise<void> {
  const input = parseInput(changePasswordSchema, raw);
  const user = await db.user.findUnique({ where: { id: userId }, omit: { passwordHash: false } });
  if (!user) throw new AppError("errors.notFound");
  if (!(await verifyPassword(user.passwordHash, input.currentPassword))) {
    throw new AppError("errors.wrongPassword", { currentPassword: "errors.wrongPassword" });
  }
  const passwordHash = await hashPassword(input.password);
  const orgIds = await orgIdsOf(userId);
  await db.$transaction(async (tx) => {
    await tx.user.update({ where: { id: userId }, data: { passwordHash, sessionVersion: { increment: 1 } } });
    await revokeAllSessions(tx, userId);
    for (const orgId of orgIds) {
      await recordAudit(tx, actorFrom(user, meta), { orgId, action: "user.password_changed", targetType: "user", targetId: userId });
    }
  });
}

/** Invalidates every session of the user, this one included. */
export async function signOutEverywhere(userId: string, meta: RequestMeta): Promise<void> {
  const user = await db.user.findUnique({ where: { id: userId } });
  if (!user) throw new AppError("errors.notFound");
  const orgIds = await orgIdsOf(userId);
  await db.$transaction(async (tx) => {
    await tx.user.update({ where: { id: userId }, data: { sessionVersion: { increment: 1 } } });
    await revokeAllSessions(tx, userId);
    for (const orgId of orgIds) {
      await recordAudit(tx, actorFrom(user, meta), { orgId, action: "user.signed_out_everywhere", targetType: "user", targetId: userId });
    }
  });
}

/** Saves the user's preferred language (also used for their e-mails). */
export async function setUserLocale(userId: string, locale: "en" | "nb"): Promise<void> {
  await db.user.update({ where: { id: userId }, data: { locale } });
}

function isLocaleOr(value: string, fallback: "en" | "nb"): "en" | "nb" {
  return value === "en" || value === "nb" ? value : fallback;
}
