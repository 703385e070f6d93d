// The signed-in user for this request, and the request metadata the domain needs.
import "server-only";
import { cache } from "react";
import { headers } from "next/headers";
import { redirect } from "next/navigation";
import { auth } from "./auth";
import { serverEnv } from "../env";
import { getLocale } from "../i18n/server";
import { clientIp } from "../request-ip";
import type { RequestMeta } from "../request-meta";
import type { Caller } from "../actions/define";
import { DatabaseUnavailableError } from "../db-errors";

export interface SessionUser {
  userId: string;
  email: string;
  name: string;
  /** The UserSession row of this browser's sign-in. */
  sessionId?: string;
  /** How this session signed in ("password", "password+totp", "oidc"). */
  authMethod?: string;
}

/** The current user, or null; the session (revocation, expiry, session version) is re-checked against the database. */
export const getSessionUser = cache(async (): Promise<SessionUser | null> => {
  const session = await auth();
  if (session?.unavailable) throw new DatabaseUnavailableError();
  const id = session?.user?.id;
  if (!id) return null;
  return { userId: id, email: session.user.email, name: session.user.name, sessionId: session.sessionId, authMethod: session.authMethod };
});

/** The current user, or a redirect to sign-in that comes back here afterwards. */
export async function requireSessionUser(returnTo?: string): Promise<SessionUser> {
  const user = await getSessionUser();
  if (!user) redirect(returnTo ? `/sign-in?callbackUrl=${encodeURIComponent(returnTo)}` : "/sign-in");
  return user;
}

export const requestMeta = cache(async (): Promise<RequestMeta> => {
  const h = await headers();
  const env = serverEnv();
  // Links in e-mails use PUBLIC_URL; without it only a loopback Host is trusted (no host-header injection).
  const host = h.get("host") ?? "";
  const loopback = /^(localhost|127\.0\.0\.1|\[::1\])(:\d{1,5})?$/.test(host);
  return {
    ip: clientIp(h),
    userAgent: (h.get("user-agent") ?? "").slice(0, 512),
    baseUrl: (env.PUBLIC_URL ?? (loopback ? `http://${host}` : "http://localhost:3000")).replace(/\/$/, ""),
    locale: await getLocale(),
  };
});

/** The caller of a server action: signed in, with request metadata; null when signed out. */
export async function currentCaller(): Promise<Caller | null> {
  const user = await getSessionUser();
  if (!user) return null;
  return { userId: user.userId, sessionId: user.sessionId, meta: await requestMeta() };
}
