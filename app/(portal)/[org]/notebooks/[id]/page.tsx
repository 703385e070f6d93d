import Link from "@/components/ui/link";
import { notFound } from "next/navigation";
import type { Metadata } from "next";
import { orgPageContext } from "@/server/portal-context";
import { getT } from "@/server/i18n/server";
import { getNotebook } from "@/server/notebooks/queries";
import { statusLabels } from "@/server/notebooks/labels";
import { deleteNotebookAction, startNotebookAction, stopNotebookAction } from "@/server/notebooks/actions";
import { Notice, PageHeader } from "@/components/ui/card";
import { QueryProvider } from "@/components/notebooks/query-provider";
import { NotebookDetail } from "@/components/notebooks/notebook-detail";

export async function generateMetadata(): Promise<Metadata> {
  return { title: (await getT())("nav.notebooks") };
}

export default async function NotebookPage({ params, searchParams }: { params: Promise<{ org: string; id: string }>; searchParams: Promise<{ pending?: string }> }) {
  const { org, id } = await params;
  const { pending } = await searchParams;
  const { t, membership, locale } = await orgPageContext(org, "notebooks.view");
  const detail = await getNotebook(membership, id).catch(() => null);
  if (!detail) notFound();
  return (
    <>
      <p className="mb-2 text-sm">
        <Link href={`/${membership.org.slug}/notebooks`}>{t("notebooks.back")}</Link>
      </p>
      <PageHeader title={detail.notebook.displayName} description={detail.notebook.name} />
      {pending && detail.notebook.status === "PROVISIONING" ? (
        <div className="mb-4">
          <Notice tone="warning">{t("notebooks.pendingNotice")}</Notice>
        </div>
      ) : null}
      <QueryProvider>
        <NotebookDetail
          org={membership.org.slug}
          orgId={membership.org.id}
          initial={detail}
          locale={locale}
          statusLabels={statusLabels(t)}
          actions={{ stop: stopNotebookAction, start: startNotebookAction, remove: deleteNotebookAction }}
          text={{
            status: t("notebooks.statusHeading"),
            reason: t("notebooks.reason"),
            queuePosition: t("notebooks.queuePosition"),
            open: t("notebooks.open"),
            cost: t("notebooks.costSoFar"),
            energy: t("notebooks.energySoFar"),
            carbon: t("notebooks.carbonSoFar"),
            price: t("notebooks.price"),
            shape: t("notebooks.shape"),
            region: t("notebooks.region"),
            image: t("notebooks.image"),
            storage: t("notebooks.storage"),
            idle: t("notebooks.idle"),
            events: t("notebooks.events"),
            eventsUnavailable: t("notebooks.eventsUnavailable"),
            noEvents: t("notebooks.noEvents"),
            stop: t("notebooks.stop"),
            stopTitle: t("notebooks.stopTitle", { name: detail.notebook.displayName }),
            stopBody: t("notebooks.stopBody"),
            start: t("notebooks.start"),
            startTitle: t("notebooks.startTitle", { name: detail.notebook.displayName }),
            startBody: t("notebooks.startBody"),
            delete: t("notebooks.delete"),
            deleteTitle: t("notebooks.deleteTitle", { name: detail.notebook.displayName }),
            deleteBody: t("notebooks.deleteBody"),
            cancel: t("common.cancel"),
            pending: t("notebooks.pendingNotice"),
            idleWarning: t("notebooks.idleSoon"),
            perHour: t("shapes.perHourTemplate"),
          }}
        />
      </QueryProvider>
    </>
  );
}
