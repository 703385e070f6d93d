import Link from "@/components/ui/link";
import type { Metadata } from "next";
import { orgPageContext } from "@/server/portal-context";
import { getT } from "@/server/i18n/server";
import { can } from "@/server/permissions";
import { listInvoices } from "@/server/billing/queries";
import { updateBillingSettingsAction } from "@/server/billing/actions";
import { Card, PageHeader } from "@/components/ui/card";
import { ActionForm, Field, SelectField, SubmitButton } from "@/components/forms/action-form";
import { formatNok } from "@/components/format";
import { formatDay, formatMonth, todayInNorway } from "@/components/invoices/format";
import { InvoiceStatusBadge, invoiceStatusText } from "@/components/invoices/status";
import { getBillingSettings } from "@/server/billing/queries";

export async function generateMetadata(): Promise<Metadata> {
  return { title: (await getT())("nav.invoices") };
}

export default async function InvoicesPage({ params }: { params: Promise<{ org: string }> }) {
  const { org } = await params;
  const { t, membership, locale } = await orgPageContext(org, "invoices.view");
  const canSettings = can(membership.role, "billing.settings");
  const [invoices, settings] = await Promise.all([listInvoices(membership), canSettings ? getBillingSettings(membership) : Promise.resolve(null)]);
  const base = `/${membership.org.slug}/invoices`;
  const today = todayInNorway();

  return (
    <>
      <PageHeader title={t("nav.invoices")} description={t("invoices.lead")} />
      <Card>
        <h2 className="text-lg font-semibold">{t("invoices.listHeading")}</h2>
        {invoices.length === 0 ? (
          <p className="mt-2 text-sm text-slate-700 dark:text-slate-300">{t("invoices.empty")}</p>
        ) : (
          <div className="mt-3 overflow-x-auto">
            <table className="w-full min-w-[56rem] text-left text-sm" data-testid="invoice-list">
              <caption className="sr-only">{t("invoices.listCaption")}</caption>
              <thead>
                <tr className="border-b border-slate-300 dark:border-slate-700">
                  <th scope="col" className="py-2 pr-3">{t("invoices.number")}</th>
                  <th scope="col" className="py-2 pr-3">{t("invoices.kind")}</th>
                  <th scope="col" className="py-2 pr-3">{t("invoices.period")}</th>
                  <th scope="col" className="py-2 pr-3">{t("invoices.statusHeading")}</th>
                  <th scope="col" className="py-2 pr-3 text-right">{t("invoices.amountInclVat")}</th>
                  <th scope="col" className="py-2 pr-3">{t("invoices.issueDate")}</th>
                  <th scope="col" className="py-2">{t("invoices.dueDate")}</th>
                </tr>
              </thead>
              <tbody>
                {invoices.map((inv) => {
                  const overdue = inv.kind === "INVOICE" && inv.status === "ISSUED" && inv.dueDate !== null && inv.dueDate < today;
                  const label = inv.number ?? t("invoices.draft");
                  return (
                    <tr key={inv.id} className="border-b border-slate-200 align-top dark:border-slate-800" data-testid={`invoice-${inv.number ?? inv.id}`}>
                      <th scope="row" className="py-2 pr-3 font-medium whitespace-nowrap">
                        <Link href={`${base}/${inv.id}`}>
                          {label}
                          {inv.number ? null : <span className="sr-only"> {t("invoices.forPeriod", { period: formatMonth(inv.periodStart, locale) })}</span>}
                        </Link>
                      </th>
                      <td className="py-2 pr-3">
                        {inv.kind === "CREDIT_NOTE" ? t("invoices.kindCreditNote") : t("invoices.kindInvoice")}
                        {inv.creditedNumber ? (
                          <span className="block text-xs text-slate-600 dark:text-slate-400">{t("invoices.creditsNumber", { number: inv.creditedNumber })}</span>
                        ) : null}
                      </td>
                      <td className="py-2 pr-3 whitespace-nowrap">{formatMonth(inv.periodStart, locale)}</td>
                      <td className="py-2 pr-3">
                        <InvoiceStatusBadge status={inv.status} kind={inv.kind}>{invoiceStatusText(t, locale, inv)}</InvoiceStatusBadge>
                      </td>
                      <td className="py-2 pr-3 text-right tabular-nums whitespace-nowrap">{formatNok(inv.totalOre, locale)}</td>
                      <td className="py-2 pr-3 whitespace-nowrap">{inv.issueDate ? formatDay(inv.issueDate, locale) : <><span aria-hidden="true">—</span><span className="sr-only">{t("invoices.notIssued")}</span></>}</td>
                      <td className="py-2 whitespace-nowrap">
                        {inv.dueDate && inv.kind === "INVOICE" ? (
                          <span className={overdue ? "font-semibold text-red-800 dark:text-red-300" : undefined}>
                            {formatDay(inv.dueDate, locale)}
                            {overdue ? <span className="ml-1">({t("invoices.overdue")})</span> : null}
                          </span>
                        ) : (
                          <><span aria-hidden="true">—</span><span className="sr-only">{t("invoices.noDueDate")}</span></>
                        )}
                      </td>
                    </tr>
                  );
                })}
              </tbody>
            </table>
          </div>
        )}
        <p className="mt-3 text-sm text-slate-700 dark:text-slate-300">{t("invoices.listNote")}</p>
      </Card>

      {settings ? (
        <Card className="mt-6">
          <h2 className="text-lg font-semibold" id="billing-settings">{t("invoices.settings.title")}</h2>
          <p className="mt-1 max-w-3xl text-sm text-slate-700 dark:text-slate-300">{t("invoices.settings.lead")}</p>
          <ActionForm
            action={updateBillingSettingsAction}
            hidden={{ orgId: membership.org.id }}
            className="mt-4 max-w-xl"
            resetOnSuccess={false}
            label={t("invoices.settings.title")}
          >
            <Field name="buyerReference" label={t("invoices.settings.buyerReference")} hint={t("invoices.settings.buyerReferenceHint")} defaultValue={settings.buyerReference} required maxLength={100} />
            <Field name="orderReference" label={t("invoices.settings.orderReference")} hint={t("invoices.settings.orderReferenceHint")} defaultValue={settings.orderReference ?? ""} maxLength={100} />
            <SelectField
              name="invoiceApprovals"
              label={t("invoices.settings.approvals")}
              hint={t("invoices.settings.approvalsHint")}
              defaultValue={String(settings.invoiceApprovals)}
              options={[
                { value: "1", label: t("invoices.settings.approvalsOne") },
                { value: "2", label: t("invoices.settings.approvalsTwo") },
              ]}
              required
            />
            <SubmitButton pendingLabel={t("common.working")}>{t("invoices.settings.save")}</SubmitButton>
          </ActionForm>
        </Card>
      ) : null}
    </>
  );
}
