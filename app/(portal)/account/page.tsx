import type { Metadata } from "next";
import { portalContext } from "@/server/portal-context";
import { getT } from "@/server/i18n/server";
import { changePasswordAction, signOutEverywhereAction } from "@/server/auth/actions";
import { PortalShell } from "@/components/shell/portal-shell";
import { Card, Notice, PageHeader } from "@/components/ui/card";
import { ActionForm, Field, SubmitButton } from "@/components/forms/action-form";
import { buttonClass } from "@/components/ui/button";
import Link from "@/components/ui/link";
import { TwoFactorCard } from "@/components/account/two-factor-card";
import { twoFactorGapForSlug } from "@/server/auth/two-factor-policy";

export async function generateMetadata(): Promise<Metadata> {
  return { title: (await getT())("account.title") };
}

export default async function AccountPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const { t, locale, path, user, orgs, operator } = await portalContext();
  const requiredBy = await twoFactorGapForSlug(user, [(await searchParams).twoFactorFor].flat()[0]);
  return (
    <PortalShell t={t} locale={locale} path={path} user={user} orgs={orgs} operator={operator}>
      <PageHeader title={t("account.title")} description={t("account.lead", { email: user.email })} />
      {requiredBy ? (
        <div className="mb-6">
          <Notice tone="warning" title={t("twoFactor.requiredTitle", { org: requiredBy.org.name })}>
            {requiredBy.gap === "enrol" ? t("twoFactor.requiredEnrol") : t("twoFactor.requiredReauth")}
          </Notice>
        </div>
      ) : null}
      <div className="grid gap-6 lg:grid-cols-2">
        <TwoFactorCard t={t} locale={locale} userId={user.userId} doneHref={requiredBy ? `/${requiredBy.org.slug}` : "/account#two-factor"} />
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
          <p className="mt-3 text-sm">
            <Link href="/account/sessions">{t("account.sessionsManage")}</Link>
          </p>
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
