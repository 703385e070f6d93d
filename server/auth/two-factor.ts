// Two-factor authentication with TOTP (RFC 6238) and single-use recovery codes: enrolment,
// verification with replay protection, turning it off, and new recovery codes.
// The secret is stored sealed (AES-256-GCM, bound to the user id) together with the last accepted
// time step; accepting a code swaps that value atomically, so a code works once.
import "server-only";
import QRCode from "qrcode";
import { z } from "zod";
import { db, type Tx } from "../db";
import { AppError } from "../errors";
import type { RequestMeta } from "../request-meta";
import { existingPasswordField } from "../validation/fields";
import { parseInput } from "../validation/parse";
import { open, seal } from "./crypto";
import { verifyPassword } from "./password";
import { isSignInThrottled, recordSignInAttempt } from "./rate-limit";
import { hashRecoveryCode, newRecoveryCodes } from "./recovery-codes";
import { generateTotpSecret, groupSecret, matchTotp, otpauthUrl } from "./totp";
import { recordUserEvent, userActor } from "./user-audit";

export const TOTP_ISSUER = "Nordlys AI Cloud";

interface TotpState {
  secret: string;
  /** Last time step whose code was accepted; -1 before the first. */
  lastStep: number;
}

function sealState(userId: string, state: TotpState): string {
  return seal(JSON.stringify({ s: state.secret, t: state.lastStep }), "totp-secret", userId);
}

function openState(userId: string, sealed: string | null): TotpState | null {
  if (!sealed) return null;
  const text = open(sealed, "totp-secret", userId);
  if (!text) return null;
  try {
    const data = JSON.parse(text) as { s?: unknown; t?: unknown };
    return typeof data.s === "string" && typeof data.t === "number" ? { secret: data.s, lastStep: data.t } : null;
  } catch {
    return null;
  }
}

const totpCodeField = z
  .string({ error: "errors.required" })
  .transform((v) => v.replace(/\s/g, ""))
  .pipe(z.string().min(1, "errors.required").regex(/^\d{6}$/, "errors.codeFormat"));
/** A TOTP code or a recovery code, as typed. */
const anyCodeField = z.string({ error: "errors.required" }).trim().min(1, "errors.required").max(32, "errors.codeInvalid");

export type SecondFactor = "totp" | "recovery";

/**
 * Checks a code typed by a user whose two-factor authentication is on: a 6-digit TOTP code (each
 * accepted once) or, when allowed, an unused recovery code (then used up). Null when it does not match.
 */
export async function verifySecondFactor(
  userId: string,
  code: string,
  options: { allowRecovery: boolean; now?: Date; client?: Pick<Tx, "user" | "recoveryCode"> },
): Promise<SecondFactor | null> {
  const client = options.client ?? db;
  const now = options.now ?? new Date();
  const typed = code.replace(/\s/g, "");
  if (/^\d{6}$/.test(typed)) {
    const user = await client.user.findUnique({ where: { id: userId }, select: { totpSecret: true, totpEnabledAt: true } });
    if (!user?.totpEnabledAt || !user.totpSecret) return null;
    const state = openState(userId, user.totpSecret);
    if (!state) return null;
    const step = matchTotp(state.secret, typed, now, state.lastStep);
    if (step === null) return null;
    // Compare-and-swap on the sealed value: of two requests with the same code, one wins.
    const claimed = await client.user.updateMany({
      where: { id: userId, totpSecret: user.totpSecret, totpEnabledAt: { not: null } },
      data: { totpSecret: sealState(userId, { secret: state.secret, lastStep: step }) },
    });
    return claimed.count === 1 ? "totp" : null;
  }
  if (!options.allowRecovery) return null;
  const codeHash = hashRecoveryCode(typed);
  if (!codeHash) return null;
  const enabled = await client.user.findFirst({ where: { id: userId, totpEnabledAt: { not: null } }, select: { id: true } });
  if (!enabled) return null;
  const used = await client.recoveryCode.updateMany({ where: { userId, codeHash, usedAt: null }, data: { usedAt: now } });
  return used.count === 1 ? "recovery" : null;
}

