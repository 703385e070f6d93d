import Link from "@/components/ui/link";
import type { Metadata } from "next";
import { getT } from "@/server/i18n/server";
import { oidcSignInAction, signInAction, signInCodeAction } from "@/server/auth/actions";
import { pendingChallenge } from "@/server/auth/second-step-cookie";
import { oidcSettings } from "@/server/auth/oidc";
import { serverEnv } from "@/server/env";
import { buttonClass } from "@/components/ui/button";
import { safeReturnPath } from "@/server/auth/return-path";
import { ActionForm, Field, SubmitButton } from "@/components/forms/action-form";
import { Notice } from "@/components/ui/card";
import { AuthCard } from "../auth-card";

export async function generateMetadata(): Promise<Metadata> {
  return { title: (await getT())("signIn.title") };
}

type Search = Promise<Record<string, string | string[] | undefined>>;

export default async function SignInPage({ searchParams }: { searchParams: Search }) {
  const t = await getT();
  const params = await searchParams;
  const one = (k: string) => (typeof params[k] === "string" ? (params[k] as string) : undefined);
  const callbackUrl = safeReturnPath(one("callbackUrl")) ?? "";
  const notice = one("verified")
    ? t("signIn.verifiedNotice")
    : one("reset")
      ? t("signIn.resetNotice")
      : one("passwordChanged")
        ? t("signIn.passwordChangedNotice")
        : one("signedOut") === "all"
          ? t("signIn.signedOutAllNotice")
          : one("signedOut")
            ? t("signIn.signedOutNotice")
            : null;
  const oidcError = one("oidcError");
  // A code step without a valid challenge (it expired) falls back to the password step, with a notice.
  const codeStep = one("step") === "code";
  const authError = one("error");
  const problem =
    oidcError === "linked"
      ? t("signIn.oidcLinked")
      : oidcError
        ? t("signIn.oidcUnknown")
        : one("expired") || codeStep
          ? t("signIn.codeExpired")
          : authError === "CredentialsSignin"
            ? t("signIn.invalid")
            : authError
              ? t("signIn.oidcFailed")
              : null;
  const oidc = oidcSettings(serverEnv());

  // Second step: the password was right and the account uses two-factor authentication.
  if (codeStep && (await pendingChallenge())) {
    return (
      <AuthCard title={t("signIn.codeTitle")} lead={t("signIn.codeLead")}>
        <ActionForm action={signInCodeAction} hidden={{ callbackUrl }} label={t("signIn.codeTitle")}>
          <Field name="code" label={t("signIn.codeLabel")} hint={t("signIn.codeHint")} autoComplete="one-time-code" required maxLength={32} />
          <SubmitButton className="w-full" pendingLabel={t("common.working")}>
            {t("signIn.codeSubmit")}
          </SubmitButton>
        </ActionForm>
        <p className="mt-6 text-sm">
          <Link href="/sign-in">{t("signIn.startAgain")}</Link>
        </p>
      </AuthCard>
    );
  }

  return (
    <AuthCard title={t("signIn.title")} lead={t("signIn.lead")}>
      {notice ? (
        <div className="mb-4">
          <Notice tone="success">{notice}</Notice>
        </div>
      ) : null}
      {problem ? (
        <div className="mb-4" role="alert">
          <Notice tone="error">{problem}</Notice>
        </div>
      ) : null}
      <ActionForm action={signInAction} hidden={{ callbackUrl }} label={t("signIn.title")}>
        <Field name="email" type="email" label={t("fields.email")} autoComplete="username" required defaultValue={one("email")} />
        <Field name="password" type="password" label={t("fields.password")} autoComplete="current-password" required />
        <SubmitButton className="w-full" pendingLabel={t("common.working")}>
          {t("signIn.submit")}
        </SubmitButton>
      </ActionForm>
      {oidc ? (
        <>
          <p className="my-4 text-center text-sm text-slate-600 dark:text-slate-300">{t("signIn.oidcDivider")}</p>
          <form action={oidcSignInAction}>
            <input type="hidden" name="callbackUrl" value={callbackUrl} />
            <button type="submit" className={buttonClass("secondary", "w-full")}>
              {t("signIn.oidcButton", { name: oidc.name })}
            </button>
          </form>
        </>
      ) : null}
      <div className="mt-6 flex flex-wrap justify-between gap-2 text-sm">
        <Link href="/forgot-password">{t("signIn.forgot")}</Link>
        <Link href="/sign-up">{t("signIn.noAccount")}</Link>
      </div>
    </AuthCard>
  );
}
