import Link from "@/components/ui/link";
import type { Metadata } from "next";
import { getT } from "@/server/i18n/server";
import { devMailboxEnabled } from "@/server/env";
import { AuthCard } from "../../auth-card";

export async function generateMetadata(): Promise<Metadata> {
  return { title: (await getT())("checkEmail.title") };
}

export default async function CheckEmailPage({ searchParams }: { searchParams: Promise<{ email?: string }> }) {
  const t = await getT();
  const { email } = await searchParams;
  const address = typeof email === "string" ? email.slice(0, 254) : "";
  return (
    <AuthCard title={t("checkEmail.title")}>
      <p>{t("checkEmail.body", { email: address })}</p>
      <p className="mt-3 text-sm text-slate-700 dark:text-slate-300">{t("checkEmail.pending")}</p>
      <p className="mt-4 text-sm">
        <Link href="/verify-email">{t("checkEmail.resend")}</Link>
      </p>
      {devMailboxEnabled() ? (
        <p className="mt-4 text-sm">
          <Link href={`/dev/mailbox?to=${encodeURIComponent(address)}`}>{t("checkEmail.devMailbox")}</Link>
        </p>
      ) : null}
    </AuthCard>
  );
}
