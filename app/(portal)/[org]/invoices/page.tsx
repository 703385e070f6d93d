import type { Metadata } from "next";
import { orgPageContext } from "@/server/portal-context";
import { getT } from "@/server/i18n/server";
import { ComingSoon } from "@/components/shell/coming-soon";

export async function generateMetadata(): Promise<Metadata> {
  return { title: (await getT())("nav.invoices") };
}

export default async function Page({ params }: { params: Promise<{ org: string }> }) {
  const { t } = await orgPageContext((await params).org, "invoices.view");
  return <ComingSoon t={t} title="nav.invoices" body="comingSoon.invoices" />;
}
