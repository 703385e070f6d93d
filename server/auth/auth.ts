// Auth.js (next-auth v5) for this app; the configuration lives in ./config.
import "server-only";
import NextAuth from "next-auth";
import { authConfig } from "./config";

export { SESSION_MAX_AGE_S } from "./config";

export const { handlers, auth, signIn, signOut } = NextAuth(authConfig());
