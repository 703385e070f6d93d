// Whether a user is provider staff. Read from the database each time, never from the session token.
import "server-only";
import { db } from "../db";
import { ACCESS_TTL_MS, ttlCache } from "../cache/ttl";

const operators = ttlCache<boolean>({ ttlMs: ACCESS_TTL_MS, max: 10_000 });

/** Cached for a few seconds per process (server/cache/ttl.ts); operator operations re-check in their transaction. */
export async function isOperator(userId: string): Promise<boolean> {
  return operators.get(userId, () => loadIsOperator(userId));
}

async function loadIsOperator(userId: string): Promise<boolean> {
  const user = await db.user.findUnique({ where: { id: userId }, select: { platformRole: true } });
  return user?.platformRole === "OPERATOR";
}
