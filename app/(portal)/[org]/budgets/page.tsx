import type { Metadata } from "next";
import clsx from "clsx";
import { orgPageContext } from "@/server/portal-context";
import { getT } from "@/server/i18n/server";
import { can } from "@/server/permissions";
import { budgetOverview } from "@/server/billing/budget-queries";
import { oreToAmountInput } from "@/server/billing/budget-math";
import { deleteBudgetAction, setBudgetAction } from "@/server/billing/budget-actions";
import type { Translate } from "@/server/i18n/locales";
import { Badge, Card, PageHeader } from "@/components/ui/card";
import { ActionForm, CheckboxField, Field, SelectField, SubmitButton } from "@/components/forms/action-form";
import { ConfirmAction } from "@/components/forms/confirm-action";
import { formatDateTime, formatNok, formatNumber } from "@/components/format";

export async function generateMetadata(): Promise<Metadata> {
  return { title: (await getT())("budgets.title") };
}

const scopeLabel = (t: Translate, project: string) => (project ? t("budgets.scopeLabel.project", { project }) : t("budgets.scopeLabel.org"));
const scopePhrase = (t: Translate, project: string) => (project ? t("budgets.scope.project", { project }) : t("budgets.scope.org"));

const STATE_TONE = { ok: "success", warning: "warning", exceeded: "error" } as const;
const BAR_COLOUR = { ok: "bg-emerald-600 dark:bg-emerald-400", warning: "bg-amber-500 dark:bg-amber-300", exceeded: "bg-red-700 dark:bg-red-400" } as const;

