// Signed-in sessions: one row per sign-in (the JWT carries its id), checked on every request,
// listed on the sessions page and revocable one by one.
import "server-only";
import { z } from "zod";
import { db, type Tx } from "../db";
import { AppError } from "../errors";
import type { RequestMeta } from "../request-meta";
import { idField } from "../validation/fields";
import { parseInput } from "../validation/parse";
import { describeUserAgent } from "./user-agent";
import { recordUserEvent, userActor } from "./user-audit";
import { ACCESS_TTL_MS, clearAccessCaches, ttlCache } from "../cache/ttl";

export type SessionMethod = "password" | "password+totp" | "oidc";
export const SESSION_METHODS: readonly SessionMethod[] = ["password", "password+totp", "oidc"];
/** lastSeenAt is written at most this often per session. */
export const SESSION_TOUCH_MS = 60 * 1000;

export interface RequestOrigin {
  ip: string;
  userAgent: string;
}

/** Records a new session for a successful sign-in, with its audit events; returns its id. */
export async function createUserSession(
  user: { id: string; email: string },
  method: SessionMethod,
  origin: RequestOrigin,
  maxAgeS: number,
  now = new Date(),
): Promise<string> {
  return db.$transaction(async (tx) => {
    const session = await tx.userSession.create({
      data: {
        userId: user.id,
        method,
        ip: origin.ip.slice(0, 64),
        userAgent: origin.userAgent.slice(0, 512),
        createdAt: now,
        lastSeenAt: now,
        expiresAt: new Date(now.getTime() + maxAgeS * 1000),
      },
      select: { id: true },
    });
    await recordUserEvent(tx, userActor(user, origin), user.id, { action: "user.signed_in", details: { method, sessionId: session.id }, orgChains: true });
    return session.id;
  });
}

export interface ActiveSession {
  method: SessionMethod;
  name: string;
  email: string;
}

/**
 * The session behind a token, if it may still be used: not revoked, not expired, of this user, and
 * issued under the user's current session version. Marks it seen (at most once a minute).
 */
export async function activeSession(sessionId: string, userId: string, sessionVersion: unknown, now = new Date()): Promise<ActiveSession | null> {
  const key = `${sessionId}\u0000${userId}\u0000${String(sessionVersion)}`;
  const load = async () => ({ at: now.getTime(), session: await checkSession(sessionId, userId, sessionVersion, now) });
  let checked = await sessionChecks.get(key, load);
  // The check is only as fresh as the clock it was made at (callers may pass their own `now`).
  if (now.getTime() - checked.at >= ACCESS_TTL_MS || now.getTime() < checked.at - ACCESS_TTL_MS) {
    sessionChecks.delete(key);
    checked = await sessionChecks.get(key, load);
  }
  return checked.session;
}

/** Session checks are reused for a few seconds in this process; sign-out and revocation clear them (server/cache/ttl.ts). */
const sessionChecks = ttlCache<{ at: number; session: ActiveSession | null }>({ ttlMs: ACCESS_TTL_MS, max: 50_000 });

async function checkSession(sessionId: string, userId: string, sessionVersion: unknown, now: Date): Promise<ActiveSession | null> {
  const row = await db.userSession.findUnique({
    where: { id: sessionId },
    select: { userId: true, method: true, revokedAt: true, expiresAt: true, lastSeenAt: true, user: { select: { sessionVersion: true, name: true, email: true } } },
  });
  if (!row || row.userId !== userId || row.revokedAt || row.expiresAt <= now) return null;
  if (row.user.sessionVersion !== sessionVersion) {
    // Ended everywhere (password change, removal...): keep the list of sessions truthful.
    await db.userSession.updateMany({ where: { id: sessionId, revokedAt: null }, data: { revokedAt: now } });
    return null;
  }
  if (now.getTime() - row.lastSeenAt.getTime() >= SESSION_TOUCH_MS) {
    await db.userSession.updateMany({
      where: { id: sessionId, lastSeenAt: { lt: new Date(now.getTime() - SESSION_TOUCH_MS) } },
      data: { lastSeenAt: now },
    });
  }
  return { method: toMethod(row.method), name: row.user.name, email: row.user.email };
}

/** Ends the session the browser signed out of. */
export async function endSession(sessionId: string, userId: string, origin: RequestOrigin): Promise<void> {
  await db.$transaction(async (tx) => {
    const ended = await tx.userSession.updateMany({ where: { id: sessionId, userId, revokedAt: null }, data: { revokedAt: new Date() } });
    if (ended.count === 0) return;
    const user = await tx.user.findUnique({ where: { id: userId }, select: { id: true, email: true } });
    if (user) await recordUserEvent(tx, userActor(user, origin), userId, { action: "user.signed_out", details: { sessionId } });
  });
  clearAccessCaches();
}

/** Marks every open session of the user revoked (used wherever the session version is bumped). */
export async function revokeAllSessions(tx: Tx, userId: string, now = new Date()): Promise<number> {
  const result = await tx.userSession.updateMany({ where: { userId, revokedAt: null }, data: { revokedAt: now } });
  return result.count;
}

/** The user's sessions that are still usable, newest activity first, with "this session" marked. */
export async function listActiveSessions(userId: string, currentSessionId: string | undefined, now = new Date()) {
  const rows = await db.userSession.findMany({
    where: { userId, revokedAt: null, expiresAt: { gt: now } },
    select: { id: true, method: true, ip: true, userAgent: true, createdAt: true, lastSeenAt: true },
    orderBy: [{ lastSeenAt: "desc" }, { createdAt: "desc" }],
    take: 100,
  });
  return rows.map((row) => ({
    id: row.id,
    method: toMethod(row.method),
    ip: row.ip,
    device: describeUserAgent(row.userAgent),
    createdAt: row.createdAt,
    lastSeenAt: row.lastSeenAt,
    current: row.id === currentSessionId,
  }));
}

const revokeSchema = z.object({ sessionId: idField });

/** Signs out one of the user's own sessions (another device, or this one). */
export async function revokeSession(userId: string, raw: unknown, meta: RequestMeta): Promise<void> {
  const { sessionId } = parseInput(revokeSchema, raw);
  await db.$transaction(async (tx) => {
    // The user id is part of the filter: someone else's session id is simply "not found".
    const revoked = await tx.userSession.updateMany({ where: { id: sessionId, userId, revokedAt: null }, data: { revokedAt: new Date() } });
    if (revoked.count !== 1) throw new AppError("errors.notFound");
    const user = await tx.user.findUniqueOrThrow({ where: { id: userId }, select: { id: true, email: true } });
    await recordUserEvent(tx, userActor(user, meta), userId, { action: "session.revoked", details: { sessionId } });
  });
}

/** Signs out every session of the user except the current one; returns how many ended. */
export async function revokeOtherSessions(userId: string, currentSessionId: string | undefined, meta: RequestMeta): Promise<number> {
  if (!currentSessionId) throw new AppError("errors.notFound");
  return db.$transaction(async (tx) => {
    const revoked = await tx.userSession.updateMany({
      where: { userId, revokedAt: null, id: { not: currentSessionId } },
      data: { revokedAt: new Date() },
    });
    const user = await tx.user.findUniqueOrThrow({ where: { id: userId }, select: { id: true, email: true } });
    await recordUserEvent(tx, userActor(user, meta), userId, { action: "session.revoked_others", details: { kept: currentSessionId, count: revoked.count } });
    return revoked.count;
  });
}

function toMethod(value: string): SessionMethod {
  return (SESSION_METHODS as readonly string[]).includes(value) ? (value as SessionMethod) : "password";
}
