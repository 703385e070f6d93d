// Checks sign-in credentials with throttling: the password step, then (for users with two-factor
// authentication) the code step. Outcomes never tell whether an account exists.
import "server-only";
import { z } from "zod";
import { db } from "../db";
import { emailField, existingPasswordField } from "../validation/fields";
import { burnPasswordCheck, verifyPassword } from "./password";
import { isSignInThrottled, recordSignInAttempt } from "./rate-limit";
import { openChallenge } from "./sign-in-challenge";
import { verifySecondFactor } from "./two-factor";
import { recordUserEvent, userActor } from "./user-audit";
import type { SessionMethod } from "./sessions";

export interface SignedInUser {
  id: string;
  email: string;
  name: string;
  sessionVersion: number;
  method: SessionMethod;
}

export type CredentialsOutcome =
  | { ok: true; user: SignedInUser }
  | { ok: false; reason: "invalid" | "rate_limited" | "unverified" | "totp_required" };

export type SecondStepOutcome = { ok: true; user: SignedInUser } | { ok: false; reason: "invalid_code" | "rate_limited" | "expired" };

const credentialsSchema = z.object({ email: emailField, password: existingPasswordField });

/** Verifies e-mail and password; records every attempt for the per-account and per-IP limits. */
export async function checkCredentials(raw: unknown, meta: { ip: string; userAgent: string }): Promise<CredentialsOutcome> {
  const parsed = credentialsSchema.safeParse(raw);
  if (!parsed.success) return { ok: false, reason: "invalid" };
  const { email, password } = parsed.data;

  if (await isSignInThrottled(email, meta.ip)) {
    await recordSignInAttempt(email, meta.ip, false);
    return { ok: false, reason: "rate_limited" };
  }

  const user = await db.user.findUnique({ where: { email }, select: { id: true, email: true, name: true, sessionVersion: true, emailVerifiedAt: true, totpEnabledAt: true, passwordHash: true } });
  const valid = user ? await verifyPassword(user.passwordHash, password) : (await burnPasswordCheck(password), false);
  await recordSignInAttempt(email, meta.ip, valid);
  if (!user || !valid) return { ok: false, reason: "invalid" };
  // Only someone who knows the password learns that the address still needs verifying, or that a code is needed.
  if (!user.emailVerifiedAt) return { ok: false, reason: "unverified" };
  if (user.totpEnabledAt) return { ok: false, reason: "totp_required" };
  return { ok: true, user: { id: user.id, email: user.email, name: user.name, sessionVersion: user.sessionVersion, method: "password" } };
}

const secondStepSchema = z.object({ challenge: z.string().min(1).max(1024), code: z.string().trim().min(1).max(32) });

/**
 * The code step: the sealed challenge from the password step plus a TOTP code or a recovery code.
 * Wrong codes count as failed sign-ins, so the account's rate limit also caps code guessing.
 */
export async function checkSecondStep(raw: unknown, meta: { ip: string; userAgent: string }): Promise<SecondStepOutcome> {
  const parsed = secondStepSchema.safeParse(raw);
  if (!parsed.success) return { ok: false, reason: "invalid_code" };
  const challenge = openChallenge(parsed.data.challenge);
  if (!challenge) return { ok: false, reason: "expired" };
  const user = await db.user.findUnique({
    where: { id: challenge.userId },
    select: { id: true, email: true, name: true, sessionVersion: true, emailVerifiedAt: true, totpEnabledAt: true },
  });
  // A password change (or reset) since the password step voids the challenge.
  if (!user?.emailVerifiedAt || !user.totpEnabledAt || user.sessionVersion !== challenge.sessionVersion) return { ok: false, reason: "expired" };

  if (await isSignInThrottled(user.email, meta.ip)) {
    await recordSignInAttempt(user.email, meta.ip, false);
    return { ok: false, reason: "rate_limited" };
  }
  const factor = await verifySecondFactor(user.id, parsed.data.code, { allowRecovery: true });
  await recordSignInAttempt(user.email, meta.ip, factor !== null);
  if (!factor) {
    await db.$transaction((tx) =>
      recordUserEvent(tx, userActor(user, meta), user.id, { action: "user.second_factor_failed", outcome: "FAILURE" }),
    );
    return { ok: false, reason: "invalid_code" };
  }
  if (factor === "recovery") {
    await db.$transaction((tx) => recordUserEvent(tx, userActor(user, meta), user.id, { action: "user.recovery_code_used", orgChains: true }));
  }
  return { ok: true, user: { id: user.id, email: user.email, name: user.name, sessionVersion: user.sessionVersion, method: "password+totp" } };
}
