import type { Metadata } from "next";
import { portalContext } from "@/server/portal-context";
import { getT } from "@/server/i18n/server";
import { changePasswordAction, signOutEverywhereAction } from "@/server/auth/actions";
import { PortalShell } from "@/components/shell/portal-shell";
import { Card, PageHeader } from "@/components/ui/card";
import { ActionForm, Field, SubmitButton } from "@/components/forms/action-form";
import { buttonClass } from "@/components/ui/button";

export async function generateMetadata(): Promise<Metadata> {
  return { title: (await getT())("account.title") };
}

export default async function AccountPage() {
  const { t, locale, path, user, orgs } = await portalContext();
  return (
    <PortalShell t={t} locale={locale} path={path} user={user} orgs={orgs}>
      <PageHeader title={t("account.title")} description={t("account.lead", { email: user.email })} />
      <div className="grid gap-6 lg:grid-cols-2">
        <Card>
          <h2 className="text-lg font-semibold">{t("account.changePassword")}</h2>
          <p className="mt-1 text-sm text-slate-700 dark:text-slate-300">{t("account.changePasswordLead")}</p>
          <ActionForm action={changePasswordAction} className="mt-4" label={t("account.changePassword")}>
            <Field name="currentPassword" type="password" label={t("fields.currentPassword")} autoComplete="current-password" required />
            <Field name="password" type="password" label={t("fields.newPassword")} hint={t("fields.passwordHint")} autoComplete="new-password" required />
            <Field name="confirm" type="password" label={t("fields.confirmPassword")} autoComplete="new-password" required />
            <SubmitButton>{t("account.changePasswordSubmit")}</SubmitButton>
          </ActionForm>
        </Card>
        <Card>
          <h2 className="text-lg font-semibold">{t("account.sessions")}</h2>
          <p className="mt-1 text-sm text-slate-700 dark:text-slate-300">{t("account.sessionsLead")}</p>
          <form action={signOutEverywhereAction} className="mt-4">
            <button type="submit" className={buttonClass("danger")}>
              {t("account.signOutEverywhere")}
            </button>
          </form>
        </Card>
      </div>
    </PortalShell>
  );
}
