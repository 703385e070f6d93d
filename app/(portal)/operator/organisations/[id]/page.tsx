import Link from "@/components/ui/link";
import { notFound } from "next/navigation";
import type { Metadata } from "next";
import { getT } from "@/server/i18n/server";
import { requestMeta } from "@/server/auth/session";
import { AppError } from "@/server/errors";
import { operatorContext } from "@/server/operator/context";
import { organisationForOperator } from "@/server/operator/queries";
import { changeOrgStatusAction, setOrgLimitsAction } from "@/server/operator/operator-actions";
import { SHAPES, REGIONS } from "@/control-plane/catalogue";
import { PortalShell } from "@/components/shell/portal-shell";
import { Badge, Card, Notice, PageHeader } from "@/components/ui/card";
import { ActionForm, Field, SelectField, SubmitButton } from "@/components/forms/action-form";
import { formatNok } from "@/components/format";
import { formatMomentDate } from "@/components/invoices/format";

export async function generateMetadata(): Promise<Metadata> {
  return { title: (await getT())("operator.orgs.title") };
}

const NEXT: Record<string, Array<"approve" | "reject" | "suspend" | "reactivate">> = {
  PENDING_APPROVAL: ["approve", "reject"],
  REJECTED: ["approve"],
  ACTIVE: ["suspend"],
  SUSPENDED: ["reactivate"],
};

