// Sign-in throttling per account and per IP, counted from attempts stored in PostgreSQL.
import "server-only";
import { db } from "../db";

export const SIGN_IN_WINDOW_MS = 15 * 60 * 1000;
export const MAX_FAILURES_PER_ACCOUNT = 5;
export const MAX_FAILURES_PER_IP = 20;

/** True when recent failures for this e-mail or this IP exceed their limits. */
export async function isSignInThrottled(email: string, ip: string, now = new Date()): Promise<boolean> {
  const since = new Date(now.getTime() - SIGN_IN_WINDOW_MS);
  const [byAccount, byIp] = await Promise.all([
    db.signInAttempt.count({ where: { email, success: false, createdAt: { gte: since } } }),
    db.signInAttempt.count({ where: { ip, success: false, createdAt: { gte: since } } }),
  ]);
  return byAccount >= MAX_FAILURES_PER_ACCOUNT || byIp >= MAX_FAILURES_PER_IP;
}

/** Stores one attempt; old rows are pruned now and then so the table stays small. */
export async function recordSignInAttempt(email: string, ip: string, success: boolean): Promise<void> {
  await db.signInAttempt.create({ data: { email, ip, success } });
  if (Math.random() < 0.01) {
    await db.signInAttempt.deleteMany({ where: { createdAt: { lt: new Date(Date.now() - 7 * 86_400_000) } } });
  }
}
