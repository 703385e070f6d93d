import Link from "@/components/ui/link";
import type { Metadata } from "next";
import { getT } from "@/server/i18n/server";
import { resetPasswordAction } from "@/server/auth/actions";
import { ActionForm, Field, SubmitButton } from "@/components/forms/action-form";
import { AuthCard } from "../auth-card";

export async function generateMetadata(): Promise<Metadata> {
  return { title: (await getT())("reset.title") };
}

export default async function ResetPasswordPage({ searchParams }: { searchParams: Promise<{ token?: string }> }) {
  const t = await getT();
  const { token } = await searchParams;
  if (typeof token !== "string" || token.length === 0) {
    return (
      <AuthCard title={t("reset.title")}>
        <p>{t("errors.tokenInvalid")}</p>
        <p className="mt-4 text-sm">
          <Link href="/forgot-password">{t("reset.requestNew")}</Link>
        </p>
      </AuthCard>
    );
  }
  return (
    <AuthCard title={t("reset.title")} lead={t("reset.lead")}>
      <ActionForm action={resetPasswordAction} hidden={{ token: token.slice(0, 128) }} label={t("reset.title")}>
        <Field name="password" type="password" label={t("fields.newPassword")} hint={t("fields.passwordHint")} autoComplete="new-password" required />
        <Field name="confirm" type="password" label={t("fields.confirmPassword")} autoComplete="new-password" required />
        <SubmitButton className="w-full">{t("reset.submit")}</SubmitButton>
      </ActionForm>
      <p className="mt-4 text-sm">
        <Link href="/forgot-password">{t("reset.requestNew")}</Link>
      </p>
    </AuthCard>
  );
}
