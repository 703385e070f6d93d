import Link from "next/link";
import type { Metadata } from "next";
import { getT } from "@/server/i18n/server";
import { signInAction } from "@/server/auth/actions";
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
  return (
    <AuthCard title={t("signIn.title")} lead={t("signIn.lead")}>
      {notice ? (
        <div className="mb-4">
          <Notice tone="success">{notice}</Notice>
        </div>
      ) : null}
      <ActionForm action={signInAction} hidden={{ callbackUrl }} label={t("signIn.title")}>
        <Field name="email" type="email" label={t("fields.email")} autoComplete="username" required defaultValue={one("email")} />
        <Field name="password" type="password" label={t("fields.password")} autoComplete="current-password" required />
        <SubmitButton className="w-full" pendingLabel={t("common.working")}>
          {t("signIn.submit")}
        </SubmitButton>
      </ActionForm>
      <div className="mt-6 flex flex-wrap justify-between gap-2 text-sm">
        <Link href="/forgot-password">{t("signIn.forgot")}</Link>
        <Link href="/sign-up">{t("signIn.noAccount")}</Link>
      </div>
    </AuthCard>
  );
}
