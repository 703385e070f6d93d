// Two-factor authentication against a real database: enrolment, the code step of signing in (wrong,
// replayed and recovery codes), turning it off, and an organisation's requirement enforced in
// server actions (define.ts) and route handlers (memberForRoute).
import { beforeEach, describe, expect, it, vi } from "vitest";

const session = vi.hoisted(() => {
  process.env.AUTH_SECRET ??= "integration-test-auth-secret-0123456789";
  return { current: null as null | { userId: string; email: string; name: string; sessionId?: string } };
});
vi.mock("@/server/auth/session", () => ({ getSessionUser: async () => session.current }));

import { db } from "@/server/db";
import { AppError } from "@/server/errors";
import { checkCredentials, checkSecondStep } from "@/server/auth/credentials";
import { sealChallenge } from "@/server/auth/sign-in-challenge";
import {
  cancelTwoFactorEnrolment,
  confirmTwoFactorEnrolment,
  disableTwoFactor,
  getTwoFactorStatus,
  regenerateRecoveryCodes,
  startTwoFactorEnrolment,
} from "@/server/auth/two-factor";
import { createUserSession } from "@/server/auth/sessions";
import { MAX_FAILURES_PER_ACCOUNT } from "@/server/auth/rate-limit";
import { totp } from "@/server/auth/totp";
import { updateOrganisation } from "@/server/orgs/operations";
import { setTwoFactorRequirement } from "@/server/orgs/two-factor";
import { memberForRoute } from "@/server/route-auth";
import { callerFor, createOrg, createUser, meta, PASSWORD } from "../fixtures";

const from = (ip: string) => ({ ip, userAgent: "vitest" });
const STEP_MS = 30_000;
/** The code of the step `offset` steps from now (the verifier accepts ±1). */
const codeAt = (secret: string, offset = 0) => totp(secret, Date.now() + offset * STEP_MS);
const errorOf = (promise: Promise<unknown>) => promise.then(() => null, (e: AppError) => ({ code: e.code, fieldErrors: e.fieldErrors, params: e.params }));

/** A verified user with two-factor on; returns the secret and the recovery codes shown at enrolment. */
async function enrolledUser(label: string) {
  const user = await createUser(label);
  await startTwoFactorEnrolment(user.id, meta);
  const secret = (await getTwoFactorStatus(user.id)).pending!.secret;
  const { recoveryCodes } = await confirmTwoFactorEnrolment(user.id, undefined, { code: codeAt(secret, -1) }, meta);
  return { user, secret, recoveryCodes };
}

async function challengeFor(userId: string) {
  const user = await db.user.findUniqueOrThrow({ where: { id: userId }, select: { id: true, sessionVersion: true } });
  return sealChallenge(user);
}

