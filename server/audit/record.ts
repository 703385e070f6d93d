// Appends an event to an organisation's audit hash chain inside the caller's transaction.
import "server-only";
import type { AuditOutcome } from "@/generated/prisma/enums";
import type { Prisma } from "@/generated/prisma/client";
import type { Tx } from "../db";
import { GENESIS_HASH, computeAuditHash } from "./hash";
import { clearAccessCaches } from "../cache/ttl";

/** Who did it and from where: carried from the request into every audit event. */
export interface AuditActor {
  actorId: string | null;
  actorLabel: string;
  ip: string;
  userAgent: string;
}

export interface AuditEntry {
  orgId: string | null;
  action: string;
  targetType?: string | null;
  targetId?: string | null;
  outcome?: AuditOutcome;
  details?: Record<string, unknown>;
}

export const PLATFORM_CHAIN = "platform";

const MAX_TEXT = 512;
const clip = (value: string) => (value.length > MAX_TEXT ? value.slice(0, MAX_TEXT) : value);

/** The parts of a transaction the audit writer needs (any Prisma client configuration will do). */
export type AuditTx = Pick<Tx, "$executeRaw" | "auditEvent">;

/** Writes one audit event; serialises writers of the same chain with a transaction-scoped lock. */
export async function recordAudit(tx: AuditTx, actor: AuditActor, entry: AuditEntry): Promise<void> {
  // Every audited change may change who can see what: drop the short-lived access caches (again after commit in the operation wrappers).
  clearAccessCaches();
  const chainKey = entry.orgId ?? PLATFORM_CHAIN;
  await tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtextextended(${chainKey}, 7))`;
  const last = await tx.auditEvent.findFirst({
    where: { chainKey },
    orderBy: { seq: "desc" },
    select: { seq: true, hash: true },
  });
  const fields = {
    chainKey,
    seq: (last?.seq ?? 0) + 1,
    orgId: entry.orgId,
    actorId: actor.actorId,
    actorLabel: clip(actor.actorLabel),
    action: entry.action,
    targetType: entry.targetType ?? null,
    targetId: entry.targetId ?? null,
    outcome: entry.outcome ?? "SUCCESS",
    details: JSON.parse(JSON.stringify(entry.details ?? {})) as Prisma.InputJsonObject,
    at: new Date(),
    ip: clip(actor.ip),
    userAgent: clip(actor.userAgent),
    prevHash: last?.hash ?? GENESIS_HASH,
  };
  await tx.auditEvent.create({ data: { ...fields, hash: computeAuditHash(fields) } });
}
