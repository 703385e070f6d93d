// Authenticated encryption of small secrets at rest (TOTP secrets, sign-in challenges) and keyed
// hashes (recovery codes): AES-256-GCM and HMAC-SHA-256 with keys derived from AUTH_SECRET by HKDF,
// one key per purpose, so a value sealed for one use can never be opened as another.
import "server-only";
import { createCipheriv, createDecipheriv, createHmac, hkdfSync, randomBytes } from "node:crypto";
import { serverEnv } from "../env";

export type KeyPurpose = "totp-secret" | "sign-in-challenge" | "recovery-code";

const VERSION = "v1";
const keys = new Map<string, Buffer>();

function authSecret(): string {
  const secret = serverEnv().AUTH_SECRET ?? process.env.AUTH_SECRET;
  if (!secret) throw new Error("AUTH_SECRET must be set: it also encrypts two-factor secrets");
  return secret;
}

/** The 256-bit key for a purpose (HKDF-SHA-256 over AUTH_SECRET), derived once per process. */
export function derivedKey(purpose: KeyPurpose, secret = authSecret()): Buffer {
  const cacheKey = `${purpose}\u0000${secret}`;
  let key = keys.get(cacheKey);
  if (!key) {
    key = Buffer.from(hkdfSync("sha256", secret, "nordlys-portal", `nordlys-portal:${purpose}`, 32));
    keys.set(cacheKey, key);
  }
  return key;
}

/**
 * Encrypts text for a purpose. `context` (e.g. the user id) is authenticated but not stored: the
 * value only opens with the same context, so a ciphertext copied to another user's row is useless.
 */
export function seal(plaintext: string, purpose: KeyPurpose, context = "", secret?: string): string {
  const iv = randomBytes(12);
  const cipher = createCipheriv("aes-256-gcm", derivedKey(purpose, secret), iv);
  cipher.setAAD(Buffer.from(context, "utf8"));
  const body = Buffer.concat([cipher.update(plaintext, "utf8"), cipher.final()]);
  const tag = cipher.getAuthTag();
  return [VERSION, iv.toString("base64url"), body.toString("base64url"), tag.toString("base64url")].join(".");
}

/** Decrypts a sealed value; null when it was tampered with, sealed for another purpose or context, or malformed. */
export function open(sealed: string, purpose: KeyPurpose, context = "", secret?: string): string | null {
  const parts = sealed.split(".");
  if (parts.length !== 4 || parts[0] !== VERSION) return null;
  try {
    const iv = Buffer.from(parts[1]!, "base64url");
    const tag = Buffer.from(parts[3]!, "base64url");
    if (iv.length !== 12 || tag.length !== 16) return null;
    const decipher = createDecipheriv("aes-256-gcm", derivedKey(purpose, secret), iv);
    decipher.setAAD(Buffer.from(context, "utf8"));
    decipher.setAuthTag(tag);
    return Buffer.concat([decipher.update(Buffer.from(parts[2]!, "base64url")), decipher.final()]).toString("utf8");
  } catch {
    return null;
  }
}

/** HMAC-SHA-256 (hex) with the purpose's key: a database leak alone is not enough to test guesses. */
export function keyedHash(value: string, purpose: KeyPurpose, secret?: string): string {
  return createHmac("sha256", derivedKey(purpose, secret)).update(value, "utf8").digest("hex");
}