describe("enrolment", () => {
  it("starts with a sealed secret, confirms with a code, and shows ten recovery codes stored only as hashes", async () => {
    const user = await createUser("enrol");
    const sessionId = await createUserSession(user, "password", from("203.0.113.10"), 3600);
    expect((await getTwoFactorStatus(user.id)).pending).toBeNull();

    await startTwoFactorEnrolment(user.id, meta);
    const status = await getTwoFactorStatus(user.id);
    expect(status.enabled).toBe(false);
    const secret = status.pending!.secret;
    expect(secret).toMatch(/^[A-Z2-7]{32}$/);
    expect(status.pending!.otpauthUrl).toContain("otpauth://totp/Nordlys%20AI%20Cloud:");
    expect(status.pending!.otpauthUrl).toContain(`secret=${secret}`);
    expect(status.pending!.qrSvg).toMatch(/^<svg[\s\S]*<\/svg>\s*$/);
    // Stored encrypted, never as the secret itself.
    const stored = await db.user.findUniqueOrThrow({ where: { id: user.id }, select: { totpSecret: true, totpEnabledAt: true } });
    expect(stored.totpSecret).toMatch(/^v1\./);
    expect(stored.totpSecret).not.toContain(secret);
    expect(stored.totpEnabledAt).toBeNull();

    expect(await errorOf(confirmTwoFactorEnrolment(user.id, sessionId, { code: "12345" }, meta))).toMatchObject({ code: "errors.validation", fieldErrors: { code: "errors.codeFormat" } });
    const wrong = String((Number(codeAt(secret)) + 1) % 1_000_000).padStart(6, "0");
    expect(await errorOf(confirmTwoFactorEnrolment(user.id, sessionId, { code: wrong }, meta))).toMatchObject({ code: "errors.codeInvalid" });

    const { recoveryCodes } = await confirmTwoFactorEnrolment(user.id, sessionId, { code: codeAt(secret) }, meta);
    expect(recoveryCodes).toHaveLength(10);
    const after = await getTwoFactorStatus(user.id);
    expect(after).toMatchObject({ enabled: true, pending: null, recoveryCodesLeft: 10 });
    const hashes = await db.recoveryCode.findMany({ where: { userId: user.id }, select: { codeHash: true } });
    expect(hashes).toHaveLength(10);
    for (const { codeHash } of hashes) for (const code of recoveryCodes) expect(codeHash).not.toContain(code.replace("-", ""));
    // The session that proved the code now counts as two-factor.
    expect(await db.userSession.findUniqueOrThrow({ where: { id: sessionId } })).toMatchObject({ method: "password+totp" });
    const events = await db.auditEvent.findMany({ where: { orgId: null, targetId: user.id }, orderBy: { id: "asc" }, select: { action: true } });
    expect(events.map((e) => e.action)).toEqual(expect.arrayContaining(["user.two_factor_enrolment_started", "user.two_factor_enabled"]));

    expect(await errorOf(startTwoFactorEnrolment(user.id, meta))).toMatchObject({ code: "errors.twoFactorAlreadyOn" });
  });

  it("can be cancelled before it is confirmed", async () => {
    const user = await createUser("cancel");
    await startTwoFactorEnrolment(user.id, meta);
    await cancelTwoFactorEnrolment(user.id, meta);
    expect(await getTwoFactorStatus(user.id)).toMatchObject({ enabled: false, pending: null });
    expect(await errorOf(confirmTwoFactorEnrolment(user.id, undefined, { code: "123456" }, meta))).toMatchObject({ code: "errors.twoFactorNotStarted" });
  });
});

describe("signing in with two-factor authentication", () => {
  it("asks for a code after the right password, and creates no session before it", async () => {
    const { user } = await enrolledUser("needs-code");
    expect(await checkCredentials({ email: user.email, password: PASSWORD }, from("203.0.113.20"))).toEqual({ ok: false, reason: "totp_required" });
    // A wrong password still gets the neutral answer, not a hint that a code is needed.
    expect(await checkCredentials({ email: user.email, password: "wrong password!" }, from("203.0.113.20"))).toEqual({ ok: false, reason: "invalid" });
    expect(await db.userSession.count({ where: { userId: user.id } })).toBe(0);
  });

  it("accepts a current code once: wrong and replayed codes are refused", async () => {
    const { user, secret } = await enrolledUser("replay");
    const challenge = await challengeFor(user.id);
    const next = codeAt(secret, 1); // a step after the one used at enrolment
    const wrong = String((Number(next) + 7) % 1_000_000).padStart(6, "0");
    expect(await checkSecondStep({ challenge, code: wrong }, from("203.0.113.21"))).toEqual({ ok: false, reason: "invalid_code" });
    expect(await checkSecondStep({ challenge, code: next }, from("203.0.113.21"))).toMatchObject({ ok: true, user: { id: user.id, method: "password+totp" } });
    expect(await checkSecondStep({ challenge, code: next }, from("203.0.113.21"))).toEqual({ ok: false, reason: "invalid_code" });
    // An older code than the last accepted one is refused too, even inside the time window.
    expect(await checkSecondStep({ challenge, code: codeAt(secret, 0) }, from("203.0.113.21"))).toEqual({ ok: false, reason: "invalid_code" });
    const failed = await db.auditEvent.count({ where: { orgId: null, targetId: user.id, action: "user.second_factor_failed", outcome: "FAILURE" } });
    expect(failed).toBe(3);
  });

  it("accepts each recovery code once", async () => {
    const { user, recoveryCodes } = await enrolledUser("recovery");
    const challenge = await challengeFor(user.id);
    const code = recoveryCodes[3]!;
    expect(await checkSecondStep({ challenge, code: code.toLowerCase() }, from("203.0.113.22"))).toMatchObject({ ok: true, user: { id: user.id } });
    expect(await checkSecondStep({ challenge, code }, from("203.0.113.22"))).toEqual({ ok: false, reason: "invalid_code" });
    expect(await checkSecondStep({ challenge, code: recoveryCodes[4]! }, from("203.0.113.22"))).toMatchObject({ ok: true });
    expect((await getTwoFactorStatus(user.id)).recoveryCodesLeft).toBe(8);
  });

  it("refuses a forged, expired or outdated challenge", async () => {
    const { user, secret } = await enrolledUser("challenge");
    expect(await checkSecondStep({ challenge: "v1.forged.value.here", code: codeAt(secret, 1) }, from("203.0.113.23"))).toEqual({ ok: false, reason: "expired" });
    const old = sealChallenge({ id: user.id, sessionVersion: 0 }, Date.now() - 10 * 60_000);
    expect(await checkSecondStep({ challenge: old, code: codeAt(secret, 1) }, from("203.0.113.23"))).toEqual({ ok: false, reason: "expired" });
    const before = await challengeFor(user.id);
    await db.user.update({ where: { id: user.id }, data: { sessionVersion: { increment: 1 } } }); // e.g. a password reset
    expect(await checkSecondStep({ challenge: before, code: codeAt(secret, 1) }, from("203.0.113.23"))).toEqual({ ok: false, reason: "expired" });
  });

  it("rate-limits code guessing with the sign-in limiter", async () => {
    const { user, secret } = await enrolledUser("guess");
    const challenge = await challengeFor(user.id);
    for (let i = 0; i < MAX_FAILURES_PER_ACCOUNT; i++) {
      expect(await checkSecondStep({ challenge, code: "000000" === codeAt(secret, 1) ? "111111" : "000000" }, from(`198.19.0.${i}`))).toMatchObject({ ok: false });
    }
    expect(await checkSecondStep({ challenge, code: codeAt(secret, 1) }, from("198.19.1.1"))).toEqual({ ok: false, reason: "rate_limited" });
  });
});

