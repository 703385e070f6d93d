// The Auth.js configuration: credentials sign-in in two steps (password, then a TOTP or recovery
// code for users with two-factor authentication), the optional OpenID Connect provider, and JWT
// sessions backed by a UserSession row each (id in the token as `sid`), checked on every request.
import "server-only";
import { CredentialsSignin, type NextAuthConfig, type User } from "next-auth";
import Credentials from "next-auth/providers/credentials";
import { headers } from "next/headers";
import { recordAudit } from "../audit/record";
import { db } from "../db";
import { serverEnv, type ServerEnv } from "../env";
import { clientIp } from "../request-ip";
import { checkCredentials, checkSecondStep } from "./credentials";
import { completeOidcSignIn, matchOidcUser, OIDC_PROVIDER_ID, oidcProviders, type OidcClaims } from "./oidc";
import { activeSession, createUserSession, endSession, type RequestOrigin, type SessionMethod } from "./sessions";
import { isDatabaseUnavailable } from "../db-errors";

class RateLimited extends CredentialsSignin {
  override code = "rate_limited";
}
class Unverified extends CredentialsSignin {
  override code = "unverified";
}
class InvalidCredentials extends CredentialsSignin {
  override code = "invalid";
}
/** The password was right; the account needs a code before a session exists. */
class TotpRequired extends CredentialsSignin {
  override code = "totp_required";
}
class InvalidCode extends CredentialsSignin {
  override code = "invalid_code";
}
class ChallengeExpired extends CredentialsSignin {
  override code = "challenge_expired";
}

declare module "next-auth" {
  interface Session {
    user: { id: string; email: string; name: string };
    /** The UserSession row behind this browser's token. */
    sessionId?: string;
    /** How this session signed in: "password", "password+totp" or "oidc". */
    authMethod?: SessionMethod;
    /** The database could not be reached to check the session (the request must fail, not sign out). */
    unavailable?: boolean;
  }
  interface User {
    sessionVersion?: number;
    method?: SessionMethod;
    origin?: RequestOrigin;
  }
}

export const SESSION_MAX_AGE_S = 8 * 60 * 60;

function originOf(h: Headers): RequestOrigin {
  return { ip: clientIp(h), userAgent: (h.get("user-agent") ?? "").slice(0, 512) };
}

/** The current request's origin, when there is a request (Auth.js callbacks run inside one in Next.js). */
async function currentOrigin(): Promise<RequestOrigin> {
  try {
    return originOf(await headers());
  } catch {
    return { ip: "unknown", userAgent: "" };
  }
}

const str = (value: unknown) => (typeof value === "string" ? value : undefined);

/** Builds the configuration from the environment (the OIDC provider only when configured). */
export function authConfig(env: Pick<ServerEnv, "OIDC_ISSUER" | "OIDC_CLIENT_ID" | "OIDC_CLIENT_SECRET" | "OIDC_NAME" | "OIDC_MFA"> = serverEnv()): NextAuthConfig {
  return {
    trustHost: true,
    session: { strategy: "jwt", maxAge: SESSION_MAX_AGE_S },
    pages: { signIn: "/sign-in", error: "/sign-in" },
    providers: [
      Credentials({
        credentials: { email: {}, password: {}, challenge: {}, code: {} },
        async authorize(credentials, request): Promise<User> {
          const origin = originOf(request.headers);
          const challenge = str(credentials.challenge);
          if (challenge) {
            const step = await checkSecondStep({ challenge, code: str(credentials.code) ?? "" }, origin);
            if (step.ok) return { ...step.user, origin };
            if (step.reason === "rate_limited") throw new RateLimited();
            if (step.reason === "expired") throw new ChallengeExpired();
            throw new InvalidCode();
          }
          const outcome = await checkCredentials({ email: credentials.email, password: credentials.password }, origin);
          if (outcome.ok) return { ...outcome.user, origin };
          if (outcome.reason === "rate_limited") throw new RateLimited();
          if (outcome.reason === "unverified") throw new Unverified();
          if (outcome.reason === "totp_required") throw new TotpRequired();
          throw new InvalidCredentials();
        },
      }),
      ...oidcProviders(env),
    ],
    callbacks: {
      async signIn({ account, profile }) {
        if (account?.provider !== OIDC_PROVIDER_ID) return true;
        const match = await matchOidcUser(profile as OidcClaims | undefined);
        if (match.ok) return true;
        await auditOidcRefusal(profile as OidcClaims | undefined, match.reason, await currentOrigin());
        return `/sign-in?oidcError=${match.reason === "linked_elsewhere" ? "linked" : "unknown"}`;
      },
      async jwt({ token, user, account, profile }) {
        if (user) {
          // Sign-in: record the session, and put its id in the token.
          const origin = user.origin ?? (await currentOrigin());
          let signedIn: { id: string; email: string; name: string; sessionVersion: number };
          let method: SessionMethod;
          if (account?.provider === OIDC_PROVIDER_ID) {
            const match = await completeOidcSignIn(profile as OidcClaims | undefined, origin);
            if (!match.ok) return null;
            signedIn = match.user;
            method = "oidc";
          } else {
            if (!user.id || !user.method || !user.email) return null;
            signedIn = { id: user.id, email: user.email, name: user.name ?? "", sessionVersion: user.sessionVersion ?? 0 };
            method = user.method;
          }
          const sid = await createUserSession(signedIn, method, origin, SESSION_MAX_AGE_S);
          delete token.picture;
          token.sub = signedIn.id;
          token.name = signedIn.name;
          token.email = signedIn.email;
          token.sv = signedIn.sessionVersion;
          token.sid = sid;
          token.amr = method;
          return token;
        }
        // Every later request: the session must still be active (not revoked or expired, same session version).
        const sid = str(token.sid);
        if (!token.sub || !sid) return null;
        delete token.unavailable;
        let session: Awaited<ReturnType<typeof activeSession>>;
        try {
          session = await activeSession(sid, token.sub, token.sv);
        } catch (error) {
          // The database is away: the session cannot be checked, which is not the same as signed out.
          if (isDatabaseUnavailable(error)) return { ...token, unavailable: true };
          throw error;
        }
        if (!session) return null;
        token.name = session.name;
        token.email = session.email;
        token.amr = session.method;
        return token;
      },
      session({ session, token }) {
        session.user = { ...session.user, id: token.sub ?? "", email: token.email ?? "", name: token.name ?? "" };
        session.sessionId = str(token.sid);
        session.authMethod = str(token.amr) as SessionMethod | undefined;
        if (token.unavailable === true) session.unavailable = true;
        return session;
      },
    },
    events: {
      async signOut(message) {
        const token = "token" in message ? message.token : null;
        const sid = str(token?.sid);
        if (sid && token?.sub) await endSession(sid, token.sub, await currentOrigin());
      },
    },
    logger: {
      error(error) {
        // A wrong password or code is an expected outcome, not a server error.
        if (error instanceof CredentialsSignin || error.name === "CredentialsSignin") return;
        console.error("[auth]", error);
      },
      warn() {},
    },
  };
}

async function auditOidcRefusal(claims: OidcClaims | undefined, reason: string, origin: RequestOrigin): Promise<void> {
  const label = (typeof claims?.email === "string" && claims.email) || (typeof claims?.sub === "string" && claims.sub) || "unknown";
  await db.$transaction((tx) =>
    recordAudit(tx, { actorId: null, actorLabel: label, ip: origin.ip, userAgent: origin.userAgent }, {
      orgId: null,
      action: "user.oidc_refused",
      outcome: "DENIED",
      details: { reason },
    }),
  );
}
