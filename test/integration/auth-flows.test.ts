// Sign-in flows driven through Auth.js itself (its request handler, as the browser would call it):
// the two-step password sign-in of a two-factor user, and OpenID Connect against a fake provider on
// loopback (discovery, JWKS, authorize, token with an RS256 ID token, userinfo), which signs in only
// existing, verified users (by verified e-mail, then by the linked subject) and creates nobody.
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";

vi.hoisted(() => {
  process.env.AUTH_SECRET ??= "integration-test-auth-secret-0123456789";
});
// next-auth's entry imports next/server the way only Next's bundler resolves; the parts the
// configuration uses come from @auth/core, which next-auth re-exports unchanged.
vi.mock("next-auth", async () => ({ CredentialsSignin: (await import("@auth/core/errors")).CredentialsSignin }));
vi.mock("next-auth/providers/credentials", async () => import("@auth/core/providers/credentials"));

import { Auth } from "@auth/core";
import { db } from "@/server/db";
import { authConfig } from "@/server/auth/config";
import { matchOidcUser } from "@/server/auth/oidc";
import { confirmTwoFactorEnrolment, getTwoFactorStatus, startTwoFactorEnrolment } from "@/server/auth/two-factor";
import { sealChallenge } from "@/server/auth/sign-in-challenge";
import { totp } from "@/server/auth/totp";
import { createUser, meta, PASSWORD } from "../fixtures";
import { startFakeOidcProvider, type FakeOidcProvider } from "../fake-oidc-provider";
import { clearAccessCaches } from "@/server/cache/ttl";

const ORIGIN = "http://localhost:3000";
let idp: FakeOidcProvider;
let config: ReturnType<typeof authConfig>;

beforeAll(async () => {
  idp = await startFakeOidcProvider();
  config = {
    ...authConfig({ OIDC_ISSUER: idp.issuer, OIDC_CLIENT_ID: idp.clientId, OIDC_CLIENT_SECRET: idp.clientSecret, OIDC_NAME: "Test ID" }),
    secret: "oidc-flow-test-secret-0123456789abcdef",
    basePath: "/api/auth",
  };
});
afterAll(async () => idp?.close());

/** A tiny cookie jar for one browser. */
class Browser {
  private jar = new Map<string, string>();
  take(response: Response) {
    for (const line of response.headers.getSetCookie()) {
      const [pair] = line.split(";");
      const index = pair!.indexOf("=");
      const name = pair!.slice(0, index);
      const value = pair!.slice(index + 1);
      if (/max-age=0|expires=thu, 01 jan 1970/i.test(line) || value === "") this.jar.delete(name);
      else this.jar.set(name, value);
    }
    return response;
  }
  get cookie() {
    return [...this.jar].map(([k, v]) => `${k}=${v}`).join("; ");
  }
  async auth(path: string, init: RequestInit = {}) {
    const headers = new Headers(init.headers);
    if (this.jar.size) headers.set("cookie", this.cookie);
    return this.take(await Auth(new Request(`${ORIGIN}${path}`, { ...init, headers }), config));
  }
}

/** Runs the whole browser flow: sign-in POST, the provider's authorize redirect, the callback; returns where it ended and the session. */
async function signInWithProvider(browser = new Browser()) {
  const { csrfToken } = (await (await browser.auth("/api/auth/csrf")).json()) as { csrfToken: string };
  const start = await browser.auth("/api/auth/signin/oidc", {
    method: "POST",
    headers: { "content-type": "application/x-www-form-urlencoded" },
    body: new URLSearchParams({ csrfToken, callbackUrl: `${ORIGIN}/orgs` }),
  });
  expect(start.status).toBe(302);
  const authorize = new URL(start.headers.get("location")!);
  expect(authorize.origin + authorize.pathname).toBe(`${idp.issuer}/protocol/openid-connect/auth`);
  expect(authorize.searchParams.get("code_challenge_method")).toBe("S256");
  expect(authorize.searchParams.get("nonce")).toBeTruthy();
  const atProvider = await fetch(authorize, { redirect: "manual" });
  expect(atProvider.status).toBe(302);
  const callback = new URL(atProvider.headers.get("location")!);
  const done = await browser.auth(`${callback.pathname}${callback.search}`);
  const session = (await (await browser.auth("/api/auth/session")).json()) as null | { user?: { id: string; email: string }; sessionId?: string; authMethod?: string };
  return { location: done.headers.get("location") ?? "", session, browser };
}