describe("managing two-factor authentication", () => {
  it("turning it off needs the password and a code", async () => {
    const { user, secret } = await enrolledUser("disable");
    expect(await errorOf(disableTwoFactor(user.id, { password: "wrong password", code: codeAt(secret, 1) }, meta))).toMatchObject({ fieldErrors: { password: "errors.wrongPassword" } });
    expect(await errorOf(disableTwoFactor(user.id, { password: PASSWORD, code: "000001" }, meta))).toMatchObject({ fieldErrors: { code: "errors.codeInvalid" } });
    await disableTwoFactor(user.id, { password: PASSWORD, code: codeAt(secret, 1) }, meta);
    expect(await getTwoFactorStatus(user.id)).toMatchObject({ enabled: false, pending: null });
    expect(await db.recoveryCode.count({ where: { userId: user.id } })).toBe(0);
    expect(await checkCredentials({ email: user.email, password: PASSWORD }, from("203.0.113.30"))).toMatchObject({ ok: true, user: { method: "password" } });
  });

  it("cannot be turned off while an organisation of the user requires it", async () => {
    const { user, secret } = await enrolledUser("kept");
    const { org } = await createOrg(["OWNER"]);
    await db.membership.create({ data: { orgId: org.id, userId: user.id, role: "VIEWER" } });
    await db.organization.update({ where: { id: org.id }, data: { requireTotp: true } });
    expect(await errorOf(disableTwoFactor(user.id, { password: PASSWORD, code: codeAt(secret, 1) }, meta))).toMatchObject({ code: "errors.twoFactorRequiredByOrg", params: { org: org.name } });
  });

  it("new recovery codes replace the old ones", async () => {
    const { user, secret, recoveryCodes } = await enrolledUser("regenerate");
    const { recoveryCodes: fresh } = await regenerateRecoveryCodes(user.id, { code: codeAt(secret, 1) }, meta);
    expect(fresh).toHaveLength(10);
    const challenge = await challengeFor(user.id);
    expect(await checkSecondStep({ challenge, code: recoveryCodes[0]! }, from("203.0.113.31"))).toEqual({ ok: false, reason: "invalid_code" });
    expect(await checkSecondStep({ challenge, code: fresh[0]! }, from("203.0.113.31"))).toMatchObject({ ok: true });
  });
});

