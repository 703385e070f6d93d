import Link from "@/components/ui/link";
import type { Metadata } from "next";
import { getT } from "@/server/i18n/server";
import { operatorContext } from "@/server/operator/context";
import { operatorOverview } from "@/server/operator/queries";
import { PortalShell } from "@/components/shell/portal-shell";
import { Card, PageHeader } from "@/components/ui/card";

export async function generateMetadata(): Promise<Metadata> {
  return { title: (await getT())("operator.title") };
}

export default async function OperatorHome() {
  const { t, locale, path, user, orgs } = await operatorContext();
  const o = await operatorOverview(user.userId);
  const tiles: Array<[string, number, string]> = [
    [t("operator.overview.pending"), o.pending, "/operator/organisations?status=PENDING_APPROVAL"],
    [t("operator.overview.queue"), o.queue, "/operator/innovation"],
    [t("operator.overview.disputes"), o.openDisputes, "/operator/billing"],
    [t("operator.overview.drafts"), o.drafts, "/operator/billing"],
    [t("operator.overview.active"), o.active, "/operator/organisations?status=ACTIVE"],
    [t("operator.overview.suspended"), o.suspended, "/operator/organisations?status=SUSPENDED"],
  ];
  return (
    <PortalShell t={t} locale={locale} path={path} user={user} orgs={orgs} operator area="operator">
      <PageHeader title={t("operator.title")} description={t("operator.lead")} />
      <ul className="grid gap-4 sm:grid-cols-2 lg:grid-cols-3">
        {tiles.map(([label, count, href]) => (
          <li key={label}>
            <Card>
              <p className="text-sm text-slate-700 dark:text-slate-300">{label}</p>
              <p className="mt-1 text-3xl font-semibold tabular-nums">{count}</p>
              <Link href={href} className="mt-2 inline-block text-sm" aria-label={`${t("operator.overview.open")}: ${label}`}>
                {t("operator.overview.open")}
              </Link>
            </Card>
          </li>
        ))}
      </ul>
    </PortalShell>
  );
}
