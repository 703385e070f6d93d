import Link from "@/components/ui/link";
import type { Metadata } from "next";
import { getT } from "@/server/i18n/server";
import { operatorContext } from "@/server/operator/context";
import { listInnovationQueue, parseQueueFilter, QUEUE_STATUS_FILTERS } from "@/server/innovation/operator-queries";
import { PortalShell } from "@/components/shell/portal-shell";
import { Card, PageHeader } from "@/components/ui/card";
import { inputClass } from "@/components/ui/input-class";
import { buttonClass } from "@/components/ui/button";
import { formatMoment } from "@/components/invoices/format";
import { InnovationStatusBadge } from "@/components/innovation/request-view";

export async function generateMetadata(): Promise<Metadata> {
  return { title: (await getT())("operator.innovation.title") };
}

export default async function InnovationQueuePage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const { t, locale, path, user, orgs } = await operatorContext();
  const filter = parseQueueFilter(await searchParams);
  const rows = await listInnovationQueue(user.userId, filter);
  const statusLabel = (value: (typeof QUEUE_STATUS_FILTERS)[number]) =>
    value === "open" ? t("operator.innovation.filter.open") : value === "all" ? t("operator.innovation.filter.all") : t(`innovation.status.${value}`);

  return (
    <PortalShell t={t} locale={locale} path={path} user={user} orgs={orgs} operator area="operator">
      <PageHeader title={t("operator.innovation.title")} description={t("operator.innovation.lead")} />
      <Card>
        <form className="mb-4 flex flex-wrap items-end gap-3" aria-label={t("operator.innovation.filter.label")}>
          <div>
            <label htmlFor="queue-status" className="mb-1 block text-sm font-medium">{t("operator.innovation.filter.status")}</label>
            <select id="queue-status" name="status" defaultValue={filter.status} className={inputClass}>
              {QUEUE_STATUS_FILTERS.map((s) => (
                <option key={s} value={s}>{statusLabel(s)}</option>
              ))}
            </select>
          </div>
          <div>
            <label htmlFor="queue-assigned" className="mb-1 block text-sm font-medium">{t("operator.innovation.filter.assigned")}</label>
            <select id="queue-assigned" name="assigned" defaultValue={filter.assigned} className={inputClass}>
              <option value="all">{t("operator.innovation.filter.anyone")}</option>
              <option value="me">{t("operator.innovation.filter.me")}</option>
              <option value="unassigned">{t("operator.innovation.filter.unassigned")}</option>
            </select>
          </div>
          <button type="submit" className={buttonClass("secondary")}>{t("operator.innovation.filter.apply")}</button>
        </form>
        {rows.length === 0 ? (
          <p className="text-sm text-slate-700 dark:text-slate-300">{t("operator.innovation.empty")}</p>
        ) : (
          <div className="overflow-x-auto" tabIndex={0} role="region" aria-label={t("operator.innovation.caption")}>
            <table className="w-full min-w-[56rem] text-left text-sm" data-testid="innovation-queue">
              <caption className="sr-only">{t("operator.innovation.caption")}</caption>
              <thead>
                <tr className="border-b border-slate-300 dark:border-slate-700">
                  <th scope="col" className="py-2 pr-3">{t("operator.innovation.columns.title")}</th>
                  <th scope="col" className="py-2 pr-3">{t("operator.innovation.columns.org")}</th>
                  <th scope="col" className="py-2 pr-3">{t("operator.innovation.columns.status")}</th>
                  <th scope="col" className="py-2 pr-3">{t("operator.innovation.columns.sensitivity")}</th>
                  <th scope="col" className="py-2 pr-3">{t("operator.innovation.columns.submitted")}</th>
                  <th scope="col" className="py-2">{t("operator.innovation.columns.assignedTo")}</th>
                </tr>
              </thead>
              <tbody>
                {rows.map((r) => (
                  <tr key={r.id} className="border-b border-slate-200 align-top dark:border-slate-800">
                    <th scope="row" className="py-2 pr-3 font-medium">
                      <Link href={`/operator/innovation/${r.id}`}>{r.title}</Link>
                    </th>
                    <td className="py-2 pr-3">{r.org.name}</td>
                    <td className="py-2 pr-3">
                      <InnovationStatusBadge t={t} status={r.status} />
                    </td>
                    <td className="py-2 pr-3">{t(`innovation.sensitivity.${r.sensitivity}`)}</td>
                    <td className="py-2 pr-3 whitespace-nowrap">{r.submittedAt ? <time dateTime={r.submittedAt}>{formatMoment(r.submittedAt, locale)}</time> : "—"}</td>
                    <td className="py-2">
                      {r.assignedTo ? (r.assignedTo.id === user.userId ? t("operator.innovation.assign.you", { name: r.assignedTo.name }) : r.assignedTo.name) : t("operator.innovation.unassigned")}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
      </Card>
    </PortalShell>
  );
}
