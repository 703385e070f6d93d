// Random single-use tokens: the link carries the token, the database keeps only its hash.
import { createHash, randomBytes } from "node:crypto";

export function newToken(): { token: string; tokenHash: string } {
  const token = randomBytes(32).toString("base64url");
  return { token, tokenHash: hashToken(token) };
}

export function hashToken(token: string): string {
  return createHash("sha256").update(token).digest("hex");
}

export const HOUR = 60 * 60 * 1000;
export const DAY = 24 * HOUR;
