// The pending second step of a password sign-in: after the right password, the browser holds this
// sealed, short-lived value (in an httpOnly cookie) instead of the password, and trades it with a
// code for a session. It names the user and their session version, so a password change voids it.
import "server-only";
import { open, seal } from "./crypto";

export const CHALLENGE_COOKIE = "nordlys-second-factor";
export const CHALLENGE_TTL_MS = 5 * 60 * 1000;

export interface SignInChallenge {
  userId: string;
  sessionVersion: number;
  expiresAt: number;
}

/** Seals a challenge for the user, valid CHALLENGE_TTL_MS from now. */
export function sealChallenge(user: { id: string; sessionVersion: number }, now = Date.now()): string {
  return seal(JSON.stringify({ u: user.id, v: user.sessionVersion, e: now + CHALLENGE_TTL_MS }), "sign-in-challenge");
}

/** Opens a challenge; null when forged, malformed or expired. */
export function openChallenge(value: string | null | undefined, now = Date.now()): SignInChallenge | null {
  if (!value || value.length > 1024) return null;
  const text = open(value, "sign-in-challenge");
  if (!text) return null;
  try {
    const data = JSON.parse(text) as { u?: unknown; v?: unknown; e?: unknown };
    if (typeof data.u !== "string" || typeof data.v !== "number" || typeof data.e !== "number") return null;
    if (data.e <= now) return null;
    return { userId: data.u, sessionVersion: data.v, expiresAt: data.e };
  } catch {
    return null;
  }
}
