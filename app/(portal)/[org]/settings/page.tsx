import Link from "@/components/ui/link";
import type { Metadata } from "next";
import { orgPageContext } from "@/server/portal-context";
import { getT } from "@/server/i18n/server";
import { getOrganisationDetails } from "@/server/orgs/queries";
import { SECTORS } from "@/server/orgs/schemas";
import { can } from "@/server/permissions";
import { updateOrganisationAction } from "@/server/orgs/actions";
import { Card, PageHeader } from "@/components/ui/card";
import { ActionForm, Field, SelectField, SubmitButton } from "@/components/forms/action-form";
import { TwoFactorRequirementCard } from "@/components/settings/two-factor-requirement";

export async function generateMetadata(): Promise<Metadata> {
  return { title: (await getT())("settings.title") };
}

export default async function SettingsPage({ params }: { params: Promise<{ org: string }> }) {
  const { org } = await params;
  const { t, membership } = await orgPageContext(org, "settings.view");
  const details = await getOrganisationDetails(membership);
  const editable = can(membership.role, "org.update");
  const rows: Array<[string, string]> = [
    [t("fields.orgName"), details.name],
    [t("fields.orgNumber"), details.orgNumber],
    [t("fields.sector"), t(`sectors.${details.sector}`)],
    [t("fields.billingStreet"), details.billingStreet],
    [t("fields.billingPostalCode"), details.billingPostalCode],
    [t("fields.billingCity"), details.billingCity],
    [t("fields.buyerReference"), details.buyerReference],
  ];
  return (
    <>
      <PageHeader title={t("settings.title")} description={t("settings.lead")} />
      <div className="grid gap-6 lg:grid-cols-2">
        <Card>
          <h2 className="text-lg font-semibold">{t("settings.organisation")}</h2>
          {editable ? (
            <ActionForm action={updateOrganisationAction} hidden={{ orgId: membership.org.id }} className="mt-4" resetOnSuccess={false} label={t("settings.organisation")}>
              <Field name="orgName" label={t("fields.orgName")} defaultValue={details.name} required maxLength={160} />
              <Field name="orgNumberDisplay" label={t("fields.orgNumber")} defaultValue={details.orgNumber} readOnly hint={t("settings.orgNumberFixed")} />
              <SelectField name="sector" label={t("fields.sector")} defaultValue={details.sector} options={SECTORS.map((s) => ({ value: s, label: t(`sectors.${s}`) }))} required />
              <Field name="billingStreet" label={t("fields.billingStreet")} defaultValue={details.billingStreet} required maxLength={200} />
              <div className="grid gap-4 sm:grid-cols-3">
                <Field name="billingPostalCode" label={t("fields.billingPostalCode")} defaultValue={details.billingPostalCode} required inputMode="numeric" maxLength={4} />
                <div className="sm:col-span-2">
                  <Field name="billingCity" label={t("fields.billingCity")} defaultValue={details.billingCity} required maxLength={100} />
                </div>
              </div>
              <Field name="buyerReference" label={t("fields.buyerReference")} hint={t("fields.buyerReferenceHint")} defaultValue={details.buyerReference} required maxLength={100} />
              <SubmitButton>{t("common.save")}</SubmitButton>
            </ActionForm>
          ) : (
            <dl className="mt-4 grid grid-cols-[auto_1fr] gap-x-4 gap-y-2 text-sm">
              {rows.map(([k, v]) => (
                <div key={k} className="contents">
                  <dt className="text-slate-600 dark:text-slate-400">{k}</dt>
                  <dd>{v}</dd>
                </div>
              ))}
            </dl>
          )}
        </Card>
        <TwoFactorRequirementCard t={t} membership={membership} />
        <Card>
          <h2 className="text-lg font-semibold">{t("settings.personal")}</h2>
          <p className="mt-1 text-sm text-slate-700 dark:text-slate-300">{t("settings.personalLead")}</p>
          <p className="mt-3 text-sm">
            <Link href="/account">{t("nav.account")}</Link>
          </p>
        </Card>
      </div>
    </>
  );
}
