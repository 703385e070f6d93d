import type { Metadata } from "next";
import { getT } from "@/server/i18n/server";
import { resendVerificationAction, verifyEmailAction } from "@/server/auth/actions";
import { ActionForm, Field, SubmitButton } from "@/components/forms/action-form";
import { AuthCard } from "../auth-card";

export async function generateMetadata(): Promise<Metadata> {
  return { title: (await getT())("verify.title") };
}

export default async function VerifyEmailPage({ searchParams }: { searchParams: Promise<{ token?: string }> }) {
  const t = await getT();
  const { token } = await searchParams;
  if (typeof token === "string" && token.length > 0) {
    // Confirming is a button, not the GET itself: mail scanners that open links must not use up the token.
    return (
      <AuthCard title={t("verify.title")} lead={t("verify.lead")}>
        <ActionForm action={verifyEmailAction} hidden={{ token: token.slice(0, 128) }} label={t("verify.title")}>
          <SubmitButton className="w-full">{t("verify.confirm")}</SubmitButton>
        </ActionForm>
      </AuthCard>
    );
  }
  return (
    <AuthCard title={t("verify.resendTitle")} lead={t("verify.resendLead")}>
      <ActionForm action={resendVerificationAction} label={t("verify.resendTitle")}>
        <Field name="email" type="email" label={t("fields.email")} autoComplete="email" required />
        <SubmitButton className="w-full">{t("verify.resendSubmit")}</SubmitButton>
      </ActionForm>
    </AuthCard>
  );
}
