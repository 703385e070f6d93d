import Link from "@/components/ui/link";
import type { Metadata } from "next";
import { orgPageContext } from "@/server/portal-context";
import { getT } from "@/server/i18n/server";
import { listNotebooks, quotaUsage } from "@/server/notebooks/queries";
import { statusLabels } from "@/server/notebooks/labels";
import { can } from "@/server/permissions";
import { Card, Notice, PageHeader } from "@/components/ui/card";
import { buttonClass } from "@/components/ui/button";
import { QueryProvider } from "@/components/notebooks/query-provider";
import { NotebookList } from "@/components/notebooks/notebook-list";
import { formatNumber } from "@/components/format";

export async function generateMetadata(): Promise<Metadata> {
  return { title: (await getT())("nav.notebooks") };
}

export default async function NotebooksPage({ params }: { params: Promise<{ org: string }> }) {
  const { org } = await params;
  const { t, membership, locale } = await orgPageContext(org, "notebooks.view");
  const [notebooks, quota] = await Promise.all([listNotebooks(membership), quotaUsage(membership)]);
  const canLaunch = can(membership.role, "notebooks.launch", membership.org.status);
  const idle = notebooks.filter((n) => n.idleWarning);
  return (
    <>
      <PageHeader
        title={t("nav.notebooks")}
        description={t("notebooks.lead")}
        actions={canLaunch ? <Link className={buttonClass("primary")} href={`/${membership.org.slug}/notebooks/new`}>{t("notebooks.new")}</Link> : null}
      />
      {idle.length > 0 ? (
        <div className="mb-4">
          <Notice tone="warning" title={t("notebooks.idleBannerTitle")}>
            {t("notebooks.idleBanner", { names: idle.map((n) => n.displayName).join(", ") })}
          </Notice>
        </div>
      ) : null}
      <p className="mb-4 text-sm">{t("notebooks.quota", { used: formatNumber(quota.usedMilli / 1000, locale, 2), quota: quota.quotaMilli / 1000 })}</p>
      <Card>
        <QueryProvider>
          <NotebookList
            org={membership.org.slug}
            initial={notebooks}
            locale={locale}
            statusLabels={statusLabels(t)}
            text={{
              name: t("notebooks.name"),
              status: t("notebooks.statusHeading"),
              shape: t("notebooks.shape"),
              cost: t("notebooks.costSoFar"),
              energy: t("notebooks.energySoFar"),
              open: t("notebooks.open"),
              empty: canLaunch ? t("notebooks.emptyLaunch") : t("notebooks.empty"),
              queued: t("notebooks.queuePosition"),
              caption: t("nav.notebooks"),
              idleWarning: t("notebooks.idleSoon"),
            }}
          />
        </QueryProvider>
      </Card>
    </>
  );
}
