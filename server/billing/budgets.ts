// Monthly budgets: spend of the month from the hourly rollups, a linear forecast, alerts at 80 % and
// 100 % (once each, by e-mail and audited as the system) and the hard stop that refuses new launches.
//
// Money: compute cost is the exact sum of reserved seconds x price per hour / 3600, rounded half up
// once per aggregate (a budget's scope); storage is its gigabyte-hours x the storage price.
import "server-only";
import { Prisma } from "@/generated/prisma/client";
import { formatNok } from "@/components/format";
import { db, type Tx } from "../db";
import { serverEnv } from "../env";
import { AppError } from "../errors";
import { PERMISSIONS } from "../permissions";
import { recordAudit, type AuditActor } from "../audit/record";
import { deliverSoon, enqueueEmail } from "../email/outbox";
import { budgetAlertMessage } from "../email/templates";
import { isLocale, translator, type Locale, type Translate } from "../i18n/locales";
import { lineNetOre, pricedSecondsToOre, sumDecimals } from "./money";
import { STORAGE_ORE_PER_GB_HOUR } from "./supplier";
import { alertSeverity, budgetState, forecastOre, monthOf, percentOf, reachedAlerts, type BudgetState } from "./budget-math";

export const BUDGET_ACTOR: AuditActor = { actorId: null, actorLabel: "system:budgets", ip: "127.0.0.1", userAgent: "portal-worker" };

type Sql = Pick<Tx, "$queryRaw">;

export interface MonthSpend {
  computeOre: number;
  storageOre: number;
  totalOre: number;
}

export interface BudgetStatus {
  id: string;
  /** "" for the whole organisation. */
  project: string;
  monthlyOre: number;
  hardStop: boolean;
  spentOre: number;
  /** Null until 24 hours of the month have passed. */
  forecastOre: number | null;
  percent: number;
  forecastPercent: number | null;
  state: BudgetState;
  /** Hard stop on and the budget used up: new launches in its scope are refused. */
  blocked: boolean;
}

type ProjectSums = Array<{ project: string; priced: string; gbh: string }>;

/** Exact per-project sums of priced seconds and storage GB-hours in [start, end). */
async function projectSums(client: Sql, orgId: string, start: Date, end: Date, project?: string): Promise<ProjectSums> {
  return client.$queryRaw<ProjectSums>`
    SELECT project, COALESCE(sum(reserved_seconds * price_per_hour_ore), 0)::text AS priced, COALESCE(sum(storage_gb_hours), 0)::text AS gbh
    FROM usage_hourly
    WHERE org_id = ${orgId} AND hour >= ${start} AND hour < ${end} ${project ? Prisma.sql`AND project = ${project}` : Prisma.empty}
    GROUP BY project`;
}

/** Cost of a scope (all rows given), rounded once for compute and once for storage. */
function spendOf(rows: ProjectSums): MonthSpend {
  const computeOre = pricedSecondsToOre(sumDecimals(rows.map((r) => r.priced)));
  const storageOre = lineNetOre(sumDecimals(rows.map((r) => r.gbh)), STORAGE_ORE_PER_GB_HOUR);
  return { computeOre, storageOre, totalOre: computeOre + storageOre };
}

const inScope = (rows: ProjectSums, project: string) => (project ? rows.filter((r) => r.project === project) : rows);

/** Spend of the UTC month containing `month`, for the organisation or one of its projects. */
export async function monthSpend(orgId: string, month: Date, project?: string, client: Sql = db): Promise<MonthSpend> {
  const { start, end } = monthOf(month);
  return spendOf(await projectSums(client, orgId, start, end, project || undefined));
}

function statusOf(budget: { id: string; project: string; monthlyOre: bigint; hardStop: boolean }, rows: ProjectSums, now: Date): BudgetStatus {
  const monthlyOre = Number(budget.monthlyOre);
  const spentOre = spendOf(inScope(rows, budget.project)).totalOre;
  const forecast = forecastOre(spentOre, now);
  return {
    id: budget.id,
    project: budget.project,
    monthlyOre,
    hardStop: budget.hardStop,
    spentOre,
    forecastOre: forecast,
    percent: percentOf(spentOre, monthlyOre),
    forecastPercent: forecast === null ? null : percentOf(forecast, monthlyOre),
    state: budgetState(spentOre, forecast, monthlyOre),
    blocked: budget.hardStop && spentOre >= monthlyOre,
  };
}

/** Every budget of the organisation with this month's spend, forecast and state; the organisation-wide one first. */
export async function budgetStatus(orgId: string, now = new Date(), client: Pick<Tx, "$queryRaw" | "budget"> = db): Promise<BudgetStatus[]> {
  const budgets = await client.budget.findMany({ where: { orgId }, orderBy: { project: "asc" } });
  if (budgets.length === 0) return [];
  const { start, end } = monthOf(now);
  const rows = await projectSums(client, orgId, start, end);
  return budgets.map((b) => statusOf(b, rows, now));
}

