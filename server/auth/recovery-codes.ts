// Single-use recovery codes for two-factor authentication: shown once, stored only as keyed hashes.
import "server-only";
import { randomInt } from "node:crypto";
import { keyedHash } from "./crypto";

export const RECOVERY_CODE_COUNT = 10;
// No 0/O, 1/I/L: easy to read off paper and type back.
const ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ";
const GROUP = 5;

/** One code like "7K3QD-MX9PA" (50 bits of entropy). */
export function newRecoveryCode(): string {
  let raw = "";
  for (let i = 0; i < GROUP * 2; i++) raw += ALPHABET[randomInt(ALPHABET.length)];
  return `${raw.slice(0, GROUP)}-${raw.slice(GROUP)}`;
}

/** A fresh set of codes to show the user once. */
export function newRecoveryCodes(count = RECOVERY_CODE_COUNT): string[] {
  const codes = new Set<string>();
  while (codes.size < count) codes.add(newRecoveryCode());
  return [...codes];
}

/** The canonical form of a typed code: upper case, without spaces or hyphens; null when it cannot be one. */
export function normaliseRecoveryCode(input: string): string | null {
  const clean = input.toUpperCase().replace(/[\s-]/g, "");
  if (clean.length !== GROUP * 2) return null;
  for (const char of clean) if (!ALPHABET.includes(char)) return null;
  return clean;
}

/** What the database keeps for a code (typed and shown forms hash alike). */
export function hashRecoveryCode(code: string, secret?: string): string | null {
  const normal = normaliseRecoveryCode(code);
  return normal ? keyedHash(normal, "recovery-code", secret) : null;
}
