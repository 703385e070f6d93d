// Checks e-mail and password for sign-in, with throttling; the outcome never tells whether an account exists.
import "server-only";
import { z } from "zod";
import { db } from "../db";
import { recordAudit } from "../audit/record";
import { emailField, existingPasswordField } from "../validation/fields";
import { burnPasswordCheck, verifyPassword } from "./password";
import { isSignInThrottled, recordSignInAttempt } from "./rate-limit";

export type CredentialsOutcome =
  | { ok: true; user: { id: string; email: string; name: string; sessionVersion: number } }
  | { ok: false; reason: "invalid" | "rate_limited" | "unverified" };

const credentialsSchema = z.object({ email: emailField, password: existingPasswordField });

/** Verifies credentials; records every attempt for the per-account and per-IP limits. */
export async function checkCredentials(raw: unknown, meta: { ip: string; userAgent: string }): Promise<CredentialsOutcome> {
  const parsed = credentialsSchema.safeParse(raw);
  if (!parsed.success) return { ok: false, reason: "invalid" };
  const { email, password } = parsed.data;

  if (await isSignInThrottled(email, meta.ip)) {
    await recordSignInAttempt(email, meta.ip, false);
    return { ok: false, reason: "rate_limited" };
  }

  const user = await db.user.findUnique({ where: { email }, omit: { passwordHash: false } });
  const valid = user ? await verifyPassword(user.passwordHash, password) : (await burnPasswordCheck(password), false);
  await recordSignInAttempt(email, meta.ip, valid);
  if (!user || !valid) return { ok: false, reason: "invalid" };
  // Only someone who knows the password learns that the address still needs verifying.
  if (!user.emailVerifiedAt) return { ok: false, reason: "unverified" };

  const memberships = await db.membership.findMany({ where: { userId: user.id }, select: { orgId: true } });
  await db.$transaction(async (tx) => {
    for (const { orgId } of memberships) {
      await recordAudit(
        tx,
        { actorId: user.id, actorLabel: user.email, ip: meta.ip, userAgent: meta.userAgent },
        { orgId, action: "user.signed_in", targetType: "user", targetId: user.id },
      );
    }
  });
  return { ok: true, user: { id: user.id, email: user.email, name: user.name, sessionVersion: user.sessionVersion } };
}
