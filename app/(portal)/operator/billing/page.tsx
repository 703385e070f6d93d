import Link from "@/components/ui/link";
import type { Metadata } from "next";
import { getT } from "@/server/i18n/server";
import { operatorContext } from "@/server/operator/context";
import { openDisputes } from "@/server/operator/queries";
import { issueCreditNoteAction } from "@/server/operator/operator-actions";
import { PortalShell } from "@/components/shell/portal-shell";
import { Card, PageHeader } from "@/components/ui/card";
import { ActionForm, Field, SubmitButton } from "@/components/forms/action-form";
import { formatNok } from "@/components/format";
import { formatMomentDate } from "@/components/invoices/format";

export async function generateMetadata(): Promise<Metadata> {
  return { title: (await getT())("operator.billing.title") };
}

export default async function OperatorBilling() {
  const { t, locale, path, user, orgs } = await operatorContext();
  const disputes = await openDisputes(user.userId);
  return (
    <PortalShell t={t} locale={locale} path={path} user={user} orgs={orgs} operator area="operator">
      <PageHeader title={t("operator.billing.title")} description={t("operator.billing.lead")} />
      <h2 className="mb-3 text-lg font-semibold">{t("operator.billing.disputes")}</h2>
      {disputes.length === 0 ? (
        <Card><p>{t("operator.billing.none")}</p></Card>
      ) : (
        <ul className="space-y-4">
          {disputes.map((d) => {
            const left = Number(d.invoice.netOre) - d.invoice.creditNotes.reduce((s, c) => s + Number(c.netOre), 0);
            return (
              <li key={d.id}>
                <Card>
                  <h3 className="font-semibold">
                    {t("operator.billing.invoice")} {d.invoice.number} · <Link href={`/operator/organisations/${d.invoice.orgId}`}>{d.invoice.org.name}</Link>
                  </h3>
                  <dl className="mt-2 grid gap-x-6 gap-y-1 text-sm sm:grid-cols-[max-content_1fr]">
                    <dt className="font-medium">{t("operator.billing.since")}</dt>
                    <dd>{formatMomentDate(d.createdAt.toISOString(), locale)}</dd>
                    <dt className="font-medium">{t("operator.billing.reason")}</dt>
                    <dd className="whitespace-pre-wrap">{d.reason}</dd>
                    <dt className="font-medium">{t("operator.billing.amountLeft")}</dt>
                    <dd className="tabular-nums">{formatNok(left, locale)}</dd>
                  </dl>
                  <ActionForm action={issueCreditNoteAction} hidden={{ invoiceId: d.invoiceId }} className="mt-4 max-w-xl" label={`${t("operator.billing.creditTitle")} ${d.invoice.number}`}>
                    <Field name="reason" label={t("operator.billing.creditReason")} required maxLength={1000} />
                    <Field name="amount" label={t("operator.billing.amount")} inputMode="text" />
                    <SubmitButton pendingLabel={t("common.working")}>{t("operator.billing.issue")}</SubmitButton>
                  </ActionForm>
                </Card>
              </li>
            );
          })}
        </ul>
      )}
    </PortalShell>
  );
}
