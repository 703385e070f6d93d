// Sign-in sessions against a real database: each sign-in is a row, checked on every request;
// signing out one session ends that one only; "sign out everywhere" and password changes end all.
import { describe, expect, it, vi } from "vitest";

vi.hoisted(() => {
  process.env.AUTH_SECRET ??= "integration-test-auth-secret-0123456789";
});

import { db } from "@/server/db";
import { AppError } from "@/server/errors";
import { activeSession, createUserSession, endSession, listActiveSessions, revokeOtherSessions, revokeSession, SESSION_TOUCH_MS } from "@/server/auth/sessions";
import { changePassword, signOutEverywhere } from "@/server/auth/account";
import { createOrg, createUser, meta, PASSWORD } from "../fixtures";

const FIREFOX = "Mozilla/5.0 (X11; Ubuntu; Linux x86_64; rv:133.0) Gecko/20100101 Firefox/133.0";
const SAFARI = "Mozilla/5.0 (iPhone; CPU iPhone OS 18_1 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/18.1 Mobile/15E148 Safari/604.1";

async function twoSessions(label: string) {
  const user = await createUser(label);
  const laptop = await createUserSession(user, "password", { ip: "203.0.113.50", userAgent: FIREFOX }, 3600);
  const phone = await createUserSession(user, "password+totp", { ip: "198.51.100.60", userAgent: SAFARI }, 3600);
  return { user, laptop, phone };
}

describe("sessions", () => {
  it("records each sign-in with method, IP and browser, and audits it on the platform chain and the user's organisations", async () => {
    const { org } = await createOrg(["OWNER"]);
    const { user, laptop, phone } = await twoSessions("list");
    await db.membership.create({ data: { orgId: org.id, userId: user.id, role: "VIEWER" } });
    const list = await listActiveSessions(user.id, phone);
    expect(list.map((s) => [s.id, s.current, s.method, s.ip, s.device])).toEqual(
      expect.arrayContaining([
        [laptop, false, "password", "203.0.113.50", { browser: "Firefox", os: "Linux" }],
        [phone, true, "password+totp", "198.51.100.60", { browser: "Safari", os: "iOS" }],
      ]),
    );
    const platform = await db.auditEvent.findMany({ where: { orgId: null, action: "user.signed_in", targetId: user.id } });
    expect(platform.map((e) => e.details)).toEqual(expect.arrayContaining([{ method: "password", sessionId: laptop }, { method: "password+totp", sessionId: phone }]));
    await createUserSession(user, "password", { ip: "203.0.113.51", userAgent: FIREFOX }, 3600);
    expect(await db.auditEvent.count({ where: { orgId: org.id, action: "user.signed_in", targetId: user.id } })).toBe(1);
  });

  it("is checked on every request, and marked seen at most once a minute", async () => {
    const { user, laptop } = await twoSessions("touch");
    const row = await db.userSession.findUniqueOrThrow({ where: { id: laptop } });
    expect(await activeSession(laptop, user.id, user.sessionVersion, new Date(row.lastSeenAt.getTime() + 5_000))).toMatchObject({ method: "password", email: user.email });
    expect((await db.userSession.findUniqueOrThrow({ where: { id: laptop } })).lastSeenAt).toEqual(row.lastSeenAt);
    const later = new Date(row.lastSeenAt.getTime() + SESSION_TOUCH_MS + 1_000);
    await activeSession(laptop, user.id, user.sessionVersion, later);
    expect((await db.userSession.findUniqueOrThrow({ where: { id: laptop } })).lastSeenAt).toEqual(later);
    // Another user's token cannot borrow the session, and an expired one is over.
    const other = await createUser("borrower");
    expect(await activeSession(laptop, other.id, other.sessionVersion)).toBeNull();
    expect(await activeSession(laptop, user.id, user.sessionVersion, new Date(row.expiresAt.getTime() + 1))).toBeNull();
  });

  it("signing out one session ends that session only, and is audited", async () => {
    const { user, laptop, phone } = await twoSessions("revoke-one");
    await revokeSession(user.id, { sessionId: laptop }, meta);
    expect(await activeSession(laptop, user.id, user.sessionVersion)).toBeNull();
    expect(await activeSession(phone, user.id, user.sessionVersion)).not.toBeNull();
    expect((await listActiveSessions(user.id, phone)).map((s) => s.id)).toEqual([phone]);
    const event = await db.auditEvent.findFirstOrThrow({ where: { orgId: null, action: "session.revoked", targetId: user.id } });
    expect(event).toMatchObject({ actorId: user.id, details: { sessionId: laptop } });
    // Again, or someone else's session: not found, nothing changes.
    const code = await revokeSession(user.id, { sessionId: laptop }, meta).catch((e: AppError) => e.code);
    expect(code).toBe("errors.notFound");
    const stranger = await twoSessions("stranger");
    expect(await revokeSession(user.id, { sessionId: stranger.laptop }, meta).catch((e: AppError) => e.code)).toBe("errors.notFound");
    expect(await activeSession(stranger.laptop, stranger.user.id, stranger.user.sessionVersion)).not.toBeNull();
  });

  it("signing out all other sessions keeps this one", async () => {
    const { user, laptop, phone } = await twoSessions("revoke-others");
    const third = await createUserSession(user, "oidc", { ip: "192.0.2.7", userAgent: "curl/8" }, 3600);
    expect(await revokeOtherSessions(user.id, phone, meta)).toBe(2);
    expect(await activeSession(phone, user.id, user.sessionVersion)).not.toBeNull();
    for (const id of [laptop, third]) expect(await activeSession(id, user.id, user.sessionVersion)).toBeNull();
    expect(await db.auditEvent.count({ where: { orgId: null, action: "session.revoked_others", targetId: user.id } })).toBe(1);
  });

  it("signing out of the browser ends its session", async () => {
    const { user, laptop, phone } = await twoSessions("sign-out");
    await endSession(laptop, user.id, { ip: "203.0.113.50", userAgent: FIREFOX });
    expect(await activeSession(laptop, user.id, user.sessionVersion)).toBeNull();
    expect(await activeSession(phone, user.id, user.sessionVersion)).not.toBeNull();
  });

  it("signing out everywhere and changing the password end every session", async () => {
    const a = await twoSessions("everywhere");
    await signOutEverywhere(a.user.id, meta);
    expect(await listActiveSessions(a.user.id, undefined)).toEqual([]);
    const fresh = await db.user.findUniqueOrThrow({ where: { id: a.user.id } });
    expect(await activeSession(a.phone, a.user.id, fresh.sessionVersion)).toBeNull();

    const b = await twoSessions("password-change");
    await changePassword(b.user.id, { currentPassword: PASSWORD, password: "a new password 2026", confirm: "a new password 2026" }, meta);
    expect(await listActiveSessions(b.user.id, undefined)).toEqual([]);
  });

  it("a token from before a session-version bump is refused, and its row marked revoked", async () => {
    const { user, laptop } = await twoSessions("version");
    await db.user.update({ where: { id: user.id }, data: { sessionVersion: { increment: 1 } } });
    expect(await activeSession(laptop, user.id, user.sessionVersion)).toBeNull();
    expect((await db.userSession.findUniqueOrThrow({ where: { id: laptop } })).revokedAt).not.toBeNull();
  });
});