describe("matching the provider's claims to portal users", () => {
  it("matches a verified e-mail (then the subject), never an unverified one or an unknown person", async () => {
    const user = await createUser("match");
    expect(await matchOidcUser({ sub: "s-1", email: user.email.toUpperCase(), email_verified: true })).toMatchObject({ ok: true, link: true, user: { id: user.id } });
    expect(await matchOidcUser({ sub: "s-1", email: user.email, email_verified: false })).toEqual({ ok: false, reason: "unknown" });
    expect(await matchOidcUser({ sub: "s-1", email: user.email })).toEqual({ ok: false, reason: "unknown" });
    expect(await matchOidcUser({ sub: "s-2", email: "nobody@example.no", email_verified: true })).toEqual({ ok: false, reason: "unknown" });
    expect(await matchOidcUser({ email: user.email, email_verified: true })).toEqual({ ok: false, reason: "unknown" });
    expect(await matchOidcUser(undefined)).toEqual({ ok: false, reason: "unknown" });

    await db.user.update({ where: { id: user.id }, data: { oidcSubject: "s-linked" } });
    // Once linked: the subject decides, whatever the e-mail says now.
    expect(await matchOidcUser({ sub: "s-linked", email: "renamed@example.no", email_verified: false })).toMatchObject({ ok: true, link: false, user: { id: user.id } });
    expect(await matchOidcUser({ sub: "s-other", email: user.email, email_verified: true })).toEqual({ ok: false, reason: "linked_elsewhere" });
  });

  it("refuses accounts whose portal e-mail address is not verified yet", async () => {
    const user = await createUser("unverified-oidc");
    await db.user.update({ where: { id: user.id }, data: { emailVerifiedAt: null } });
    expect(await matchOidcUser({ sub: "s-u", email: user.email, email_verified: true })).toEqual({ ok: false, reason: "unknown" });
  });
});

describe("the sign-in flow through Auth.js and the fake provider", () => {
  it("signs in an existing user by verified e-mail, links the subject and records an 'oidc' session", async () => {
    const user = await createUser("flow");
    idp.signInAs({ sub: "idp-user-1", email: user.email, email_verified: true, name: "Flow User" });
    const { location, session } = await signInWithProvider();
    expect(location).toBe(`${ORIGIN}/orgs`);
    expect(session).toMatchObject({ user: { id: user.id, email: user.email }, authMethod: "oidc" });
    const row = await db.userSession.findUniqueOrThrow({ where: { id: session!.sessionId! } });
    expect(row).toMatchObject({ userId: user.id, method: "oidc", revokedAt: null });
    expect((await db.user.findUniqueOrThrow({ where: { id: user.id } })).oidcSubject).toBe("idp-user-1");
    expect(await db.auditEvent.count({ where: { orgId: null, action: "user.oidc_linked", targetId: user.id } })).toBe(1);
    expect(idp.requests.map((r) => r.path)).toEqual(expect.arrayContaining([expect.stringMatching(/\/token$/), expect.stringMatching(/openid-configuration$/)]));

    // Next time the subject alone is enough, even if the provider stopped sending the e-mail.
    idp.signInAs({ sub: "idp-user-1" });
    const again = await signInWithProvider();
    expect(again.session).toMatchObject({ user: { id: user.id }, authMethod: "oidc" });

    // Revoking that session ends it at the next request.
    await db.userSession.update({ where: { id: again.session!.sessionId! }, data: { revokedAt: new Date() } });
    // Revoked behind this process's back (as another replica would): its short-lived session cache expires; here we clear it.
    clearAccessCaches();
    expect(await (await again.browser.auth("/api/auth/session")).json()).toBeNull();
  });

  it("refuses an unknown person with a clear reason, creating nobody and no session", async () => {
    const users = await db.user.count();
    const sessions = await db.userSession.count();
    idp.signInAs({ sub: "stranger", email: `stranger-${Date.now()}@example.no`, email_verified: true, name: "Stranger" });
    const { location, session } = await signInWithProvider();
    expect(location).toBe(`${ORIGIN}/sign-in?oidcError=unknown`);
    expect(session).toBeNull();
    expect(await db.user.count()).toBe(users);
    expect(await db.userSession.count()).toBe(sessions);
    expect(await db.auditEvent.count({ where: { orgId: null, action: "user.oidc_refused", outcome: "DENIED" } })).toBeGreaterThan(0);
  });

  it("refuses an e-mail the provider has not verified", async () => {
    const user = await createUser("idp-unverified");
    idp.signInAs({ sub: "idp-user-2", email: user.email, email_verified: false });
    const { location, session } = await signInWithProvider();
    expect(location).toBe(`${ORIGIN}/sign-in?oidcError=unknown`);
    expect(session).toBeNull();
    expect((await db.user.findUniqueOrThrow({ where: { id: user.id } })).oidcSubject).toBeNull();
  });
});

