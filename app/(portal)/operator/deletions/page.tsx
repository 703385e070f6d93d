import type { Metadata } from "next";
import { operatorContext } from "@/server/operator/context";
import { getT } from "@/server/i18n/server";
import { listDeletionRequestsForOperator } from "@/server/sovereignty/operator-queries";
import { deletionListFilterSchema } from "@/server/sovereignty/schemas";
import { DELETION_DAYS, INVOICE_RETENTION_YEARS, deletionDeadline } from "@/server/sovereignty/policy";
import { approveDeletionAction, completeDeletionAction, rejectDeletionAction } from "@/server/sovereignty/operator-actions";
import { PortalShell } from "@/components/shell/portal-shell";
import { Badge, Card, Notice, PageHeader } from "@/components/ui/card";
import { buttonClass } from "@/components/ui/button";
import { inputClass } from "@/components/ui/input-class";
import { NoteDialog } from "@/components/sovereignty/note-dialog";

export async function generateMetadata(): Promise<Metadata> {
  return { title: (await getT())("operator.deletions.title") };
}

type Search = Promise<Record<string, string | string[] | undefined>>;

const FILTERS = ["open", "REQUESTED", "APPROVED", "COMPLETED", "CANCELLED", "all"] as const;
const th = "py-2 pr-3 font-semibold";
const td = "py-2 pr-3 align-top";

