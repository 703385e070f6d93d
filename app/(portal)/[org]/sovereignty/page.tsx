import Link from "@/components/ui/link";
import type { Metadata } from "next";
import { z } from "zod";
import { orgPageContext } from "@/server/portal-context";
import { getT } from "@/server/i18n/server";
import { can } from "@/server/permissions";
import { REGIONS } from "@/control-plane/catalogue";
import { DPA_VERSION } from "@/server/orgs/dpa";
import { dataResidencyText, deletionRequests, dpaAcceptances, operatorAccessEvents, resourceLocations, usageRegions } from "@/server/sovereignty/queries";
import { DELETION_DAYS, INVOICE_RETENTION_YEARS, deletionDeadline } from "@/server/sovereignty/policy";
import { cancelDeletionAction, requestDeletionAction } from "@/server/sovereignty/actions";
import { Badge, Card, Notice, PageHeader } from "@/components/ui/card";
import { buttonClass } from "@/components/ui/button";
import { ConfirmAction } from "@/components/forms/confirm-action";
import { NoteDialog } from "@/components/sovereignty/note-dialog";

export async function generateMetadata(): Promise<Metadata> {
  return { title: (await getT())("sovereignty.title") };
}

type Search = Promise<Record<string, string | string[] | undefined>>;

const pageSchema = z.coerce.number().int().min(1).max(10_000).catch(1);

const th = "py-2 pr-3 font-semibold";
const td = "py-2 pr-3 align-top";

