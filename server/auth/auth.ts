// Auth.js (next-auth v5): credentials sign-in, JWT sessions revocable through the user's session version.
import "server-only";
import NextAuth, { CredentialsSignin, type NextAuthConfig } from "next-auth";
import Credentials from "next-auth/providers/credentials";
import { db } from "../db";
import { checkCredentials } from "./credentials";
import { clientIp } from "../request-ip";

class RateLimited extends CredentialsSignin {
  override code = "rate_limited";
}
class Unverified extends CredentialsSignin {
  override code = "unverified";
}
class InvalidCredentials extends CredentialsSignin {
  override code = "invalid";
}

declare module "next-auth" {
  interface Session {
    user: { id: string; email: string; name: string };
  }
  interface User {
    sessionVersion?: number;
  }
}

export const SESSION_MAX_AGE_S = 8 * 60 * 60;

const config: NextAuthConfig = {
  trustHost: true,
  session: { strategy: "jwt", maxAge: SESSION_MAX_AGE_S },
  pages: { signIn: "/sign-in", error: "/sign-in" },
  providers: [
    Credentials({
      credentials: { email: {}, password: {} },
      async authorize(credentials, request) {
        const outcome = await checkCredentials(credentials, {
          ip: clientIp(request.headers),
          userAgent: request.headers.get("user-agent") ?? "",
        });
        if (outcome.ok) return { ...outcome.user };
        if (outcome.reason === "rate_limited") throw new RateLimited();
        if (outcome.reason === "unverified") throw new Unverified();
        throw new InvalidCredentials();
      },
    }),
  ],
  callbacks: {
    async jwt({ token, user }) {
      if (user?.id) {
        token.sub = user.id;
        token.sv = user.sessionVersion ?? 0;
        return token;
      }
      if (!token.sub) return null;
      // Revocation: a bumped session version on the user ends every older session.
      const current = await db.user.findUnique({ where: { id: token.sub }, select: { sessionVersion: true, name: true, email: true } });
      if (!current || current.sessionVersion !== token.sv) return null;
      token.name = current.name;
      token.email = current.email;
      return token;
    },
    session({ session, token }) {
      session.user = { ...session.user, id: token.sub ?? "", email: token.email ?? "", name: token.name ?? "" };
      return session;
    },
  },
  logger: {
    error(error) {
      // A wrong password is an expected outcome, not a server error.
      if (error instanceof CredentialsSignin || error.name === "CredentialsSignin") return;
      console.error("[auth]", error);
    },
    warn() {},
  },
};

export const { handlers, auth, signIn, signOut } = NextAuth(config);