export default async function OperatorDeletionsPage({ searchParams }: { searchParams: Search }) {
  const raw = await searchParams;
  const { t, locale, path, user, orgs } = await operatorContext();
  const filter = deletionListFilterSchema.parse({ status: Array.isArray(raw.status) ? raw.status[0] : raw.status });
  const requests = await listDeletionRequestsForOperator(user.userId, filter);
  const tag = locale === "nb" ? "nb-NO" : "en-GB";
  const time = new Intl.DateTimeFormat(tag, { dateStyle: "medium", timeStyle: "short", timeZone: "UTC" });
  const day = new Intl.DateTimeFormat(tag, { dateStyle: "long", timeZone: "UTC" });

  return (
    <PortalShell t={t} locale={locale} path={path} user={user} orgs={orgs} operator area="operator">
      <PageHeader title={t("operator.deletions.title")} description={t("operator.deletions.lead")} />
      <div className="space-y-6">
        <Notice tone="warning" title={t("operator.deletions.manualTitle")}>
          <p>{t("operator.deletions.manualBody", { days: DELETION_DAYS })}</p>
          <p className="mt-1">{t("operator.deletions.retention", { years: INVOICE_RETENTION_YEARS })}</p>
        </Notice>

        <Card>
          <form className="flex flex-wrap items-end gap-3">
            <div>
              <label htmlFor="deletion-status" className="mb-1 block text-sm font-medium">
                {t("operator.deletions.filter")}
              </label>
              <select id="deletion-status" name="status" defaultValue={filter.status} className={inputClass}>
                {FILTERS.map((f) => (
                  <option key={f} value={f}>
                    {t(`operator.deletions.filters.${f}`)}
                  </option>
                ))}
              </select>
            </div>
            <button type="submit" className={buttonClass("secondary")}>
              {t("common.filter")}
            </button>
          </form>
        </Card>

        <Card>
          <p className="text-sm" role="status">
            {t("operator.deletions.count", { count: requests.length })}
          </p>
          {requests.length ? (
            <div className="mt-3 overflow-x-auto">
              <table className="w-full min-w-[64rem] text-left text-sm" data-testid="deletion-requests">
                <caption className="sr-only">{t("operator.deletions.title")}</caption>
                <thead>
                  <tr className="border-b border-slate-300 dark:border-slate-700">
                    <th scope="col" className={th}>{t("operator.deletions.organisation")}</th>
                    <th scope="col" className={th}>{t("operator.deletions.requested")}</th>
                    <th scope="col" className={th}>{t("operator.deletions.reason")}</th>
                    <th scope="col" className={th}>{t("operator.deletions.status")}</th>
                    <th scope="col" className={th}>{t("operator.deletions.decision")}</th>
                    <th scope="col" className={th}>{t("common.actions")}</th>
                  </tr>
                </thead>
                <tbody>
                  {requests.map((r) => (
                    <tr key={r.id} className="border-b border-slate-200 dark:border-slate-800" data-testid={`deletion-${r.id}`}>
                      <th scope="row" className={`${td} font-normal`}>
                        <span className="font-medium">{r.org.name}</span>
                        <span className="block text-xs text-slate-700 dark:text-slate-300">
                          {r.org.orgNumber} · {t(`org.status.${r.org.status}`)} · {t("operator.deletions.activeNotebooks", { count: r.activeNotebooks })}
                        </span>
                      </th>
                      <td className={td}>
                        <span className="whitespace-nowrap">{time.format(r.createdAt)} UTC</span>
                        <span className="block text-xs text-slate-700 dark:text-slate-300">{r.requestedBy ? `${r.requestedBy.name} (${r.requestedBy.email})` : "—"}</span>
                      </td>
                      <td className={`${td} max-w-xs break-words`}>{r.reason ?? "—"}</td>
                      <td className={td}>
                        <Badge tone={r.status === "REQUESTED" ? "warning" : r.status === "APPROVED" ? "error" : r.status === "COMPLETED" ? "info" : "neutral"}>
                          {t(`sovereignty.deletion.statuses.${r.status}`)}
                        </Badge>
                        {r.status === "APPROVED" && r.decidedAt ? (
                          <span className="mt-1 block text-xs">{t("operator.deletions.deleteBy", { date: day.format(new Date(`${deletionDeadline(r.decidedAt)}T00:00:00Z`)) })}</span>
                        ) : null}
                      </td>
                      <td className={`${td} max-w-xs break-words`}>
                        {r.decidedAt ? `${time.format(r.decidedAt)} UTC` : "—"}
                        {r.decidedBy ? <span className="block text-xs text-slate-700 dark:text-slate-300">{r.decidedBy.email}</span> : null}
                        {r.note ? <span className="block text-xs text-slate-700 dark:text-slate-300">{r.note}</span> : null}
                      </td>
                      <td className={td}>
                        <div className="flex flex-wrap gap-2">
                          {r.status === "REQUESTED" ? (
                            <>
                              <NoteDialog
                                key={`approve-${r.id}`}
                                action={approveDeletionAction}
                                hidden={{ requestId: r.id }}
                                trigger={t("operator.deletions.approve")}
                                triggerVariant="danger"
                                title={t("operator.deletions.approveTitle", { org: r.org.name })}
                                description={
                                  <>
                                    <p>{t("operator.deletions.approveBody", { days: DELETION_DAYS })}</p>
                                    <p>{t("operator.deletions.retention", { years: INVOICE_RETENTION_YEARS })}</p>
                                  </>
                                }
                                noteName="note"
                                noteLabel={t("operator.deletions.note")}
                                noteHint={t("operator.deletions.noteHint")}
                                confirmLabel={t("operator.deletions.approveConfirm")}
                                cancelLabel={t("common.cancel")}
                                pendingLabel={t("common.working")}
                              />
                              <NoteDialog
                                key={`reject-${r.id}`}
                                action={rejectDeletionAction}
                                hidden={{ requestId: r.id }}
                                trigger={t("operator.deletions.reject")}
                                title={t("operator.deletions.rejectTitle", { org: r.org.name })}
                                description={<p>{t("operator.deletions.rejectBody")}</p>}
                                noteName="note"
                                noteLabel={t("operator.deletions.rejectNote")}
                                noteHint={t("operator.deletions.noteHint")}
                                noteRequired
                                confirmLabel={t("operator.deletions.rejectConfirm")}
                                cancelLabel={t("common.cancel")}
                                pendingLabel={t("common.working")}
                                confirmVariant="primary"
                              />
                            </>
                          ) : r.status === "APPROVED" ? (
                            <NoteDialog
                              key={`complete-${r.id}`}
                              action={completeDeletionAction}
                              hidden={{ requestId: r.id }}
                              trigger={t("operator.deletions.complete")}
                              title={t("operator.deletions.completeTitle", { org: r.org.name })}
                              description={<p>{t("operator.deletions.completeBody", { years: INVOICE_RETENTION_YEARS })}</p>}
                              noteName="note"
                              noteLabel={t("operator.deletions.note")}
                              noteHint={t("operator.deletions.noteHint")}
                              confirmLabel={t("operator.deletions.completeConfirm")}
                              cancelLabel={t("common.cancel")}
                              pendingLabel={t("common.working")}
                              confirmVariant="primary"
                            />
                          ) : (
                            <span className="text-slate-700 dark:text-slate-300">—</span>
                          )}
                        </div>
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          ) : null}
        </Card>
      </div>
    </PortalShell>
  );
}
