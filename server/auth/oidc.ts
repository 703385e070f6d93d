// Optional sign-in through the customer's OpenID Connect provider (Entra ID, Keycloak, ...), set
// up from the environment. It signs in existing, verified users only: matched by the provider's
// subject once linked, else by a verified e-mail address (then linked). Nobody is created here:
// joining needs an organisation, by invitation or sign-up.
import "server-only";
import type { OIDCConfig } from "next-auth/providers";
import type { Profile } from "next-auth";
import { db } from "../db";
import { recordUserEvent, userActor } from "./user-audit";
import type { RequestOrigin } from "./sessions";

export const OIDC_PROVIDER_ID = "oidc";

type OidcEnv = Partial<Record<"OIDC_ISSUER" | "OIDC_CLIENT_ID" | "OIDC_CLIENT_SECRET" | "OIDC_NAME" | "OIDC_MFA", string | undefined>>;

export interface OidcSettings {
  issuer: string;
  clientId: string;
  clientSecret: string;
  /** Shown on the button: "Sign in with <name>". */
  name: string;
  /** The provider enforces MFA, so its sessions meet an organisation's two-factor requirement. */
  mfa: boolean;
}

const REQUIRED = ["OIDC_ISSUER", "OIDC_CLIENT_ID", "OIDC_CLIENT_SECRET"] as const;

/** The OIDC settings when configured, null when none of the variables is set; a partial set fails naming what is missing. */
export function oidcSettings(env: OidcEnv): OidcSettings | null {
  const present = REQUIRED.filter((key) => env[key]);
  if (present.length === 0) return null;
  const missing = REQUIRED.filter((key) => !env[key]);
  if (missing.length > 0) throw new Error(`Invalid server configuration: ${missing.join(", ")} must be set too when ${present.join(", ")} is set (OpenID Connect sign-in)`);
  return {
    issuer: env.OIDC_ISSUER!.replace(/\/$/, ""),
    clientId: env.OIDC_CLIENT_ID!,
    clientSecret: env.OIDC_CLIENT_SECRET!,
    name: env.OIDC_NAME?.trim() || "OpenID Connect",
    mfa: env.OIDC_MFA === "1",
  };
}

/** Auth.js's generic OIDC provider (discovery from the issuer), or nothing when not configured. */
export function oidcProviders(env: OidcEnv): Array<OIDCConfig<Profile>> {
  const settings = oidcSettings(env);
  if (!settings) return [];
  return [
    {
      id: OIDC_PROVIDER_ID,
      name: settings.name,
      type: "oidc",
      issuer: settings.issuer,
      clientId: settings.clientId,
      clientSecret: settings.clientSecret,
      checks: ["pkce", "state", "nonce"],
      authorization: { params: { scope: "openid profile email" } },
    },
  ];
}

export type OidcMatch =
  | { ok: true; user: { id: string; email: string; name: string; sessionVersion: number }; link: boolean }
  | { ok: false; reason: "unknown" | "linked_elsewhere" };

/** Claims of the ID token that matter here. */
export interface OidcClaims {
  sub?: unknown;
  email?: unknown;
  email_verified?: unknown;
}

/** Finds the portal user for the provider's claims, without changing anything. */
export async function matchOidcUser(claims: OidcClaims | null | undefined): Promise<OidcMatch> {
  const sub = typeof claims?.sub === "string" && claims.sub.length > 0 && claims.sub.length <= 255 ? claims.sub : null;
  if (!sub) return { ok: false, reason: "unknown" };
  const select = { id: true, email: true, name: true, sessionVersion: true, emailVerifiedAt: true, oidcSubject: true } as const;

  const linked = await db.user.findUnique({ where: { oidcSubject: sub }, select });
  if (linked) return linked.emailVerifiedAt ? { ok: true, user: pick(linked), link: false } : { ok: false, reason: "unknown" };

  // Only an address the provider itself has verified may claim an account.
  const email = typeof claims?.email === "string" ? claims.email.trim().toLowerCase() : null;
  if (!email || claims?.email_verified !== true) return { ok: false, reason: "unknown" };
  const byEmail = await db.user.findUnique({ where: { email }, select });
  if (!byEmail?.emailVerifiedAt) return { ok: false, reason: "unknown" };
  if (byEmail.oidcSubject && byEmail.oidcSubject !== sub) return { ok: false, reason: "linked_elsewhere" };
  return { ok: true, user: pick(byEmail), link: true };
}

/** Matches the claims and, the first time, links the provider's subject to the user (audited). */
export async function completeOidcSignIn(claims: OidcClaims | null | undefined, origin: RequestOrigin): Promise<OidcMatch> {
  const match = await matchOidcUser(claims);
  if (!match.ok || !match.link) return match;
  const sub = String(claims?.sub);
  return db.$transaction(async (tx) => {
    const linked = await tx.user.updateMany({ where: { id: match.user.id, oidcSubject: null }, data: { oidcSubject: sub } });
    if (linked.count !== 1) return { ok: false as const, reason: "linked_elsewhere" as const };
    await recordUserEvent(tx, userActor(match.user, origin), match.user.id, { action: "user.oidc_linked", details: { subject: sub }, orgChains: true });
    return match;
  });
}

function pick(user: { id: string; email: string; name: string; sessionVersion: number }) {
  return { id: user.id, email: user.email, name: user.name, sessionVersion: user.sessionVersion };
}