export default async function OperatorOrganisation({ params }: { params: Promise<{ id: string }> }) {
  const { t, locale, path, user, orgs } = await operatorContext();
  const { id } = await params;
  if (!/^[A-Za-z0-9_-]{1,64}$/.test(id)) notFound();
  const data = await organisationForOperator(user.userId, id, await requestMeta(), user.email).catch((error: unknown) => {
    if (error instanceof AppError) notFound();
    throw error;
  });
  const { org, workbenches, invoices } = data;
  const transitions = NEXT[org.status] ?? [];
  const dpa = org.dpaAcceptances[0];
  const regionName = (rid: string) => REGIONS.find((r) => r.id === rid)?.name ?? rid;
  return (
    <PortalShell t={t} locale={locale} path={path} user={user} orgs={orgs} operator area="operator">
      <PageHeader title={org.name} description={t("operator.orgs.detailLead")} />
      <div className="mb-4 flex flex-wrap gap-2 text-sm">
        <Badge tone={org.status === "ACTIVE" ? "success" : org.status === "PENDING_APPROVAL" ? "warning" : "error"}>{t(`org.status.${org.status}`)}</Badge>
        <span>{t("operator.orgs.orgNumber")}: {org.orgNumber}</span>
        <span>· {t(`sectors.${org.sector}`)}</span>
        <span>· {dpa ? t("operator.orgs.dpa", { version: dpa.version, date: formatMomentDate(dpa.acceptedAt.toISOString(), locale) }) : t("operator.orgs.noDpa")}</span>
      </div>
      {org.statusReason ? <Notice tone="info">{t("operator.orgs.currentReason", { reason: org.statusReason })}</Notice> : null}

      <div className="mt-4 grid gap-6 lg:grid-cols-2">
        <Card>
          <h2 className="text-lg font-semibold">{t("operator.orgs.decide")}</h2>
          {transitions.length === 0 ? (
            <p className="mt-2 text-sm">{t("operator.orgs.noTransition")}</p>
          ) : (
            <ActionForm action={changeOrgStatusAction} hidden={{ orgId: org.id }} className="mt-3" label={t("operator.orgs.decide")}>
              <SelectField
                name="transition"
                label={t("operator.orgs.transition")}
                options={transitions.map((tr) => ({ value: tr, label: t(`operator.orgs.${tr}`) }))}
                defaultValue={transitions[0]}
                required
              />
              <Field name="reason" label={t("operator.orgs.reason")} maxLength={1000} />
              <SubmitButton pendingLabel={t("common.working")}>{t("operator.orgs.apply_")}</SubmitButton>
            </ActionForm>
          )}
        </Card>

        <Card>
          <h2 className="text-lg font-semibold">{t("operator.orgs.limits")}</h2>
          <ActionForm action={setOrgLimitsAction} hidden={{ orgId: org.id }} className="mt-3" resetOnSuccess={false} label={t("operator.orgs.limits")}>
            <Field name="gpuQuota" label={t("operator.orgs.quota")} inputMode="numeric" defaultValue={String(org.gpuQuota)} required />
            <fieldset>
              <legend className="mb-1 text-sm font-medium">{t("operator.orgs.shapesLegend")}</legend>
              <div className="flex items-center gap-2">
                <input id="all-shapes" type="checkbox" name="allShapes" value="1" defaultChecked={org.allowedShapes.length === 0} className="size-4 accent-brand-700" />
                <label htmlFor="all-shapes" className="text-sm">{t("operator.orgs.allShapes")}</label>
              </div>
              <ul className="mt-2 grid gap-1 sm:grid-cols-2">
                {SHAPES.map((s) => (
                  <li key={s.id} className="flex items-center gap-2">
                    <input id={`shape-${s.id}`} type="checkbox" name="shapes" value={s.id} defaultChecked={org.allowedShapes.includes(s.id)} className="size-4 accent-brand-700" />
                    <label htmlFor={`shape-${s.id}`} className="text-sm">{s.name} <span className="text-slate-600 dark:text-slate-400">({s.id})</span></label>
                  </li>
                ))}
              </ul>
            </fieldset>
            <SubmitButton pendingLabel={t("common.working")}>{t("operator.orgs.save")}</SubmitButton>
          </ActionForm>
        </Card>
      </div>

      <Card className="mt-6">
        <h2 className="text-lg font-semibold">{t("operator.orgs.membersTitle")}</h2>
        <table className="mt-2 w-full text-left text-sm">
          <caption className="sr-only">{t("operator.orgs.membersTitle")}</caption>
          <thead>
            <tr className="border-b border-slate-200 dark:border-slate-700">
              <th scope="col" className="py-2 pr-3">{t("operator.orgs.name")}</th>
              <th scope="col" className="py-2 pr-3">{t("operator.orgs.email")}</th>
              <th scope="col" className="py-2">{t("operator.orgs.role")}</th>
            </tr>
          </thead>
          <tbody>
            {org.memberships.map((m) => (
              <tr key={m.id} className="border-b border-slate-100 dark:border-slate-800">
                <th scope="row" className="py-2 pr-3 font-medium">{m.user.name}</th>
                <td className="py-2 pr-3">{m.user.email}</td>
                <td className="py-2">{t(`roles.${m.role}`)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </Card>

      <div className="mt-6 grid gap-6 lg:grid-cols-2">
        <Card>
          <h2 className="text-lg font-semibold">{t("operator.orgs.notebooksTitle")}</h2>
          {workbenches.length === 0 ? (
            <p className="mt-2 text-sm">{t("operator.orgs.noNotebooks")}</p>
          ) : (
            <table className="mt-2 w-full text-left text-sm">
              <caption className="sr-only">{t("operator.orgs.notebooksTitle")}</caption>
              <thead>
                <tr className="border-b border-slate-200 dark:border-slate-700">
                  <th scope="col" className="py-2 pr-3">{t("operator.orgs.name")}</th>
                  <th scope="col" className="py-2 pr-3">{t("operator.orgs.shape")}</th>
                  <th scope="col" className="py-2 pr-3">{t("operator.orgs.region")}</th>
                  <th scope="col" className="py-2">{t("operator.orgs.wbStatus")}</th>
                </tr>
              </thead>
              <tbody>
                {workbenches.map((w) => (
                  <tr key={w.id} className="border-b border-slate-100 dark:border-slate-800">
                    <th scope="row" className="py-2 pr-3 font-medium">{w.displayName}</th>
                    <td className="py-2 pr-3">{w.shapeId}</td>
                    <td className="py-2 pr-3">{regionName(w.regionId)}</td>
                    <td className="py-2">{w.status}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
        </Card>
        <Card>
          <h2 className="text-lg font-semibold">{t("operator.orgs.invoicesTitle")}</h2>
          {invoices.length === 0 ? (
            <p className="mt-2 text-sm">{t("operator.orgs.noInvoices")}</p>
          ) : (
            <table className="mt-2 w-full text-left text-sm">
              <caption className="sr-only">{t("operator.orgs.invoicesTitle")}</caption>
              <thead>
                <tr className="border-b border-slate-200 dark:border-slate-700">
                  <th scope="col" className="py-2 pr-3">{t("operator.orgs.number")}</th>
                  <th scope="col" className="py-2 pr-3">{t("operator.orgs.period")}</th>
                  <th scope="col" className="py-2 pr-3">{t("operator.orgs.status")}</th>
                  <th scope="col" className="py-2 text-right">{t("operator.orgs.total")}</th>
                </tr>
              </thead>
              <tbody>
                {invoices.map((i) => (
                  <tr key={i.id} className="border-b border-slate-100 dark:border-slate-800">
                    <th scope="row" className="py-2 pr-3 font-medium tabular-nums">
                      {i.number ?? "—"}
                      {i.disputes.length ? <Link href="/operator/billing" className="ml-2 text-xs">({t("operator.orgs.openDispute")})</Link> : null}
                    </th>
                    <td className="py-2 pr-3">{i.periodStart.toISOString().slice(0, 7)}</td>
                    <td className="py-2 pr-3">{t(`invoices.status.${i.status}` as never)}</td>
                    <td className="py-2 text-right tabular-nums">{formatNok(Number(i.totalOre), locale)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
        </Card>
      </div>
    </PortalShell>
  );
}
