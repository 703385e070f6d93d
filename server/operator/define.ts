// Operator operations: parse the input, load the caller's platform role from the database inside the
// transaction, refuse everybody but operators (audited on the platform chain), and run the handler,
// which audits what it did in the affected organisation's chain (so that organisation's admins see it).
import "server-only";
import type { z } from "zod";
import { db, type Tx } from "../db";
import { AppError } from "../errors";
import { recordAudit, type AuditActor, type AuditEntry } from "../audit/record";
import { parseInput } from "../validation/parse";
import { toFailure, type ActionResult, type Caller } from "../actions/define";
import { clearAccessCaches } from "../cache/ttl";

export interface OperatorContext {
  tx: Tx;
  caller: Caller;
  actor: AuditActor;
  operator: { id: string; email: string; name: string };
  /** Audits an operator action; `orgId` puts it in that organisation's chain (null: the platform chain). */
  audit(entry: AuditEntry): Promise<void>;
}

export interface OperatorOperation<S extends z.ZodType, T> {
  name: string;
  schema: S;
  run(caller: Caller, raw: unknown): Promise<ActionResult<T>>;
}

export function defineOperatorOperation<S extends z.ZodType, T>(def: {
  name: string;
  schema: S;
  handler: (ctx: OperatorContext, input: z.infer<S>) => Promise<T>;
}): OperatorOperation<S, T> {
  return {
    name: def.name,
    schema: def.schema,
    async run(caller, raw) {
      let input: z.infer<S>;
      try {
        input = parseInput(def.schema, raw);
      } catch (error) {
        return toFailure(error);
      }
      try {
        const data = await db.$transaction(async (tx) => {
          const user = await tx.user.findUnique({ where: { id: caller.userId }, select: { id: true, email: true, name: true, platformRole: true } });
          if (!user || user.platformRole !== "OPERATOR") throw new AppError("errors.forbidden");
          const actor: AuditActor = { actorId: user.id, actorLabel: `operator:${user.email}`, ip: caller.meta.ip, userAgent: caller.meta.userAgent };
          return def.handler({ tx, caller, actor, operator: user, audit: (entry) => recordAudit(tx, actor, entry) }, input);
        });
        clearAccessCaches();
        return { ok: true, data };
      } catch (error) {
        if (error instanceof AppError && error.code === "errors.forbidden") {
          await db
            .$transaction((tx) =>
              recordAudit(tx, { actorId: caller.userId, actorLabel: caller.userId, ip: caller.meta.ip, userAgent: caller.meta.userAgent }, { orgId: null, action: def.name, outcome: "DENIED", details: { reason: "not an operator" } }),
            )
            .catch((e: unknown) => console.error("[audit] could not record a denied operator attempt", e));
        }
        return toFailure(error);
      }
    },
  };
}
