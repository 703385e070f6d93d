import { describe, expect, it } from "vitest";
import { db } from "@/server/db";
import { checkCredentials } from "@/server/auth/credentials";
import { changePassword, requestPasswordReset, resetPassword, signOutEverywhere } from "@/server/auth/account";
import { MAX_FAILURES_PER_ACCOUNT, MAX_FAILURES_PER_IP } from "@/server/auth/rate-limit";
import { AppError } from "@/server/errors";
import { createUser, meta, PASSWORD } from "../fixtures";

const from = (ip: string) => ({ ip, userAgent: "vitest" });

async function resetLinkFor(email: string) {
  const mail = await db.outboxEmail.findFirstOrThrow({ where: { to: email, subject: { contains: "password" } }, orderBy: { createdAt: "desc" } });
  return /token=([A-Za-z0-9_-]+)/.exec(mail.text)![1]!;
}

describe("sign-in", () => {
  it("accepts the right password and answers the same for a wrong password and an unknown account", async () => {
    const user = await createUser("signin");
    expect(await checkCredentials({ email: user.email, password: PASSWORD }, from("203.0.113.1"))).toMatchObject({ ok: true, user: { id: user.id } });
    const wrong = await checkCredentials({ email: user.email, password: "wrong password!" }, from("203.0.113.1"));
    const unknown = await checkCredentials({ email: "nobody@example.no", password: "wrong password!" }, from("203.0.113.1"));
    expect(wrong).toEqual({ ok: false, reason: "invalid" });
    expect(unknown).toEqual(wrong);
  });

  it("says 'unverified' only to someone who knows the password", async () => {
    const user = await createUser("unverified");
    await db.user.update({ where: { id: user.id }, data: { emailVerifiedAt: null } });
    expect(await checkCredentials({ email: user.email, password: "not it at all" }, from("203.0.113.2"))).toEqual({ ok: false, reason: "invalid" });
    expect(await checkCredentials({ email: user.email, password: PASSWORD }, from("203.0.113.2"))).toEqual({ ok: false, reason: "unverified" });
  });

  it("throttles an account after repeated failures, even with the right password, from any IP", async () => {
    const user = await createUser("throttle");
    for (let i = 0; i < MAX_FAILURES_PER_ACCOUNT; i++) {
      expect(await checkCredentials({ email: user.email, password: `bad-${i}` }, from(`198.18.0.${i}`))).toMatchObject({ reason: "invalid" });
    }
    expect(await checkCredentials({ email: user.email, password: PASSWORD }, from("198.18.1.1"))).toEqual({ ok: false, reason: "rate_limited" });
    // Unknown accounts are throttled the same way, so the limit reveals nothing either.
    for (let i = 0; i < MAX_FAILURES_PER_ACCOUNT; i++) await checkCredentials({ email: "ghost@example.no", password: "x" }, from(`198.18.2.${i}`));
    expect(await checkCredentials({ email: "ghost@example.no", password: "x" }, from("198.18.3.1"))).toEqual({ ok: false, reason: "rate_limited" });
  });

  it("throttles an IP address that tries many accounts", async () => {
    const user = await createUser("ipvictim");
    for (let i = 0; i < MAX_FAILURES_PER_IP; i++) await checkCredentials({ email: `spray-${i}@example.no`, password: "x" }, from("192.0.2.99"));
    expect(await checkCredentials({ email: user.email, password: PASSWORD }, from("192.0.2.99"))).toEqual({ ok: false, reason: "rate_limited" });
    expect(await checkCredentials({ email: user.email, password: PASSWORD }, from("192.0.2.100"))).toMatchObject({ ok: true });
  });
});

describe("password reset and session revocation", () => {
  it("resets once with a link that expires, and ends old sessions", async () => {
    const user = await createUser("reset");
    await requestPasswordReset({ email: user.email.toUpperCase() }, meta);
    const token = await resetLinkFor(user.email);
    await resetPassword({ token, password: "a brand new password", confirm: "a brand new password" }, meta);
    const after = await db.user.findUniqueOrThrow({ where: { id: user.id } });
    expect(after.sessionVersion).toBe(user.sessionVersion + 1);
    expect(await checkCredentials({ email: user.email, password: "a brand new password" }, from("203.0.113.9"))).toMatchObject({ ok: true });
    const reuse = await resetPassword({ token, password: "another new password", confirm: "another new password" }, meta).catch((e: AppError) => e.code);
    expect(reuse).toBe("errors.tokenInvalid");

    await requestPasswordReset({ email: user.email }, meta);
    const expiring = await resetLinkFor(user.email);
    await db.emailToken.updateMany({ where: { userId: user.id, usedAt: null }, data: { expiresAt: new Date(Date.now() - 1) } });
    const expired = await resetPassword({ token: expiring, password: "another new password", confirm: "another new password" }, meta).catch((e: AppError) => e.code);
    expect(expired).toBe("errors.tokenInvalid");
  });

  it("does nothing visible for unknown addresses", async () => {
    const before = await db.outboxEmail.count();
    await expect(requestPasswordReset({ email: "nobody-here@example.no" }, meta)).resolves.toBeUndefined();
    expect(await db.outboxEmail.count()).toBe(before);
  });

  it("changing the password needs the current one and bumps the session version", async () => {
    const user = await createUser("change");
    const wrong = await changePassword(user.id, { currentPassword: "nope", password: "new password 123", confirm: "new password 123" }, meta).catch((e: AppError) => e.fieldErrors);
    expect(wrong).toEqual({ currentPassword: "errors.wrongPassword" });
    await changePassword(user.id, { currentPassword: PASSWORD, password: "new password 123", confirm: "new password 123" }, meta);
    expect((await db.user.findUniqueOrThrow({ where: { id: user.id } })).sessionVersion).toBe(user.sessionVersion + 1);
    await signOutEverywhere(user.id, meta);
    expect((await db.user.findUniqueOrThrow({ where: { id: user.id } })).sessionVersion).toBe(user.sessionVersion + 2);
  });
});
