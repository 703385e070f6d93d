// Hash chain arithmetic for audit events: canonical serialisation, hashing and verification.
import { createHash } from "node:crypto";

export const GENESIS_HASH = "0".repeat(64);

export interface HashedAuditFields {
  chainKey: string;
  seq: number;
  orgId: string | null;
  actorId: string | null;
  actorLabel: string;
  action: string;
  targetType: string | null;
  targetId: string | null;
  outcome: string;
  details: unknown;
  at: Date;
  ip: string;
  userAgent: string;
  prevHash: string;
}

/** JSON with object keys sorted at every depth, so a value hashes the same after a jsonb round trip. */
export function canonicalJson(value: unknown): string {
  if (value === null || typeof value !== "object") return JSON.stringify(value ?? null);
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(",")}]`;
  const entries = Object.entries(value as Record<string, unknown>)
    .filter(([, v]) => v !== undefined)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(",")}}`;
}

/** SHA-256 over the canonical form of every field of the event, including the previous hash. */
export function computeAuditHash(f: HashedAuditFields): string {
  const payload = canonicalJson({
    chainKey: f.chainKey, seq: f.seq, orgId: f.orgId, actorId: f.actorId, actorLabel: f.actorLabel, action: f.action,
    targetType: f.targetType, targetId: f.targetId, outcome: f.outcome, details: f.details, at: f.at.toISOString(),
    ip: f.ip, userAgent: f.userAgent, prevHash: f.prevHash,
  });
  return createHash("sha256").update(payload).digest("hex");
}

export type ChainCheck =
  | { ok: true; count: number }
  | { ok: false; count: number; brokenAtSeq: number; reason: "hash" | "link" | "sequence" };

/** Verifies events of one chain given in sequence order; reports the first break. */
export function verifyChainSegment(
  events: Array<HashedAuditFields & { hash: string }>,
  start: { prevHash: string; seq: number } = { prevHash: GENESIS_HASH, seq: 0 },
): ChainCheck {
  let prevHash = start.prevHash;
  let expectedSeq = start.seq + 1;
  let count = 0;
  for (const event of events) {
    if (event.seq !== expectedSeq) return { ok: false, count, brokenAtSeq: event.seq, reason: "sequence" };
    if (event.prevHash !== prevHash) return { ok: false, count, brokenAtSeq: event.seq, reason: "link" };
    if (computeAuditHash(event) !== event.hash) return { ok: false, count, brokenAtSeq: event.seq, reason: "hash" };
    prevHash = event.hash;
    expectedSeq += 1;
    count += 1;
  }
  return { ok: true, count };
}