/** How a budget's scope reads inside a sentence ("the whole organisation", "project Radiology AI"). */
export function scopePhrase(t: Translate, project: string): string {
  return project ? t("budgets.scope.project", { project }) : t("budgets.scope.org");
}

/**
 * Refuses a launch (or a start) in `project` when a budget that covers it, the organisation's or the
 * project's, has a hard stop and this month's actual spend has reached it. Says which budget, how
 * much is spent and who can raise it.
 */
export async function assertWithinBudget(tx: Tx, orgId: string, project: string, locale: Locale = "en", now = new Date()): Promise<void> {
  const budgets = await tx.budget.findMany({ where: { orgId, hardStop: true, project: { in: ["", project] } }, orderBy: { project: "asc" } });
  if (budgets.length === 0) return;
  const { start, end } = monthOf(now);
  const rows = await projectSums(tx, orgId, start, end);
  for (const budget of budgets) {
    const status = statusOf(budget, rows, now);
    if (!status.blocked) continue;
    const t = translator(locale);
    throw new AppError("errors.budgetExhausted", undefined, {
      scope: scopePhrase(t, budget.project),
      spent: formatNok(status.spentOre, locale),
      budget: formatNok(status.monthlyOre, locale),
    });
  }
}

/** Roles that hear about budgets: those who may manage them. */
export const BUDGET_RECIPIENT_ROLES = PERMISSIONS["budgets.manage"].roles;

/**
 * For the worker: records each alert (80 %, 100 %; actual and forecast) a budget has reached this
 * month, once (the unique key makes concurrent runs safe), audits it, and e-mails the organisation's
 * owners, admins and procurement officers, each in their language. When several alerts of one budget
 * are new at the same time, one e-mail tells the most severe.
 */
export async function checkBudgets(now = new Date()): Promise<{ alerts: number; emails: number }> {
  const month = monthOf(now).start;
  const orgIds = (await db.budget.findMany({ select: { orgId: true }, distinct: ["orgId"] })).map((b) => b.orgId);
  const baseUrl = (serverEnv().PUBLIC_URL ?? "http://localhost:3000").replace(/\/$/, "");
  let alerts = 0;
  let emails = 0;
  for (const orgId of orgIds) {
    const statuses = await budgetStatus(orgId, now);
    const existing = await db.budgetAlert.findMany({ where: { month, budgetId: { in: statuses.map((s) => s.id) } }, select: { budgetId: true, threshold: true, kind: true } });
    const sent = new Set(existing.map((a) => `${a.budgetId}:${a.threshold}:${a.kind}`));
    for (const status of statuses) {
      const due = reachedAlerts(status.spentOre, status.forecastOre, status.monthlyOre).filter((a) => !sent.has(`${status.id}:${a.threshold}:${a.kind}`));
      if (due.length === 0) continue;
      try {
        const result = await db.$transaction(async (tx) => {
          const created = await tx.budgetAlert.createManyAndReturn({
            data: due.map((a) => ({ budgetId: status.id, month, threshold: a.threshold, kind: a.kind, spentOre: BigInt(status.spentOre) })),
            skipDuplicates: true,
          });
          if (created.length === 0) return { alerts: 0, emails: 0 };
          for (const alert of created) {
            await recordAudit(tx, BUDGET_ACTOR, {
              orgId,
              action: "budget.alert",
              targetType: "budget",
              targetId: status.id,
              details: {
                project: status.project,
                month: month.toISOString().slice(0, 7),
                threshold: alert.threshold,
                kind: alert.kind,
                spentOre: status.spentOre,
                forecastOre: status.forecastOre,
                monthlyOre: status.monthlyOre,
              },
            });
          }
          const top = [...created].sort((a, b) => alertSeverity(b) - alertSeverity(a))[0]!;
          const org = await tx.organization.findUniqueOrThrow({ where: { id: orgId }, select: { name: true, slug: true } });
          const recipients = await tx.membership.findMany({
            where: { orgId, role: { in: [...BUDGET_RECIPIENT_ROLES] } },
            select: { user: { select: { email: true, locale: true } } },
          });
          for (const { user } of recipients) {
            const locale: Locale = isLocale(user.locale) ? user.locale : "en";
            const message = budgetAlertMessage(
              locale,
              user.email,
              {
                org: org.name,
                scope: scopePhrase(translator(locale), status.project),
                threshold: top.threshold,
                kind: top.kind === "ACTUAL" ? "actual" : "forecast",
                spentOre: status.spentOre,
                budgetOre: status.monthlyOre,
              },
              `${baseUrl}/${org.slug}/budgets`,
            );
            await enqueueEmail(tx, message);
          }
          return { alerts: created.length, emails: recipients.length };
        });
        alerts += result.alerts;
        emails += result.emails;
      } catch (error) {
        // A budget deleted meanwhile, or a passing database error: the next run tries again.
        console.error("[budgets] could not record an alert", { budgetId: status.id, error: String(error).slice(0, 300) });
      }
    }
  }
  if (emails > 0) deliverSoon();
  return { alerts, emails };
}
