// Reads about budgets for the portal, through the caller's own membership.
import "server-only";
import { db } from "../db";
import { AppError } from "../errors";
import { can } from "../permissions";
import type { OrgMembership } from "../orgs/queries";
import { budgetStatus, type BudgetStatus } from "./budgets";
import { monthOf } from "./budget-math";

/** The budgets page: this month's status of every budget, this month's alerts and the projects to choose from. */
export async function budgetOverview(membership: OrgMembership, now = new Date()) {
  if (!can(membership.role, "budgets.view")) throw new AppError("errors.forbidden");
  const orgId = membership.org.id;
  const month = monthOf(now);
  const [budgets, alerts, projects] = await Promise.all([
    budgetStatus(orgId, now),
    db.budgetAlert.findMany({
      where: { month: month.start, budget: { orgId } },
      select: { id: true, threshold: true, kind: true, spentOre: true, createdAt: true, budget: { select: { project: true } } },
      orderBy: { createdAt: "desc" },
    }),
    db.workbench.findMany({ where: { orgId }, select: { project: true }, distinct: ["project"], orderBy: { project: "asc" } }),
  ]);
  return {
    month,
    budgets,
    alerts: alerts.map((a) => ({ id: a.id, project: a.budget.project, threshold: a.threshold, kind: a.kind, spentOre: Number(a.spentOre), at: a.createdAt })),
    projects: projects.map((p) => p.project).filter((p) => p !== ""),
  };
}

/**
 * What the portal banner shows: every member learns of an active hard stop (it blocks their
 * launches); those who may view budgets also see budgets at 80 % or more, actual or forecast.
 */
export async function budgetBanner(membership: OrgMembership, now = new Date()): Promise<{ blocked: BudgetStatus[]; warnings: BudgetStatus[] }> {
  const statuses = await budgetStatus(membership.org.id, now);
  const blocked = statuses.filter((s) => s.blocked);
  const warnings = can(membership.role, "budgets.view") ? statuses.filter((s) => !s.blocked && s.state !== "ok") : [];
  return { blocked, warnings };
}
