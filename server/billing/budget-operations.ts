// Setting and removing monthly budgets: authorised through the permission table and audited with the
// values before and after, in one transaction.
import "server-only";
import { z } from "zod";
import { AppError } from "../errors";
import { recordAudit } from "../audit/record";
import { defineOrgOperation } from "../actions/define";
import { idField } from "../validation/fields";
import { budgetStatus } from "./budgets";
import { monthOf, parseNokAmount, reachedAlerts } from "./budget-math";

/** A project name as launches accept it; empty means the whole organisation. */
const projectField = z
  .string({ error: "errors.invalidValue" })
  .trim()
  .max(40, "errors.tooLong")
  .regex(/^[\p{L}\p{N} ._-]*$/u, "errors.invalidValue")
  .optional()
  .transform((v) => v ?? "");

/** The monthly amount in NOK as typed: positive, at most two decimals, at most NOK 100 million. */
const amountField = z
  .string({ error: "errors.budgetAmountInvalid" })
  .trim()
  .min(1, "errors.required")
  .max(40, "errors.budgetAmountInvalid")
  .transform((text, ctx) => {
    const parsed = parseNokAmount(text);
    if (!parsed.ok) {
      ctx.addIssue({ code: "custom", message: parsed.error });
      return z.NEVER;
    }
    return parsed.ore;
  });

/** A checkbox: "on" when ticked, absent when not. */
const checkboxField = z
  .union([z.boolean(), z.enum(["on", "true", "false", ""])], { error: "errors.invalidValue" })
  .optional()
  .transform((v) => v === true || v === "on" || v === "true");

export const setBudgetSchema = z.object({ orgId: idField, project: projectField, amount: amountField, hardStop: checkboxField });
export const deleteBudgetSchema = z.object({ orgId: idField, budgetId: idField });

/** Creates or changes the monthly budget of the organisation (no project) or of one project. */
export const setBudget = defineOrgOperation({
  name: "budget.set",
  permission: "budgets.manage",
  schema: setBudgetSchema,
  async handler(ctx, input) {
    // One writer per organisation's budgets at a time, so "before" is what was really replaced.
    await ctx.tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtextextended(${`budget:${ctx.org.id}`}, 13))`;
    const before = await ctx.tx.budget.findUnique({ where: { orgId_project: { orgId: ctx.org.id, project: input.project } } });
    const data = { monthlyOre: BigInt(input.amount), hardStop: input.hardStop };
    const budget = before
      ? await ctx.tx.budget.update({ where: { id: before.id }, data })
      : await ctx.tx.budget.create({ data: { orgId: ctx.org.id, project: input.project, ...data } });

    // A changed amount re-arms this month's alerts it no longer reaches, so they fire again if it is reached.
    let alertsReset = 0;
    if (before && before.monthlyOre !== budget.monthlyOre) {
      const now = new Date();
      const status = (await budgetStatus(ctx.org.id, now, ctx.tx)).find((s) => s.id === budget.id);
      const still = new Set(status ? reachedAlerts(status.spentOre, status.forecastOre, status.monthlyOre).map((a) => `${a.threshold}:${a.kind}`) : []);
      const current = await ctx.tx.budgetAlert.findMany({ where: { budgetId: budget.id, month: monthOf(now).start } });
      const stale = current.filter((a) => !still.has(`${a.threshold}:${a.kind}`)).map((a) => a.id);
      if (stale.length > 0) alertsReset = (await ctx.tx.budgetAlert.deleteMany({ where: { id: { in: stale } } })).count;
    }

    await recordAudit(ctx.tx, ctx.actor, {
      orgId: ctx.org.id,
      action: "budget.set",
      targetType: "budget",
      targetId: budget.id,
      details: {
        project: budget.project,
        before: before ? { monthlyOre: Number(before.monthlyOre), hardStop: before.hardStop } : null,
        after: { monthlyOre: Number(budget.monthlyOre), hardStop: budget.hardStop },
        ...(alertsReset > 0 ? { alertsReset } : {}),
      },
    });
    return { budgetId: budget.id, created: !before };
  },
});

/** Removes a budget (and its alerts); its hard stop ends with it. */
export const deleteBudget = defineOrgOperation({
  name: "budget.delete",
  permission: "budgets.manage",
  schema: deleteBudgetSchema,
  async handler(ctx, input) {
    const budget = await ctx.tx.budget.findFirst({ where: { id: input.budgetId, orgId: ctx.org.id } });
    if (!budget) throw new AppError("errors.notFound");
    await ctx.tx.budget.delete({ where: { id: budget.id } });
    await recordAudit(ctx.tx, ctx.actor, {
      orgId: ctx.org.id,
      action: "budget.deleted",
      targetType: "budget",
      targetId: budget.id,
      details: { project: budget.project, before: { monthlyOre: Number(budget.monthlyOre), hardStop: budget.hardStop }, after: null },
    });
    return { budgetId: budget.id };
  },
});