export interface TwoFactorStatus {
  enabled: boolean;
  enabledAt: Date | null;
  recoveryCodesLeft: number;
  /** Set while enrolment is started but not confirmed: what the authenticator app needs. */
  pending: { secret: string; groupedSecret: string; otpauthUrl: string; qrSvg: string } | null;
}

/** The signed-in user's two-factor state for the account page (the secret only while enrolling). */
export async function getTwoFactorStatus(userId: string): Promise<TwoFactorStatus> {
  const user = await db.user.findUniqueOrThrow({ where: { id: userId }, select: { email: true, totpSecret: true, totpEnabledAt: true } });
  const recoveryCodesLeft = user.totpEnabledAt ? await db.recoveryCode.count({ where: { userId, usedAt: null } }) : 0;
  let pending: TwoFactorStatus["pending"] = null;
  if (!user.totpEnabledAt) {
    const state = openState(userId, user.totpSecret);
    if (state) {
      const url = otpauthUrl(state.secret, user.email, TOTP_ISSUER);
      const qrSvg = await QRCode.toString(url, { type: "svg", errorCorrectionLevel: "M", margin: 2, width: 200 });
      pending = { secret: state.secret, groupedSecret: groupSecret(state.secret), otpauthUrl: url, qrSvg };
    }
  }
  return { enabled: user.totpEnabledAt !== null, enabledAt: user.totpEnabledAt, recoveryCodesLeft, pending };
}

/** Starts enrolment: a new secret, kept sealed and inactive until confirmed with a code. */
export async function startTwoFactorEnrolment(userId: string, meta: RequestMeta): Promise<void> {
  await db.$transaction(async (tx) => {
    const user = await tx.user.findUniqueOrThrow({ where: { id: userId }, select: { id: true, email: true, totpEnabledAt: true } });
    if (user.totpEnabledAt) throw new AppError("errors.twoFactorAlreadyOn");
    await tx.user.update({ where: { id: userId }, data: { totpSecret: sealState(userId, { secret: generateTotpSecret(), lastStep: -1 }) } });
    await recordUserEvent(tx, userActor(user, meta), userId, { action: "user.two_factor_enrolment_started" });
  });
}

/** Abandons an unconfirmed enrolment. */
export async function cancelTwoFactorEnrolment(userId: string, meta: RequestMeta): Promise<void> {
  await db.$transaction(async (tx) => {
    const user = await tx.user.findUniqueOrThrow({ where: { id: userId }, select: { id: true, email: true } });
    const cleared = await tx.user.updateMany({ where: { id: userId, totpEnabledAt: null, totpSecret: { not: null } }, data: { totpSecret: null } });
    if (cleared.count === 1) await recordUserEvent(tx, userActor(user, meta), userId, { action: "user.two_factor_enrolment_cancelled" });
  });
}

/**
 * Confirms enrolment with a code from the app: turns two-factor authentication on, replaces the
 * recovery codes (returned once, stored hashed) and counts the current session as two-factor.
 */
export async function confirmTwoFactorEnrolment(userId: string, sessionId: string | undefined, raw: unknown, meta: RequestMeta): Promise<{ recoveryCodes: string[] }> {
  const { code } = parseInput(z.object({ code: totpCodeField }), raw);
  const user = await db.user.findUniqueOrThrow({ where: { id: userId }, select: { id: true, email: true, totpSecret: true, totpEnabledAt: true } });
  if (user.totpEnabledAt) throw new AppError("errors.twoFactorAlreadyOn");
  const state = openState(userId, user.totpSecret);
  if (!state) throw new AppError("errors.twoFactorNotStarted");
  const now = new Date();
  const step = matchTotp(state.secret, code, now, state.lastStep);
  if (step === null) throw new AppError("errors.codeInvalid", { code: "errors.codeInvalid" });
  const recoveryCodes = newRecoveryCodes();
  await db.$transaction(async (tx) => {
    const enabled = await tx.user.updateMany({
      where: { id: userId, totpEnabledAt: null, totpSecret: user.totpSecret },
      data: { totpEnabledAt: now, totpSecret: sealState(userId, { secret: state.secret, lastStep: step }) },
    });
    if (enabled.count !== 1) throw new AppError("errors.codeInvalid", { code: "errors.codeInvalid" });
    await replaceRecoveryCodes(tx, userId, recoveryCodes);
    if (sessionId) {
      await tx.userSession.updateMany({ where: { id: sessionId, userId, method: "password", revokedAt: null }, data: { method: "password+totp" } });
    }
    await recordUserEvent(tx, userActor(user, meta), userId, { action: "user.two_factor_enabled", orgChains: true });
  });
  return { recoveryCodes };
}