export default async function BudgetsPage({ params }: { params: Promise<{ org: string }> }) {
  const { org } = await params;
  const { t, membership, locale } = await orgPageContext(org, "budgets.view");
  const orgId = membership.org.id;
  const canManage = can(membership.role, "budgets.manage");
  const overview = await budgetOverview(membership);
  const monthName = new Intl.DateTimeFormat(locale === "nb" ? "nb-NO" : "en-GB", { month: "long", year: "numeric", timeZone: "UTC" }).format(overview.month.start);
  const orgBudget = overview.budgets.find((b) => b.project === "");
  const percent = (value: number) => formatNumber(value, locale, 1);
  const hardStopLabel = (
    <>
      {t("budgets.hardStop")}
      <span className="block text-xs text-slate-600 dark:text-slate-300">{t("budgets.hardStopHint")}</span>
    </>
  );

  return (
    <>
      <PageHeader title={t("budgets.title")} description={t("budgets.lead")} />
      <Card>
        <h2 className="text-lg font-semibold">{t("budgets.thisMonth", { month: monthName })}</h2>
        {overview.budgets.length === 0 ? (
          <p className="mt-3 text-sm">{t("budgets.none")}</p>
        ) : (
          <div className="mt-3 overflow-x-auto">
            <table className="w-full min-w-[52rem] text-left text-sm" data-testid="budgets-table">
              <caption className="sr-only">{t("budgets.caption")}</caption>
              <thead>
                <tr className="border-b border-slate-300 dark:border-slate-700">
                  <th scope="col" className="py-2 pr-3">{t("budgets.scopeColumn")}</th>
                  <th scope="col" className="py-2 pr-3 text-right">{t("budgets.monthly")}</th>
                  <th scope="col" className="py-2 pr-3 text-right">{t("budgets.spent")}</th>
                  <th scope="col" className="py-2 pr-3 text-right">{t("budgets.forecast")}</th>
                  <th scope="col" className="py-2 pr-3">{t("budgets.used")}</th>
                  <th scope="col" className="py-2 pr-3">{t("budgets.hardStopColumn")}</th>
                  {canManage ? <th scope="col" className="py-2"><span className="sr-only">{t("common.actions")}</span></th> : null}
                </tr>
              </thead>
              <tbody>
                {overview.budgets.map((b) => (
                  <tr key={b.id} className="border-b border-slate-200 align-top dark:border-slate-800" data-testid={`budget-${b.project || "org"}`}>
                    <th scope="row" className="py-2 pr-3 font-medium">{scopeLabel(t, b.project)}</th>
                    <td className="py-2 pr-3 text-right tabular-nums">{formatNok(b.monthlyOre, locale)}</td>
                    <td className="py-2 pr-3 text-right tabular-nums">{formatNok(b.spentOre, locale)}</td>
                    <td className="py-2 pr-3 text-right tabular-nums">
                      {b.forecastOre === null ? (
                        <span className="text-slate-600 dark:text-slate-300">{t("budgets.noForecast")}</span>
                      ) : (
                        <>
                          {formatNok(b.forecastOre, locale)}
                          <span className="block text-xs text-slate-600 dark:text-slate-300">{t("budgets.forecastPercent", { percent: percent(b.forecastPercent ?? 0) })}</span>
                        </>
                      )}
                    </td>
                    <td className="py-2 pr-3">
                      <div className="flex items-center gap-2">
                        <div aria-hidden="true" className="h-2 w-24 shrink-0 overflow-hidden rounded-full bg-slate-200 dark:bg-slate-700">
                          <div className={clsx("h-2 rounded-full", BAR_COLOUR[b.state])} style={{ width: `${Math.min(100, b.percent)}%` }} />
                        </div>
                        <span className="tabular-nums">{t("budgets.percentUsed", { percent: percent(b.percent) })}</span>
                      </div>
                      <div className="mt-1 flex flex-wrap gap-1">
                        <Badge tone={STATE_TONE[b.state]}>{t(`budgets.state.${b.state}`)}</Badge>
                        {b.blocked ? <Badge tone="error">{t("budgets.blockedBadge")}</Badge> : null}
                      </div>
                    </td>
                    <td className="py-2 pr-3">{b.hardStop ? t("budgets.hardStopOn") : t("budgets.hardStopOff")}</td>
                    {canManage ? (
                      <td className="py-2 text-right">
                        <ConfirmAction
                          action={deleteBudgetAction}
                          hidden={{ orgId, budgetId: b.id }}
                          trigger={<>{t("budgets.delete")}<span className="sr-only"> {scopeLabel(t, b.project)}</span></>}
                          title={t("budgets.deleteTitle", { scope: scopePhrase(t, b.project) })}
                          description={t("budgets.deleteBody")}
                          confirmLabel={t("budgets.delete")}
                          cancelLabel={t("common.cancel")}
                        />
                      </td>
                    ) : null}
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
        <p className="mt-3 max-w-3xl text-xs text-slate-600 dark:text-slate-300">{t("budgets.forecastNote")}</p>
      </Card>

      {canManage ? (
        <div className="mt-6 grid gap-6 lg:grid-cols-2">
          <Card>
            <h2 className="text-lg font-semibold">{t("budgets.orgBudget")}</h2>
            <p className="mt-1 text-sm text-slate-700 dark:text-slate-300">{t("budgets.orgBudgetLead")}</p>
            <ActionForm action={setBudgetAction} hidden={{ orgId, project: "" }} className="mt-4" resetOnSuccess={false} label={t("budgets.orgBudget")}>
              <Field name="amount" label={t("budgets.amount")} hint={t("budgets.amountHint")} defaultValue={orgBudget ? oreToAmountInput(orgBudget.monthlyOre) : ""} required maxLength={40} />
              <CheckboxField name="hardStop" label={hardStopLabel} defaultChecked={orgBudget?.hardStop ?? false} />
              <SubmitButton pendingLabel={t("common.working")}>{t("budgets.save")}</SubmitButton>
            </ActionForm>
          </Card>
          <Card>
            <h2 className="text-lg font-semibold">{t("budgets.projectBudget")}</h2>
            <p className="mt-1 text-sm text-slate-700 dark:text-slate-300">{t("budgets.projectBudgetLead")}</p>
            {overview.projects.length === 0 ? (
              <p className="mt-4 text-sm">{t("budgets.noProjects")}</p>
            ) : (
              <ActionForm action={setBudgetAction} hidden={{ orgId }} className="mt-4" label={t("budgets.projectBudget")}>
                <SelectField name="project" label={t("budgets.project")} options={overview.projects.map((p) => ({ value: p, label: p }))} required />
                <Field name="amount" label={t("budgets.amount")} hint={t("budgets.amountHint")} required maxLength={40} />
                <CheckboxField name="hardStop" label={hardStopLabel} />
                <SubmitButton pendingLabel={t("common.working")}>{t("budgets.save")}</SubmitButton>
              </ActionForm>
            )}
          </Card>
        </div>
      ) : null}

      <Card className="mt-6">
        <h2 className="text-lg font-semibold">{t("budgets.alertsTitle")}</h2>
        {overview.alerts.length === 0 ? (
          <p className="mt-3 text-sm">{t("budgets.noAlerts")}</p>
        ) : (
          <div className="mt-3 overflow-x-auto">
            <table className="w-full min-w-[40rem] text-left text-sm" data-testid="budget-alerts">
              <caption className="sr-only">{t("budgets.alertsTitle")}</caption>
              <thead>
                <tr className="border-b border-slate-300 dark:border-slate-700">
                  <th scope="col" className="py-2 pr-3">{t("budgets.alertAt")}</th>
                  <th scope="col" className="py-2 pr-3">{t("budgets.scopeColumn")}</th>
                  <th scope="col" className="py-2 pr-3">{t("budgets.alertWhat")}</th>
                  <th scope="col" className="py-2 text-right">{t("budgets.alertSpent")}</th>
                </tr>
              </thead>
              <tbody>
                {overview.alerts.map((a) => (
                  <tr key={a.id} className="border-b border-slate-200 dark:border-slate-800">
                    <td className="py-2 pr-3 whitespace-nowrap">{formatDateTime(a.at, locale)}</td>
                    <td className="py-2 pr-3">{scopeLabel(t, a.project)}</td>
                    <td className="py-2 pr-3">{t(`budgets.alert.${a.kind}`, { threshold: a.threshold })}</td>
                    <td className="py-2 text-right tabular-nums">{formatNok(a.spentOre, locale)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
      </Card>
    </>
  );
}
