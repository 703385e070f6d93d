// Organisation-scoped operations: parse input, load the caller's membership from the database,
// authorise through the permission table, run in one transaction with its audit events.
// Denied attempts are audited too (outcome DENIED) but change nothing else.
import "server-only";
import type { z } from "zod";
import type { Role, OrgStatus } from "@/generated/prisma/enums";
import { db, type Tx } from "../db";
import { AppError } from "../errors";
import { can, PERMISSIONS, type Permission } from "../permissions";
import { recordAudit, type AuditActor } from "../audit/record";
import { twoFactorGap } from "../auth/two-factor-policy";
import { parseInput } from "../validation/parse";
import { clearAccessCaches } from "../cache/ttl";
import type { RequestMeta } from "../request-meta";
import { isDatabaseUnavailable } from "../db-errors";

/** The signed-in caller, as established by the session. */
export interface Caller {
  userId: string;
  /** The caller's sign-in session (UserSession id); without one, an organisation requiring two-factor refuses. */
  sessionId?: string | undefined;
  meta: RequestMeta;
}

export interface OrgContext {
  tx: Tx;
  caller: Caller;
  actor: AuditActor;
  org: { id: string; slug: string; name: string; status: OrgStatus };
  role: Role;
}

export type ActionResult<T = unknown> =
  | { ok: true; data: T }
  | { ok: false; error: string; fieldErrors?: Record<string, string>; params?: Record<string, string | number> };

export interface OrgOperation<S extends z.ZodType, T> {
  name: string;
  permission: Permission;
  schema: S;
  /** Runs the operation as `caller`; never throws for expected failures. */
  run(caller: Caller, raw: unknown): Promise<ActionResult<T>>;
}

/** Declares an operation on one organisation; the input must carry `orgId`. */
export function defineOrgOperation<S extends z.ZodType<{ orgId: string }>, T>(def: {
  name: string;
  permission: Permission;
  schema: S;
  handler: (ctx: OrgContext, input: z.infer<S>) => Promise<T>;
}): OrgOperation<S, T> {
  return {
    name: def.name,
    permission: def.permission,
    schema: def.schema,
    async run(caller, raw) {
      let input: z.infer<S>;
      try {
        input = parseInput(def.schema, raw);
      } catch (error) {
        return toFailure(error);
      }
      let actorLabel = caller.userId;
      try {
        const data = await db.$transaction(async (tx) => {
          const membership = await tx.membership.findUnique({
            where: { orgId_userId: { orgId: input.orgId, userId: caller.userId } },
            include: { org: { select: { id: true, slug: true, name: true, status: true, requireTotp: true } }, user: { select: { email: true } } },
          });
          if (!membership) throw new AppError("errors.notFound");
          actorLabel = membership.user.email;
          if (!can(membership.role, def.permission, membership.org.status)) {
            const roleAllowed = (PERMISSIONS[def.permission].roles as readonly Role[]).includes(membership.role);
            throw new AppError(roleAllowed ? "errors.orgNotActive" : "errors.forbidden");
          }
          // The organisation requires two-factor authentication: this session must have used it.
          if (membership.org.requireTotp && (await twoFactorGap(tx, caller, membership.org.id))) throw new AppError("errors.twoFactorRequired");
          const actor: AuditActor = { actorId: caller.userId, actorLabel, ip: caller.meta.ip, userAgent: caller.meta.userAgent };
          return def.handler({ tx, caller, actor, org: membership.org, role: membership.role }, input);
        });
        clearAccessCaches();
        return { ok: true, data };
      } catch (error) {
        if (error instanceof AppError && ["errors.forbidden", "errors.orgNotActive", "errors.notFound", "errors.budgetExhausted", "errors.twoFactorRequired"].includes(error.code)) {
          await auditDenied(caller, actorLabel, input.orgId, def.name, error.code);
        }
        return toFailure(error);
      }
    },
  };
}

/** Maps an error to a result; unexpected errors are logged and shown as a generic message. */
export function toFailure(error: unknown): { ok: false; error: string; fieldErrors?: Record<string, string>; params?: Record<string, string | number> } {
  if (error instanceof AppError) {
    const failure = error.fieldErrors ? { ok: false as const, error: error.code, fieldErrors: error.fieldErrors } : { ok: false as const, error: error.code };
    return error.params ? { ...failure, params: error.params } : failure;
  }
  if (isDatabaseUnavailable(error)) return { ok: false, error: "errors.unavailable" };
  console.error("[action] unexpected error", error);
  return { ok: false, error: "errors.unexpected" };
}

async function auditDenied(caller: Caller, actorLabel: string, orgId: string, action: string, reason: string) {
  try {
    const org = await db.organization.findUnique({ where: { id: orgId }, select: { id: true } });
    if (!org) return;
    await db.$transaction((tx) =>
      recordAudit(
        tx,
        { actorId: caller.userId, actorLabel, ip: caller.meta.ip, userAgent: caller.meta.userAgent },
        { orgId: org.id, action, outcome: "DENIED", details: { reason } },
      ),
    );
  } catch (error) {
    console.error("[audit] could not record a denied attempt", error);
  }
}