const disableSchema = z.object({ password: existingPasswordField, code: anyCodeField });

/** Turns two-factor authentication off after the password and a current code (or recovery code). */
export async function disableTwoFactor(userId: string, raw: unknown, meta: RequestMeta): Promise<void> {
  const input = parseInput(disableSchema, raw);
  const user = await db.user.findUniqueOrThrow({ where: { id: userId }, select: { id: true, email: true, totpEnabledAt: true, passwordHash: true } });
  if (!user.totpEnabledAt) throw new AppError("errors.twoFactorNotOn");
  const requiring = await db.membership.findFirst({ where: { userId, org: { requireTotp: true } }, select: { org: { select: { name: true } } }, orderBy: { createdAt: "asc" } });
  if (requiring) throw new AppError("errors.twoFactorRequiredByOrg", undefined, { org: requiring.org.name });
  await assertNotThrottled(user.email, meta);
  if (!(await verifyPassword(user.passwordHash, input.password))) {
    await recordSignInAttempt(user.email, meta.ip, false);
    throw new AppError("errors.wrongPassword", { password: "errors.wrongPassword" });
  }
  if (!(await verifySecondFactor(userId, input.code, { allowRecovery: true }))) {
    await recordSignInAttempt(user.email, meta.ip, false);
    throw new AppError("errors.codeInvalid", { code: "errors.codeInvalid" });
  }
  await db.$transaction(async (tx) => {
    await tx.user.update({ where: { id: userId }, data: { totpSecret: null, totpEnabledAt: null } });
    await tx.recoveryCode.deleteMany({ where: { userId } });
    await recordUserEvent(tx, userActor(user, meta), userId, { action: "user.two_factor_disabled", orgChains: true });
  });
}

/** Replaces all recovery codes after a current code from the app; returns the new ones once. */
export async function regenerateRecoveryCodes(userId: string, raw: unknown, meta: RequestMeta): Promise<{ recoveryCodes: string[] }> {
  const { code } = parseInput(z.object({ code: totpCodeField }), raw);
  const user = await db.user.findUniqueOrThrow({ where: { id: userId }, select: { id: true, email: true, totpEnabledAt: true } });
  if (!user.totpEnabledAt) throw new AppError("errors.twoFactorNotOn");
  await assertNotThrottled(user.email, meta);
  if (!(await verifySecondFactor(userId, code, { allowRecovery: false }))) {
    await recordSignInAttempt(user.email, meta.ip, false);
    throw new AppError("errors.codeInvalid", { code: "errors.codeInvalid" });
  }
  const recoveryCodes = newRecoveryCodes();
  await db.$transaction(async (tx) => {
    await replaceRecoveryCodes(tx, userId, recoveryCodes);
    await recordUserEvent(tx, userActor(user, meta), userId, { action: "user.recovery_codes_regenerated" });
  });
  return { recoveryCodes };
}

async function replaceRecoveryCodes(tx: Tx, userId: string, codes: string[]): Promise<void> {
  await tx.recoveryCode.deleteMany({ where: { userId } });
  await tx.recoveryCode.createMany({ data: codes.map((code) => ({ userId, codeHash: hashRecoveryCode(code)! })) });
}

async function assertNotThrottled(email: string, meta: Pick<RequestMeta, "ip">): Promise<void> {
  if (await isSignInThrottled(email, meta.ip)) throw new AppError("errors.rateLimited");
}