describe("an organisation that requires two-factor authentication", () => {
  beforeEach(() => {
    session.current = null;
  });

  async function requiringOrg() {
    const fx = await createOrg(["OWNER", "ADMIN"]);
    const owner = await db.user.findUniqueOrThrow({ where: { id: fx.members.OWNER!.userId } });
    const ownerSession = await createUserSession(owner, "password", from("203.0.113.40"), 3600);
    // The owner switches the requirement on (allowed without two-factor: that is what it asks for).
    expect(await setTwoFactorRequirement.run({ ...callerFor(owner.id), sessionId: ownerSession }, { orgId: fx.org.id, requireTotp: "on" })).toMatchObject({ ok: true });
    return fx;
  }

  const renameInput = (orgId: string) => ({ orgId, orgName: "Renamed", sector: "HEALTH", billingStreet: "Gate 2", billingPostalCode: "5003", billingCity: "Bergen", buyerReference: "REF-2" });

  it("refuses server actions of members whose session did not use two-factor, and audits the refusal", async () => {
    const fx = await requiringOrg();
    const adminId = fx.members.ADMIN!.userId;
    const admin = await db.user.findUniqueOrThrow({ where: { id: adminId } });
    const passwordSession = await createUserSession(admin, "password", from("203.0.113.41"), 3600);

    const refused = await updateOrganisation.run({ ...callerFor(adminId), sessionId: passwordSession }, renameInput(fx.org.id));
    expect(refused).toEqual({ ok: false, error: "errors.twoFactorRequired" });
    expect(await updateOrganisation.run(callerFor(adminId), renameInput(fx.org.id))).toEqual({ ok: false, error: "errors.twoFactorRequired" });
    const denied = await db.auditEvent.findFirst({ where: { orgId: fx.org.id, action: "org.update", outcome: "DENIED" }, orderBy: { id: "desc" } });
    expect(denied?.details).toEqual({ reason: "errors.twoFactorRequired" });
    expect((await db.organization.findUniqueOrThrow({ where: { id: fx.org.id } })).name).toBe(fx.org.name);

    // Enrolling upgrades this session; the same action then goes through.
    await startTwoFactorEnrolment(adminId, meta);
    const secret = (await getTwoFactorStatus(adminId)).pending!.secret;
    await confirmTwoFactorEnrolment(adminId, passwordSession, { code: codeAt(secret) }, meta);
    expect(await updateOrganisation.run({ ...callerFor(adminId), sessionId: passwordSession }, renameInput(fx.org.id))).toMatchObject({ ok: true });

    // Another, older password-only session of the same (now enrolled) user is still refused.
    const older = await createUserSession(admin, "password", from("203.0.113.42"), 3600);
    expect(await updateOrganisation.run({ ...callerFor(adminId), sessionId: older }, renameInput(fx.org.id))).toEqual({ ok: false, error: "errors.twoFactorRequired" });
    // An OIDC session counts only when OIDC_MFA=1 (not set here).
    const oidc = await createUserSession(admin, "oidc", from("203.0.113.43"), 3600);
    expect(await updateOrganisation.run({ ...callerFor(adminId), sessionId: oidc }, renameInput(fx.org.id))).toEqual({ ok: false, error: "errors.twoFactorRequired" });
  });

  it("answers route handlers with 403 for such sessions, and lets two-factor sessions through", async () => {
    const fx = await requiringOrg();
    const adminId = fx.members.ADMIN!.userId;
    const admin = await db.user.findUniqueOrThrow({ where: { id: adminId } });
    const passwordSession = await createUserSession(admin, "password", from("203.0.113.44"), 3600);
    session.current = { userId: adminId, email: admin.email, name: admin.name, sessionId: passwordSession };
    const refused = await memberForRoute(fx.org.slug, "audit.view");
    expect("response" in refused && refused.response.status).toBe(403);
    expect("response" in refused && (await refused.response.json())).toEqual({ error: "two_factor_required" });

    await startTwoFactorEnrolment(adminId, meta);
    const secret = (await getTwoFactorStatus(adminId)).pending!.secret;
    await confirmTwoFactorEnrolment(adminId, passwordSession, { code: codeAt(secret) }, meta);
    const allowed = await memberForRoute(fx.org.slug, "audit.view");
    expect("membership" in allowed && allowed.membership.org.id).toBe(fx.org.id);

    // Outsiders still get 404 before any two-factor answer: the organisation stays invisible.
    const outsider = await createUser("outsider");
    session.current = { userId: outsider.id, email: outsider.email, name: outsider.name };
    const hidden = await memberForRoute(fx.org.slug, "audit.view");
    expect("response" in hidden && hidden.response.status).toBe(404);
  });

  it("does not affect organisations without the requirement", async () => {
    const fx = await createOrg(["OWNER", "ADMIN"]);
    const adminId = fx.members.ADMIN!.userId;
    expect(await updateOrganisation.run(callerFor(adminId), renameInput(fx.org.id))).toMatchObject({ ok: true });
  });
});
