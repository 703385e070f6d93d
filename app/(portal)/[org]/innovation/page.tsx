import Link from "@/components/ui/link";
import type { Metadata } from "next";
import { orgPageContext } from "@/server/portal-context";
import { getT } from "@/server/i18n/server";
import { can } from "@/server/permissions";
import { listInnovationRequests } from "@/server/innovation/queries";
import { Card, Notice, PageHeader } from "@/components/ui/card";
import { buttonClass } from "@/components/ui/button";
import { formatMoment } from "@/components/invoices/format";
import { InnovationStatusBadge } from "@/components/innovation/request-view";

export async function generateMetadata(): Promise<Metadata> {
  return { title: (await getT())("nav.innovation") };
}

export default async function InnovationPage({ params, searchParams }: { params: Promise<{ org: string }>; searchParams: Promise<{ withdrawn?: string }> }) {
  const { org } = await params;
  const { withdrawn } = await searchParams;
  const { t, locale, membership } = await orgPageContext(org, "innovation.view");
  const canSubmit = can(membership.role, "innovation.submit");
  const requests = await listInnovationRequests(membership);
  const base = `/${membership.org.slug}/innovation`;

  return (
    <>
      <PageHeader
        title={t("innovation.title")}
        description={t("innovation.lead")}
        actions={
          canSubmit ? (
            <Link href={`${base}/new`} className={buttonClass("primary")}>
              {t("innovation.newRequest")}
            </Link>
          ) : null
        }
      />
      {withdrawn ? (
        <div className="mb-6" role="status">
          <Notice tone="success">{t("innovation.withdrawnNotice")}</Notice>
        </div>
      ) : null}
      <Card>
        <h2 className="text-lg font-semibold">{t("innovation.listHeading")}</h2>
        {requests.length === 0 ? (
          <p className="mt-2 text-sm text-slate-700 dark:text-slate-300">{canSubmit ? t("innovation.emptyCanSubmit") : t("innovation.empty")}</p>
        ) : (
          <div className="mt-3 overflow-x-auto" tabIndex={0} role="region" aria-label={t("innovation.listCaption")}>
            <table className="w-full min-w-[48rem] text-left text-sm" data-testid="innovation-list">
              <caption className="sr-only">{t("innovation.listCaption")}</caption>
              <thead>
                <tr className="border-b border-slate-300 dark:border-slate-700">
                  <th scope="col" className="py-2 pr-3">{t("innovation.columns.title")}</th>
                  <th scope="col" className="py-2 pr-3">{t("innovation.columns.status")}</th>
                  <th scope="col" className="py-2 pr-3">{t("innovation.columns.sector")}</th>
                  <th scope="col" className="py-2 pr-3">{t("innovation.columns.sensitivity")}</th>
                  <th scope="col" className="py-2 pr-3">{t("innovation.columns.createdBy")}</th>
                  <th scope="col" className="py-2">{t("innovation.columns.updated")}</th>
                </tr>
              </thead>
              <tbody>
                {requests.map((r) => (
                  <tr key={r.id} className="border-b border-slate-200 align-top dark:border-slate-800">
                    <th scope="row" className="py-2 pr-3 font-medium">
                      <Link href={`${base}/${r.id}`}>{r.title}</Link>
                    </th>
                    <td className="py-2 pr-3">
                      <InnovationStatusBadge t={t} status={r.status} />
                    </td>
                    <td className="py-2 pr-3">{t(`sectors.${r.sector}`)}</td>
                    <td className="py-2 pr-3">{t(`innovation.sensitivity.${r.sensitivity}`)}</td>
                    <td className="py-2 pr-3">{r.createdBy}</td>
                    <td className="py-2 whitespace-nowrap">
                      <time dateTime={r.updatedAt}>{formatMoment(r.updatedAt, locale)}</time>
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
      </Card>
    </>
  );
}
