import Link from "@/components/ui/link";
import type { Metadata } from "next";
import { getT } from "@/server/i18n/server";
import { forgotPasswordAction } from "@/server/auth/actions";
import { ActionForm, Field, SubmitButton } from "@/components/forms/action-form";
import { AuthCard } from "../auth-card";

export async function generateMetadata(): Promise<Metadata> {
  return { title: (await getT())("forgot.title") };
}

export default async function ForgotPasswordPage() {
  const t = await getT();
  return (
    <AuthCard title={t("forgot.title")} lead={t("forgot.lead")}>
      <ActionForm action={forgotPasswordAction} label={t("forgot.title")}>
        <Field name="email" type="email" label={t("fields.email")} autoComplete="email" required />
        <SubmitButton className="w-full" pendingLabel={t("common.working")}>
          {t("forgot.submit")}
        </SubmitButton>
      </ActionForm>
      <p className="mt-6 text-sm">
        <Link href="/sign-in">{t("forgot.back")}</Link>
      </p>
    </AuthCard>
  );
}
