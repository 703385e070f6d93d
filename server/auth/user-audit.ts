// Account-level audit events: written to the platform chain (orgId null) and, where the members'
// organisations should see them too, to each of the user's organisation chains.
import "server-only";
import type { AuditOutcome } from "@/generated/prisma/enums";
import type { Tx } from "../db";
import { recordAudit, type AuditActor } from "../audit/record";

export interface UserEvent {
  action: string;
  details?: Record<string, unknown>;
  outcome?: AuditOutcome;
  /** Also record in every organisation the user belongs to (sign-ins, two-factor changes). */
  orgChains?: boolean;
}

/** The actor for events a user causes on their own account. */
export function userActor(user: { id: string; email: string }, origin: { ip: string; userAgent: string }): AuditActor {
  return { actorId: user.id, actorLabel: user.email, ip: origin.ip, userAgent: origin.userAgent };
}

/** Records one account-level event about `userId`, inside the caller's transaction. */
export async function recordUserEvent(tx: Tx, actor: AuditActor, userId: string, event: UserEvent): Promise<void> {
  const base = { action: event.action, targetType: "user", targetId: userId, outcome: event.outcome, details: event.details };
  await recordAudit(tx, actor, { orgId: null, ...base });
  if (!event.orgChains) return;
  const memberships = await tx.membership.findMany({ where: { userId }, select: { orgId: true }, orderBy: { orgId: "asc" } });
  for (const { orgId } of memberships) await recordAudit(tx, actor, { orgId, ...base });
}
