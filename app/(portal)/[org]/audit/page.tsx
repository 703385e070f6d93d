import Link from "@/components/ui/link";
import type { Metadata } from "next";
import { orgPageContext } from "@/server/portal-context";
import { getT } from "@/server/i18n/server";
import { auditFilterSchema, listAuditEvents, verifyOrgAuditChain } from "@/server/audit/queries";
import { Badge, Card, Notice, PageHeader } from "@/components/ui/card";
import { buttonClass } from "@/components/ui/button";
import { inputClass } from "@/components/ui/input-class";

export async function generateMetadata(): Promise<Metadata> {
  return { title: (await getT())("audit.title") };
}

type Search = Promise<Record<string, string | string[] | undefined>>;


export default async function AuditPage({ params, searchParams }: { params: Promise<{ org: string }>; searchParams: Search }) {
  const { org } = await params;
  const raw = await searchParams;
  const { t, membership, locale } = await orgPageContext(org, "audit.view");
  const single = Object.fromEntries(Object.entries(raw).map(([k, v]) => [k, Array.isArray(v) ? v[0] : v]));
  const filter = auditFilterSchema.parse(single);
  const [{ events, total, pages, actions }, chain] = await Promise.all([
    listAuditEvents(membership, filter),
    single.verify === "1" ? verifyOrgAuditChain(membership) : Promise.resolve(null),
  ]);
  const query = (extra: Record<string, string | number | undefined>) => {
    const q = new URLSearchParams();
    for (const [k, v] of Object.entries({ action: filter.action, actor: filter.actor, outcome: filter.outcome, from: filter.from, to: filter.to, ...extra })) {
      if (v !== undefined && v !== "") q.set(k, String(v));
    }
    const s = q.toString();
    return s ? `?${s}` : "";
  };
  const base = `/${membership.org.slug}/audit`;
  const time = new Intl.DateTimeFormat(locale === "nb" ? "nb-NO" : "en-GB", { dateStyle: "short", timeStyle: "medium", timeZone: "UTC" });

  return (
    <>
      <PageHeader
        title={t("audit.title")}
        description={t("audit.lead")}
        actions={
          <div className="flex flex-wrap gap-2">
            <Link className={buttonClass("secondary")} href={`${base}${query({ verify: 1 })}`}>
              {t("audit.verify")}
            </Link>
            <a className={buttonClass("secondary")} href={`${base}/export${query({})}`} download>
              {t("audit.exportCsv")}
            </a>
          </div>
        }
      />
      {chain ? (
        <div className="mb-6" role="status">
          {chain.ok ? (
            <Notice tone="success" title={t("audit.chainOk")}>
              {t("audit.chainOkBody", { count: chain.count })}
            </Notice>
          ) : (
            <Notice tone="error" title={t("audit.chainBroken")}>
              {t("audit.chainBrokenBody", { seq: chain.brokenAtSeq, reason: t(`audit.breakReason.${chain.reason}`) })}
            </Notice>
          )}
        </div>
      ) : null}
      <Card>
        <form className="grid gap-3 sm:grid-cols-2 lg:grid-cols-6" aria-label={t("audit.filters")}>
          <div className="lg:col-span-2">
            <label htmlFor="f-action" className="mb-1 block text-sm font-medium">{t("audit.action")}</label>
            <select id="f-action" name="action" defaultValue={filter.action ?? ""} className={inputClass}>
              <option value="">{t("audit.any")}</option>
              {actions.map((a) => (
                <option key={a} value={a}>{a}</option>
              ))}
            </select>
          </div>
          <div>
            <label htmlFor="f-actor" className="mb-1 block text-sm font-medium">{t("audit.actor")}</label>
            <input id="f-actor" name="actor" type="search" defaultValue={filter.actor ?? ""} className={inputClass} />
          </div>
          <div>
            <label htmlFor="f-outcome" className="mb-1 block text-sm font-medium">{t("audit.outcome")}</label>
            <select id="f-outcome" name="outcome" defaultValue={filter.outcome ?? ""} className={inputClass}>
              <option value="">{t("audit.any")}</option>
              {(["SUCCESS", "DENIED", "FAILURE"] as const).map((o) => (
                <option key={o} value={o}>{t(`audit.outcomes.${o}`)}</option>
              ))}
            </select>
          </div>
          <div>
            <label htmlFor="f-from" className="mb-1 block text-sm font-medium">{t("audit.from")}</label>
            <input id="f-from" name="from" type="date" defaultValue={filter.from ?? ""} className={inputClass} />
          </div>
          <div>
            <label htmlFor="f-to" className="mb-1 block text-sm font-medium">{t("audit.to")}</label>
            <input id="f-to" name="to" type="date" defaultValue={filter.to ?? ""} className={inputClass} />
          </div>
          <div className="flex items-end gap-2 lg:col-span-6">
            <button type="submit" className={buttonClass("primary")}>{t("common.filter")}</button>
            <Link href={base} className={buttonClass("ghost")}>{t("common.clear")}</Link>
          </div>
        </form>
      </Card>
      <Card className="mt-6">
        <p className="text-sm text-slate-700 dark:text-slate-300" role="status">{t("audit.count", { count: total })}</p>
        <div className="mt-3 overflow-x-auto">
          <table className="w-full min-w-[56rem] text-left text-sm">
            <caption className="sr-only">{t("audit.title")}</caption>
            <thead>
              <tr className="border-b border-slate-300 dark:border-slate-700">
                <th scope="col" className="py-2 pr-3">#</th>
                <th scope="col" className="py-2 pr-3">{t("audit.time")}</th>
                <th scope="col" className="py-2 pr-3">{t("audit.actor")}</th>
                <th scope="col" className="py-2 pr-3">{t("audit.action")}</th>
                <th scope="col" className="py-2 pr-3">{t("audit.target")}</th>
                <th scope="col" className="py-2 pr-3">{t("audit.outcome")}</th>
                <th scope="col" className="py-2 pr-3">{t("audit.ip")}</th>
                <th scope="col" className="py-2">{t("audit.details")}</th>
              </tr>
            </thead>
            <tbody>
              {events.map((e) => (
                <tr key={e.seq} className="border-b border-slate-200 align-top dark:border-slate-800">
                  <td className="py-2 pr-3 tabular-nums">{e.seq}</td>
                  <td className="py-2 pr-3 whitespace-nowrap">{time.format(e.at)} UTC</td>
                  <td className="py-2 pr-3 break-all">{e.actorLabel}</td>
                  <td className="py-2 pr-3 font-mono text-xs">{e.action}</td>
                  <td className="py-2 pr-3 text-xs">{e.targetType ? `${e.targetType}` : "—"}</td>
                  <td className="py-2 pr-3">
                    <Badge tone={e.outcome === "SUCCESS" ? "success" : e.outcome === "DENIED" ? "warning" : "error"}>{t(`audit.outcomes.${e.outcome}`)}</Badge>
                  </td>
                  <td className="py-2 pr-3 font-mono text-xs">{e.ip}</td>
                  <td className="py-2 font-mono text-xs break-all">{JSON.stringify(e.details)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
        {pages > 1 ? (
          <nav aria-label={t("common.pagination")} className="mt-4 flex items-center gap-3 text-sm">
            {filter.page > 1 ? <Link href={`${base}${query({ page: filter.page - 1 })}`}>{t("common.previous")}</Link> : null}
            <span>{t("common.pageOf", { page: filter.page, pages })}</span>
            {filter.page < pages ? <Link href={`${base}${query({ page: filter.page + 1 })}`}>{t("common.next")}</Link> : null}
          </nav>
        ) : null}
      </Card>
    </>
  );
}