export default async function SovereigntyPage({ params, searchParams }: { params: Promise<{ org: string }>; searchParams: Search }) {
  const { org } = await params;
  const raw = await searchParams;
  const { t, locale, membership } = await orgPageContext(org, "sovereignty.view");
  const accessPage = pageSchema.parse(Array.isArray(raw.page) ? raw.page[0] : raw.page);
  const [workbenches, usage, dpa, requests, access] = await Promise.all([
    resourceLocations(membership),
    usageRegions(membership),
    dpaAcceptances(membership),
    deletionRequests(membership),
    operatorAccessEvents(membership, accessPage),
  ]);
  const tag = locale === "nb" ? "nb-NO" : "en-GB";
  const time = new Intl.DateTimeFormat(tag, { dateStyle: "medium", timeStyle: "short", timeZone: "UTC" });
  const day = new Intl.DateTimeFormat(tag, { dateStyle: "long", timeZone: "UTC" });
  const countries = new Intl.DisplayNames([tag], { type: "region" });
  const country = (code: string) => countries.of(code) ?? code;
  const residency = dataResidencyText() ?? t("sovereignty.where.residencyDefault");
  const base = `/${membership.org.slug}/sovereignty`;
  const canExport = can(membership.role, "data.export");
  const canDelete = can(membership.role, "data.delete");
  const open = requests.find((r) => r.status === "REQUESTED" || r.status === "APPROVED");
  const latestDpa = dpa[0];

  return (
    <>
      <PageHeader title={t("sovereignty.title")} description={t("sovereignty.lead")} />

      <div className="space-y-6">
        <Card>
          <h2 id="where" className="text-lg font-semibold">{t("sovereignty.where.title")}</h2>
          <p className="mt-1 text-sm text-slate-700 dark:text-slate-300">{t("sovereignty.where.lead")}</p>

          <h3 className="mt-5 font-semibold">{t("sovereignty.where.notebooks")}</h3>
          {workbenches.length === 0 ? (
            <p className="mt-2 text-sm text-slate-700 dark:text-slate-300">{t("sovereignty.where.noNotebooks")}</p>
          ) : (
            <div className="mt-2 overflow-x-auto">
              <table className="w-full min-w-[40rem] text-left text-sm" data-testid="resource-locations">
                <caption className="sr-only">{t("sovereignty.where.notebooks")}</caption>
                <thead>
                  <tr className="border-b border-slate-300 dark:border-slate-700">
                    <th scope="col" className={th}>{t("sovereignty.where.notebook")}</th>
                    <th scope="col" className={th}>{t("sovereignty.where.region")}</th>
                    <th scope="col" className={th}>{t("sovereignty.where.dataCentre")}</th>
                    <th scope="col" className={th}>{t("sovereignty.where.country")}</th>
                    <th scope="col" className={th}>{t("sovereignty.where.storage")}</th>
                  </tr>
                </thead>
                <tbody>
                  {workbenches.map((w) => (
                    <tr key={w.id} className="border-b border-slate-200 dark:border-slate-800">
                      <th scope="row" className={`${td} font-normal`}>
                        <Link href={`/${membership.org.slug}/notebooks/${w.id}`}>{w.displayName}</Link>
                      </th>
                      <td className={td}>{w.region?.name ?? w.regionId}</td>
                      <td className={td}>{w.region?.dataCentre ?? t("sovereignty.where.unknown")}</td>
                      <td className={td}>{w.region ? country(w.region.country) : t("sovereignty.where.unknown")}</td>
                      <td className={td}>{t("sovereignty.where.storageValue", { gb: w.storageGb, dataCentre: w.region?.dataCentre ?? w.regionId })}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          )}

          <h3 className="mt-6 font-semibold">{t("sovereignty.where.usage")}</h3>
          {usage.length === 0 ? (
            <p className="mt-2 text-sm text-slate-700 dark:text-slate-300">{t("sovereignty.where.noUsage")}</p>
          ) : (
            <div className="mt-2 overflow-x-auto">
              <table className="w-full min-w-[40rem] text-left text-sm" data-testid="usage-regions">
                <caption className="sr-only">{t("sovereignty.where.usage")}</caption>
                <thead>
                  <tr className="border-b border-slate-300 dark:border-slate-700">
                    <th scope="col" className={th}>{t("sovereignty.where.region")}</th>
                    <th scope="col" className={th}>{t("sovereignty.where.dataCentre")}</th>
                    <th scope="col" className={th}>{t("sovereignty.where.country")}</th>
                    <th scope="col" className={th}>{t("sovereignty.where.usageNotebooks")}</th>
                    <th scope="col" className={th}>{t("sovereignty.where.usagePeriod")}</th>
                  </tr>
                </thead>
                <tbody>
                  {usage.map((u) => (
                    <tr key={u.regionId} className="border-b border-slate-200 dark:border-slate-800">
                      <th scope="row" className={`${td} font-normal`}>{u.region?.name ?? u.regionId}</th>
                      <td className={td}>{u.region?.dataCentre ?? t("sovereignty.where.unknown")}</td>
                      <td className={td}>{u.region ? country(u.region.country) : t("sovereignty.where.unknown")}</td>
                      <td className={`${td} tabular-nums`}>{u.notebooks}</td>
                      <td className={`${td} whitespace-nowrap`}>{`${day.format(u.firstDay)} – ${day.format(u.lastDay)}`}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          )}

          <h3 className="mt-6 font-semibold">{t("sovereignty.where.records")}</h3>
          <div className="mt-2 overflow-x-auto">
            <table className="w-full min-w-[36rem] text-left text-sm" data-testid="record-locations">
              <caption className="sr-only">{t("sovereignty.where.records")}</caption>
              <thead>
                <tr className="border-b border-slate-300 dark:border-slate-700">
                  <th scope="col" className={th}>{t("sovereignty.where.what")}</th>
                  <th scope="col" className={th}>{t("sovereignty.where.location")}</th>
                </tr>
              </thead>
              <tbody>
                <tr className="border-b border-slate-200 dark:border-slate-800">
                  <th scope="row" className={`${td} font-normal`}>{t("sovereignty.where.portalDatabase")}</th>
                  <td className={td}>{residency}</td>
                </tr>
                <tr className="border-b border-slate-200 dark:border-slate-800">
                  <th scope="row" className={`${td} font-normal`}>{t("sovereignty.where.portalRecords")}</th>
                  <td className={td}>{t("sovereignty.where.inPortalDatabase", { residency })}</td>
                </tr>
                <tr className="border-b border-slate-200 dark:border-slate-800">
                  <th scope="row" className={`${td} font-normal`}>{t("sovereignty.where.notebookStorage")}</th>
                  <td className={td}>{t("sovereignty.where.notebookStorageValue")}</td>
                </tr>
              </tbody>
            </table>
          </div>

          <h3 className="mt-6 font-semibold">{t("sovereignty.where.regions")}</h3>
          <ul className="mt-2 space-y-1 text-sm">
            {REGIONS.map((r) => (
              <li key={r.id}>
                {t("sovereignty.where.regionLine", { name: r.name, dataCentre: r.dataCentre, country: country(r.country), zone: r.gridZone })}
              </li>
            ))}
          </ul>
        </Card>

        <Card>
          <h2 className="text-lg font-semibold">{t("sovereignty.dpa.title")}</h2>
          <p className="mt-1 text-sm text-slate-700 dark:text-slate-300">
            {t("sovereignty.dpa.lead", { version: DPA_VERSION })} <Link href="/dpa">{t("sovereignty.dpa.read")}</Link>
          </p>
          {latestDpa && latestDpa.version !== DPA_VERSION ? (
            <div className="mt-3">
              <Notice tone="warning">{t("sovereignty.dpa.outdated", { accepted: latestDpa.version, current: DPA_VERSION })}</Notice>
            </div>
          ) : null}
          {dpa.length === 0 ? (
            <p className="mt-3 text-sm">{t("sovereignty.dpa.none")}</p>
          ) : (
            <div className="mt-3 overflow-x-auto">
              <table className="w-full min-w-[36rem] text-left text-sm" data-testid="dpa-acceptances">
                <caption className="sr-only">{t("sovereignty.dpa.title")}</caption>
                <thead>
                  <tr className="border-b border-slate-300 dark:border-slate-700">
                    <th scope="col" className={th}>{t("sovereignty.dpa.version")}</th>
                    <th scope="col" className={th}>{t("sovereignty.dpa.acceptedBy")}</th>
                    <th scope="col" className={th}>{t("sovereignty.dpa.acceptedAt")}</th>
                    <th scope="col" className={th}>{t("sovereignty.dpa.ip")}</th>
                  </tr>
                </thead>
                <tbody>
                  {dpa.map((a) => (
                    <tr key={a.id} className="border-b border-slate-200 dark:border-slate-800">
                      <th scope="row" className={`${td} font-normal`}>{a.version}</th>
                      <td className={td}>{a.user ? `${a.user.name} (${a.user.email})` : t("sovereignty.dpa.formerUser")}</td>
                      <td className={`${td} whitespace-nowrap`}>{time.format(a.acceptedAt)} UTC</td>
                      <td className={`${td} font-mono text-xs`}>{a.ip}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          )}
        </Card>

        <Card>
          <h2 className="text-lg font-semibold">{t("sovereignty.support.title")}</h2>
          <p className="mt-1 text-sm text-slate-700 dark:text-slate-300">{t("sovereignty.support.lead")}</p>
          <ul className="mt-3 list-disc space-y-1 pl-5 text-sm">
            <li>{t("sovereignty.support.staff")}</li>
            <li>{t("sovereignty.support.hours")}</li>
            <li>{t("sovereignty.support.incidents")}</li>
            <li>{t("sovereignty.support.access")}</li>
            <li>{t("sovereignty.support.transfers")}</li>
          </ul>
          <p className="mt-3 text-xs text-slate-600 dark:text-slate-300">{t("sovereignty.support.noLabel", { version: DPA_VERSION })}</p>
        </Card>

        <Card>
          <h2 id="operator-access" className="text-lg font-semibold">{t("sovereignty.access.title")}</h2>
          <p className="mt-1 text-sm text-slate-700 dark:text-slate-300">{t("sovereignty.access.lead")}</p>
          <p className="mt-2 text-sm" role="status">{t("sovereignty.access.count", { count: access.total })}</p>
          {access.events.length ? (
            <div className="mt-2 overflow-x-auto">
              <table className="w-full min-w-[40rem] text-left text-sm" data-testid="operator-access">
                <caption className="sr-only">{t("sovereignty.access.title")}</caption>
                <thead>
                  <tr className="border-b border-slate-300 dark:border-slate-700">
                    <th scope="col" className={th}>{t("sovereignty.access.when")}</th>
                    <th scope="col" className={th}>{t("sovereignty.access.who")}</th>
                    <th scope="col" className={th}>{t("sovereignty.access.what")}</th>
                    <th scope="col" className={th}>{t("sovereignty.access.target")}</th>
                    <th scope="col" className={th}>{t("sovereignty.access.outcome")}</th>
                  </tr>
                </thead>
                <tbody>
                  {access.events.map((e) => (
                    <tr key={e.seq} className="border-b border-slate-200 dark:border-slate-800">
                      <td className={`${td} whitespace-nowrap`}>{time.format(e.at)} UTC</td>
                      <td className={`${td} break-all`}>{e.actorLabel}</td>
                      <td className={`${td} font-mono text-xs`}>{e.action}</td>
                      <td className={`${td} text-xs`}>{e.targetType ?? "—"}</td>
                      <td className={td}>
                        <Badge tone={e.outcome === "SUCCESS" ? "success" : e.outcome === "DENIED" ? "warning" : "error"}>{t(`audit.outcomes.${e.outcome}`)}</Badge>
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          ) : null}
          {access.pages > 1 ? (
            <nav aria-label={t("sovereignty.access.pagination")} className="mt-4 flex items-center gap-3 text-sm">
              {accessPage > 1 ? <Link href={`${base}?page=${accessPage - 1}#operator-access`}>{t("common.previous")}</Link> : null}
              <span>{t("common.pageOf", { page: accessPage, pages: access.pages })}</span>
              {accessPage < access.pages ? <Link href={`${base}?page=${accessPage + 1}#operator-access`}>{t("common.next")}</Link> : null}
            </nav>
          ) : null}
          {can(membership.role, "audit.view") ? (
            <p className="mt-3 text-sm">
              <Link href={`/${membership.org.slug}/audit`}>{t("sovereignty.access.fullLog")}</Link>
            </p>
          ) : null}
        </Card>

        <Card>
          <h2 className="text-lg font-semibold">{t("sovereignty.export.title")}</h2>
          <p className="mt-1 text-sm text-slate-700 dark:text-slate-300">{t("sovereignty.export.lead")}</p>
          {canExport ? (
            <p className="mt-3">
              <a className={buttonClass("primary")} href={`${base}/export`} download data-testid="export-link">
                {t("sovereignty.export.download")}
              </a>
            </p>
          ) : (
            <p className="mt-3 text-sm">{t("sovereignty.export.managersOnly")}</p>
          )}
        </Card>

        <Card>
          <h2 className="text-lg font-semibold">{t("sovereignty.deletion.title")}</h2>
          <p className="mt-1 text-sm text-slate-700 dark:text-slate-300">{t("sovereignty.deletion.lead")}</p>
          <ul className="mt-3 list-disc space-y-1 pl-5 text-sm">
            <li>{t("sovereignty.deletion.what.review")}</li>
            <li>{t("sovereignty.deletion.what.stop")}</li>
            <li>{t("sovereignty.deletion.what.data", { days: DELETION_DAYS })}</li>
            <li>{t("sovereignty.deletion.what.invoices", { years: INVOICE_RETENTION_YEARS })}</li>
            <li>{t("sovereignty.deletion.what.audit")}</li>
          </ul>
          <div className="mt-4" data-testid="deletion-status">
            {open?.status === "REQUESTED" ? (
              <div className="space-y-3">
                <Notice tone="warning" title={t("sovereignty.deletion.openTitle")}>
                  {t("sovereignty.deletion.openBody", { date: day.format(open.createdAt), name: open.requestedBy?.name ?? "—" })}
                </Notice>
                {canDelete ? (
                  <ConfirmAction
                    action={cancelDeletionAction}
                    hidden={{ orgId: membership.org.id, requestId: open.id }}
                    trigger={t("sovereignty.deletion.cancel")}
                    title={t("sovereignty.deletion.cancelTitle")}
                    description={t("sovereignty.deletion.cancelBody")}
                    confirmLabel={t("sovereignty.deletion.cancelConfirm")}
                    cancelLabel={t("sovereignty.deletion.keep")}
                    confirmVariant="primary"
                  />
                ) : null}
              </div>
            ) : open?.status === "APPROVED" ? (
              <Notice tone="error" title={t("sovereignty.deletion.approvedTitle")}>
                {t("sovereignty.deletion.approvedBody", {
                  date: open.decidedAt ? day.format(open.decidedAt) : "—",
                  deadline: day.format(new Date(`${deletionDeadline(open.decidedAt ?? open.createdAt)}T00:00:00Z`)),
                })}
              </Notice>
            ) : canDelete ? (
              <NoteDialog
                action={requestDeletionAction}
                hidden={{ orgId: membership.org.id }}
                trigger={t("sovereignty.deletion.request")}
                triggerVariant="danger"
                title={t("sovereignty.deletion.confirmTitle", { org: membership.org.name })}
                description={
                  <>
                    <p>{t("sovereignty.deletion.confirmIntro")}</p>
                    <ul className="list-disc space-y-1 pl-5">
                      <li>{t("sovereignty.deletion.what.stop")}</li>
                      <li>{t("sovereignty.deletion.what.data", { days: DELETION_DAYS })}</li>
                      <li>{t("sovereignty.deletion.what.invoices", { years: INVOICE_RETENTION_YEARS })}</li>
                      <li>{t("sovereignty.deletion.what.audit")}</li>
                    </ul>
                    <p>{t("sovereignty.deletion.exportFirst")}</p>
                  </>
                }
                noteName="reason"
                noteLabel={t("sovereignty.deletion.reason")}
                noteHint={t("sovereignty.deletion.reasonHint")}
                noteMaxLength={2000}
                confirmLabel={t("sovereignty.deletion.confirm")}
                cancelLabel={t("common.cancel")}
                pendingLabel={t("common.working")}
              />
            ) : (
              <p className="text-sm">{t("sovereignty.deletion.ownersOnly")}</p>
            )}
          </div>
          {requests.length ? (
            <div className="mt-5 overflow-x-auto">
              <table className="w-full min-w-[40rem] text-left text-sm" data-testid="deletion-requests">
                <caption className="text-left font-semibold">{t("sovereignty.deletion.history")}</caption>
                <thead>
                  <tr className="border-b border-slate-300 dark:border-slate-700">
                    <th scope="col" className={th}>{t("sovereignty.deletion.requestedAt")}</th>
                    <th scope="col" className={th}>{t("sovereignty.deletion.requestedBy")}</th>
                    <th scope="col" className={th}>{t("sovereignty.deletion.status")}</th>
                    <th scope="col" className={th}>{t("sovereignty.deletion.reasonColumn")}</th>
                    <th scope="col" className={th}>{t("sovereignty.deletion.decision")}</th>
                  </tr>
                </thead>
                <tbody>
                  {requests.map((r) => (
                    <tr key={r.id} className="border-b border-slate-200 dark:border-slate-800">
                      <td className={`${td} whitespace-nowrap`}>{time.format(r.createdAt)} UTC</td>
                      <td className={td}>{r.requestedBy?.name ?? "—"}</td>
                      <td className={td}>
                        <Badge tone={r.status === "REQUESTED" ? "warning" : r.status === "CANCELLED" ? "neutral" : r.status === "APPROVED" ? "error" : "info"}>
                          {t(`sovereignty.deletion.statuses.${r.status}`)}
                        </Badge>
                      </td>
                      <td className={`${td} break-words`}>{r.reason ?? "—"}</td>
                      <td className={`${td} break-words`}>
                        {r.decidedAt ? `${time.format(r.decidedAt)} UTC` : "—"}
                        {r.note ? <span className="block text-xs text-slate-700 dark:text-slate-300">{r.note}</span> : null}
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          ) : null}
        </Card>
      </div>
    </>
  );
}
