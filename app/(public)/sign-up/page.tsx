import Link from "@/components/ui/link";
import type { Metadata } from "next";
import { getT } from "@/server/i18n/server";
import { signUpAction } from "@/server/auth/actions";
import { SECTORS } from "@/server/orgs/schemas";
import { DPA_VERSION } from "@/server/orgs/dpa";
import { ActionForm, CheckboxField, Field, SelectField, SubmitButton } from "@/components/forms/action-form";
import { AuthCard } from "../auth-card";
import { DpaText } from "../dpa/dpa-text";

export async function generateMetadata(): Promise<Metadata> {
  return { title: (await getT())("signUp.title") };
}

export default async function SignUpPage() {
  const t = await getT();
  return (
    <AuthCard wide title={t("signUp.title")} lead={t("signUp.lead")}>
      <ActionForm action={signUpAction} label={t("signUp.title")} className="space-y-6">
        <fieldset className="space-y-4">
          <legend className="text-base font-semibold">{t("signUp.organisation")}</legend>
          <Field name="orgName" label={t("fields.orgName")} autoComplete="organization" required maxLength={160} />
          <Field name="orgNumber" label={t("fields.orgNumber")} hint={t("fields.orgNumberHint")} inputMode="numeric" required maxLength={15} />
          <SelectField
            name="sector"
            label={t("fields.sector")}
            required
            defaultValue="PUBLIC_SECTOR"
            options={SECTORS.map((s) => ({ value: s, label: t(`sectors.${s}`) }))}
          />
        </fieldset>
        <fieldset className="space-y-4">
          <legend className="text-base font-semibold">{t("signUp.billing")}</legend>
          <Field name="billingStreet" label={t("fields.billingStreet")} autoComplete="street-address" required maxLength={200} />
          <div className="grid gap-4 sm:grid-cols-3">
            <Field name="billingPostalCode" label={t("fields.billingPostalCode")} autoComplete="postal-code" inputMode="numeric" required maxLength={4} />
            <div className="sm:col-span-2">
              <Field name="billingCity" label={t("fields.billingCity")} autoComplete="address-level2" required maxLength={100} />
            </div>
          </div>
          <Field name="buyerReference" label={t("fields.buyerReference")} hint={t("fields.buyerReferenceHint")} required maxLength={100} />
        </fieldset>
        <fieldset className="space-y-4">
          <legend className="text-base font-semibold">{t("signUp.firstUser")}</legend>
          <Field name="name" label={t("fields.name")} autoComplete="name" required maxLength={120} />
          <Field name="email" type="email" label={t("fields.workEmail")} autoComplete="email" required maxLength={254} />
          <Field name="password" type="password" label={t("fields.newPassword")} hint={t("fields.passwordHint")} autoComplete="new-password" required />
        </fieldset>
        <fieldset className="space-y-3">
          <legend className="text-base font-semibold">{t("signUp.dpa", { version: DPA_VERSION })}</legend>
          <div
            tabIndex={0}
            role="region"
            aria-label={t("dpa.title")}
            className="max-h-56 overflow-y-auto rounded-md border border-slate-300 bg-slate-50 p-4 text-sm dark:border-slate-700 dark:bg-slate-950"
          >
            <DpaText />
          </div>
          <CheckboxField name="acceptDpa" required label={t("signUp.acceptDpa", { version: DPA_VERSION })} />
        </fieldset>
        <SubmitButton className="w-full" pendingLabel={t("common.working")}>
          {t("signUp.submit")}
        </SubmitButton>
      </ActionForm>
      <p className="mt-6 text-sm">
        {t("signUp.haveAccount")} <Link href="/sign-in">{t("nav.signIn")}</Link>
      </p>
    </AuthCard>
  );
}