describe("the two-step password sign-in through Auth.js", () => {
  async function post(browser: Browser, fields: Record<string, string>) {
    const { csrfToken } = (await (await browser.auth("/api/auth/csrf")).json()) as { csrfToken: string };
    return browser.auth("/api/auth/callback/credentials", {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded" },
      body: new URLSearchParams({ csrfToken, callbackUrl: `${ORIGIN}/orgs`, ...fields }),
    });
  }
  const sessionOf = async (browser: Browser) => (await (await browser.auth("/api/auth/session")).json()) as null | { user: { id: string }; authMethod?: string; sessionId?: string };

  it("gives no session for the right password alone, and a two-factor session after the code", async () => {
    const user = await createUser("two-step");
    await startTwoFactorEnrolment(user.id, meta);
    const secret = (await getTwoFactorStatus(user.id)).pending!.secret;
    await confirmTwoFactorEnrolment(user.id, undefined, { code: totp(secret, Date.now() - 30_000) }, meta);

    const browser = new Browser();
    const first = await post(browser, { email: user.email, password: PASSWORD });
    expect(first.headers.get("location")).toContain("code=totp_required");
    expect(await sessionOf(browser)).toBeNull();
    expect(await db.userSession.count({ where: { userId: user.id } })).toBe(0);

    const challenge = sealChallenge(await db.user.findUniqueOrThrow({ where: { id: user.id } }));
    const wrong = await post(browser, { challenge, code: "000000" === totp(secret) ? "111111" : "000000" });
    expect(wrong.headers.get("location")).toContain("code=invalid_code");
    expect(await sessionOf(browser)).toBeNull();

    const second = await post(browser, { challenge, code: totp(secret) });
    expect(second.headers.get("location")).toBe(`${ORIGIN}/orgs`);
    const session = await sessionOf(browser);
    expect(session).toMatchObject({ user: { id: user.id }, authMethod: "password+totp" });
    expect(await db.userSession.findUniqueOrThrow({ where: { id: session!.sessionId! } })).toMatchObject({ method: "password+totp", userId: user.id });

    // Signing out ends the recorded session.
    const { csrfToken } = (await (await browser.auth("/api/auth/csrf")).json()) as { csrfToken: string };
    await browser.auth("/api/auth/signout", { method: "POST", headers: { "content-type": "application/x-www-form-urlencoded" }, body: new URLSearchParams({ csrfToken }) });
    expect((await db.userSession.findUniqueOrThrow({ where: { id: session!.sessionId! } })).revokedAt).not.toBeNull();
  });
});
