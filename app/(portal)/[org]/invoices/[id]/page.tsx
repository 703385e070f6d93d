import Link from "@/components/ui/link";
import { notFound } from "next/navigation";
import type { Metadata } from "next";
import { orgPageContext } from "@/server/portal-context";
import { getT } from "@/server/i18n/server";
import { can } from "@/server/permissions";
import { AppError } from "@/server/errors";
import { getInvoice, lineUsage, type InvoiceDetail } from "@/server/billing/queries";
import { approveInvoiceAction, disputeInvoiceAction } from "@/server/billing/actions";
import { lineNetOre, pricedSecondsToOre } from "@/server/billing/money";
import { Badge, Card, Notice, PageHeader } from "@/components/ui/card";
import { buttonClass } from "@/components/ui/button";
import { ActionForm, SubmitButton } from "@/components/forms/action-form";
import { formatNok, formatNumber, type UiLocale } from "@/components/format";
import { formatDay, formatDecimal, formatMoment, formatMonth, todayInNorway } from "@/components/invoices/format";
import { InvoiceStatusBadge, invoiceStatusText } from "@/components/invoices/status";
import { InvoiceLines, type LineDrillDown } from "@/components/invoices/invoice-lines";
import { PartyBlock, formatAccountNumber } from "@/components/invoices/party";
import { DisputeForm } from "@/components/invoices/dispute-form";

export async function generateMetadata(): Promise<Metadata> {
  return { title: (await getT())("nav.invoices") };
}

/** The per-workbench usage behind each compute and storage line of an invoice, with the dashboard link. */
async function drillDowns(membership: Parameters<typeof lineUsage>[0], detail: InvoiceDetail, locale: UiLocale): Promise<Map<string, LineDrillDown>> {
  const doc = detail.document;
  const usageLines = detail.lines.filter((l) => l.kind === "COMPUTE" || l.kind === "STORAGE");
  // A line whose breakdown cannot be loaded still shows its amount and dashboard link; the failure is logged.
  const results = await Promise.all(
    usageLines.map((l) =>
      lineUsage(membership, detail.id, l.position).catch((error: unknown) => {
        console.error(`[invoices] usage breakdown of invoice ${detail.id} line ${l.position} failed`, error);
        return null;
      }),
    ),
  );
  const amounts = new Map(doc.lines.map((l) => [l.id, l.netOre]));
  const map = new Map<string, LineDrillDown>();
  usageLines.forEach((meta, i) => {
    const usage = results[i] ?? null;
    const compute = meta.kind === "COMPUTE";
    const unitPrice = doc.lines.find((l) => l.id === String(meta.position))?.unitPriceOre ?? "0";
    let usageHref: string | null = null;
    let usageCoversOre: number | null = null;
    if (compute && meta.shapeId && meta.project) {
      const query = new URLSearchParams({ from: doc.periodStart, to: doc.periodEnd, shape: meta.shapeId, project: meta.project });
      usageHref = `/${membership.org.slug}/usage?${query.toString()}`;
      // The dashboard filters by shape and project, not price: if the price changed during the month it shows those lines together.
      const siblings = detail.lines.filter((o) => o.kind === "COMPUTE" && o.shapeId === meta.shapeId && o.project === meta.project);
      if (siblings.length > 1) usageCoversOre = siblings.reduce((s, o) => s + (amounts.get(String(o.position)) ?? 0), 0);
    }
    map.set(String(meta.position), {
      kind: compute ? "COMPUTE" : "STORAGE",
      usageHref,
      usageCoversOre,
      unavailable: usage === null,
      workbenches: (usage?.workbenches ?? []).map((w) => ({
        workbenchId: w.workbenchId,
        name: w.name,
        quantity: compute ? formatNumber(Number(w.reservedSeconds) / 3600, locale, 2) : formatDecimal(w.storageGbHours, locale),
        energyKwh: compute ? Number(w.energyWh) / 1000 : null,
        amountOre: compute ? pricedSecondsToOre(w.pricedSeconds) : lineNetOre(w.storageGbHours, unitPrice),
      })),
    });
  });
  return map;
}

export default async function InvoicePage({ params }: { params: Promise<{ org: string; id: string }> }) {
  const { org, id } = await params;
  const { t, membership, locale, user } = await orgPageContext(org, "invoices.view");
  const detail = await getInvoice(membership, id).catch((error: unknown) => {
    if (error instanceof AppError) return null;
    throw error;
  });
  if (!detail) notFound();

  const doc = detail.document;
  const base = `/${membership.org.slug}/invoices`;
  const credit = detail.kind === "CREDIT_NOTE";
  const drills = credit ? new Map<string, LineDrillDown>() : await drillDowns(membership, detail, locale);
  const statusText = invoiceStatusText(t, locale, { status: detail.status, kind: detail.kind, reviewUntil: detail.reviewUntil });
  const title = detail.draft
    ? t(credit ? "invoices.draftCreditNoteTitle" : "invoices.draftTitle", { period: formatMonth(doc.periodStart, locale) })
    : t(credit ? "invoices.creditNoteTitle" : "invoices.invoiceTitle", { number: doc.number });
  const overdue = !credit && !detail.draft && detail.status === "ISSUED" && doc.dueDate < todayInNorway();

  const canAct = can(membership.role, "invoices.approve");
  const myApproval = detail.approvals.find((a) => a.userId === user.userId);
  const showApprovals = !credit && !detail.draft;
  const disputable = !credit && (detail.status === "ISSUED" || detail.status === "APPROVED");
  const approveNote =
    detail.status === "ISSUED"
      ? myApproval
        ? t("invoices.youApproved", { time: formatMoment(myApproval.at, locale) })
        : null
      : detail.status === "APPROVED"
        ? t("invoices.approvedNote")
        : detail.status === "DISPUTED"
          ? t("invoices.disputedNote")
          : t("invoices.creditedNote");
  const creditNoteIds = new Map(detail.creditNotes.map((c) => [c.number, c.id]));
  const vatLabel = (category: "S" | "Z" | "E") => t(`invoices.vatCategory.${category}`);

  return (
    <>
      <p className="mb-2 text-sm">
        <Link href={base}>{t("invoices.back")}</Link>
      </p>
      <PageHeader
        title={title}
        description={t("invoices.periodLong", { month: formatMonth(doc.periodStart, locale), from: formatDay(doc.periodStart, locale), to: formatDay(doc.periodEnd, locale) })}
        actions={
          detail.draft ? null : (
            <div className="flex flex-wrap gap-2">
              <a className={buttonClass("secondary")} href={`${base}/${detail.id}/pdf`} download>
                {t("invoices.downloadPdf")}
              </a>
              <a className={buttonClass("secondary")} href={`${base}/${detail.id}/ehf`} download>
                {t("invoices.downloadEhf")}
              </a>
            </div>
          )
        }
      />

      {detail.draft ? (
        <div className="mb-6">
          <Notice tone="info" title={detail.reviewUntil ? t("invoices.draftNotice", { date: formatMoment(detail.reviewUntil, locale) }) : t("invoices.status.DRAFT")}>
            {t("invoices.draftNoticeBody")}
          </Notice>
        </div>
      ) : null}

      <Card>
        <h2 className="sr-only">{t("invoices.details")}</h2>
        <dl className="grid gap-x-6 gap-y-3 text-sm sm:grid-cols-2 lg:grid-cols-4" data-testid="invoice-details">
          <div>
            <dt className="text-slate-600 dark:text-slate-400">{t("invoices.statusHeading")}</dt>
            <dd className="mt-1" data-testid="invoice-status">
              <InvoiceStatusBadge status={detail.status} kind={detail.kind}>{statusText}</InvoiceStatusBadge>
            </dd>
          </div>
          <div>
            <dt className="text-slate-600 dark:text-slate-400">{t("invoices.period")}</dt>
            <dd className="mt-1">{formatMonth(doc.periodStart, locale)}</dd>
          </div>
          {detail.draft ? null : (
            <>
              <div>
                <dt className="text-slate-600 dark:text-slate-400">{credit ? t("invoices.creditNoteDate") : t("invoices.issueDate")}</dt>
                <dd className="mt-1">{formatDay(doc.issueDate, locale)}</dd>
              </div>
              {credit ? null : (
                <div>
                  <dt className="text-slate-600 dark:text-slate-400">{t("invoices.dueDate")}</dt>
                  <dd className={overdue ? "mt-1 font-semibold text-red-800 dark:text-red-300" : "mt-1"}>
                    {formatDay(doc.dueDate, locale)}
                    {overdue ? <span className="ml-1">({t("invoices.overdue")})</span> : null}
                  </dd>
                </div>
              )}
              {credit ? null : (
                <div>
                  <dt className="text-slate-600 dark:text-slate-400">{t("invoices.kid")}</dt>
                  <dd className="mt-1 font-mono tabular-nums">{doc.kid}</dd>
                </div>
              )}
            </>
          )}
          <div>
            <dt className="text-slate-600 dark:text-slate-400">{t("invoices.buyerReference")}</dt>
            <dd className="mt-1">{doc.buyerReference}</dd>
          </div>
          <div>
            <dt className="text-slate-600 dark:text-slate-400">{t("invoices.orderReference")}</dt>
            <dd className="mt-1">{doc.orderReference ?? t("invoices.none")}</dd>
          </div>
          {credit && detail.credited ? (
            <div>
              <dt className="text-slate-600 dark:text-slate-400">{t("invoices.credits")}</dt>
              <dd className="mt-1">
                <Link href={`${base}/${detail.credited.id}`}>{t("invoices.invoiceTitle", { number: detail.credited.number ?? t("invoices.draft") })}</Link>
              </dd>
            </div>
          ) : null}
          {credit && doc.note ? (
            <div className="sm:col-span-2">
              <dt className="text-slate-600 dark:text-slate-400">{t("invoices.reason")}</dt>
              <dd className="mt-1">{doc.note}</dd>
            </div>
          ) : null}
          {detail.contentHash && !detail.draft ? (
            <div className="sm:col-span-2 lg:col-span-4">
              <dt className="text-slate-600 dark:text-slate-400">{t("invoices.contentHash")}</dt>
              <dd className="mt-1 break-all font-mono text-xs">{detail.contentHash}</dd>
              <dd className="text-xs text-slate-600 dark:text-slate-400">{t("invoices.contentHashNote")}</dd>
            </div>
          ) : null}
        </dl>
        <div className="mt-6 grid gap-6 border-t border-slate-200 pt-4 sm:grid-cols-2 dark:border-slate-800">
          <PartyBlock t={t} heading={t("invoices.supplier")} party={doc.supplier} id="party-supplier" />
          <PartyBlock t={t} heading={t("invoices.buyer")} party={doc.buyer} id="party-buyer" />
        </div>
      </Card>

      <Card className="mt-6">
        <h2 className="text-lg font-semibold">{t("invoices.lines")}</h2>
        <div className="mt-3">
          <InvoiceLines t={t} locale={locale} lines={doc.lines} drillDowns={drills} credit={credit} />
        </div>
        {credit ? null : <p className="mt-3 max-w-4xl text-sm text-slate-700 dark:text-slate-300">{t("invoices.roundingNote")}</p>}

        <div className="mt-6 grid gap-6 lg:grid-cols-2">
          <div>
            <table className="w-full text-left text-sm">
              <caption className="mb-2 text-left font-semibold">{t("invoices.vatBreakdown")}</caption>
              <thead>
                <tr className="border-b border-slate-300 dark:border-slate-700">
                  <th scope="col" className="py-2 pr-3">{t("invoices.vatRate")}</th>
                  <th scope="col" className="py-2 pr-3 text-right">{t("invoices.taxableAmount")}</th>
                  <th scope="col" className="py-2 text-right">{t("invoices.vatAmount")}</th>
                </tr>
              </thead>
              <tbody>
                {doc.vat.map((v) => (
                  <tr key={`${v.category}-${v.percent}`} className="border-b border-slate-200 dark:border-slate-800">
                    <th scope="row" className="py-1 pr-3 font-normal">
                      {formatDecimal(String(v.percent), locale)} % ({vatLabel(v.category)})
                    </th>
                    <td className="py-1 pr-3 text-right tabular-nums">{formatNok(v.taxableOre, locale)}</td>
                    <td className="py-1 text-right tabular-nums">{formatNok(v.taxOre, locale)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
          <section aria-labelledby="totals-heading">
            <h3 id="totals-heading" className="mb-2 font-semibold">{t("invoices.totals")}</h3>
            <dl className="grid grid-cols-[1fr_auto] gap-x-6 gap-y-1 text-sm" data-testid="invoice-totals">
              <dt>{t("invoices.totalExclVat")}</dt>
              <dd className="text-right tabular-nums">{formatNok(doc.totals.taxExclusiveOre, locale)}</dd>
              <dt>{t("invoices.totalVat")}</dt>
              <dd className="text-right tabular-nums">{formatNok(doc.totals.taxOre, locale)}</dd>
              <dt>{t("invoices.totalInclVat")}</dt>
              <dd className="text-right tabular-nums">{formatNok(doc.totals.taxInclusiveOre, locale)}</dd>
              <dt className="border-t border-slate-300 pt-1 text-base font-semibold dark:border-slate-700">{credit ? t("invoices.amountCredited") : t("invoices.amountDue")}</dt>
              <dd className="border-t border-slate-300 pt-1 text-right text-base font-semibold tabular-nums dark:border-slate-700">{formatNok(doc.totals.payableOre, locale)}</dd>
            </dl>
            {!credit && !detail.draft ? (
              <p className="mt-3 text-sm text-slate-700 dark:text-slate-300">
                {t("invoices.payment", { amount: formatNok(doc.totals.payableOre, locale), account: formatAccountNumber(doc.supplier.bankAccount), kid: doc.kid, date: formatDay(doc.dueDate, locale) })}
              </p>
            ) : null}
          </section>
        </div>
      </Card>

      {showApprovals ? (
        <Card className="mt-6">
          <h2 className="text-lg font-semibold">{t("invoices.approvals")}</h2>
          <p className="mt-1 text-sm" data-testid="approval-count">
            {t("invoices.approvalsCount", { count: detail.approvals.length, required: detail.approvalsRequired })}
          </p>
          {detail.approvals.length > 0 ? (
            <ul className="mt-2 list-disc pl-5 text-sm">
              {detail.approvals.map((a) => (
                <li key={a.userId}>{t("invoices.approvedBy", { name: a.name, time: formatMoment(a.at, locale) })}</li>
              ))}
            </ul>
          ) : null}
          {canAct ? (
            <ActionForm action={approveInvoiceAction} hidden={{ orgId: membership.org.id, invoiceId: detail.id }} className="mt-4" label={t("invoices.approveFormLabel")}>
              {approveNote === null ? (
                <>
                  <p className="text-sm text-slate-700 dark:text-slate-300">{detail.approvalsRequired > 1 ? t("invoices.approveLeadTwo") : t("invoices.approveLead")}</p>
                  <SubmitButton pendingLabel={t("common.working")}>{t("invoices.approve")}</SubmitButton>
                </>
              ) : (
                <p className="text-sm text-slate-700 dark:text-slate-300">{approveNote}</p>
              )}
            </ActionForm>
          ) : null}
        </Card>
      ) : null}

      {!credit && !detail.draft && (canAct || detail.disputes.length > 0) ? (
        <Card className="mt-6">
          <h2 className="text-lg font-semibold">{t("invoices.disputes")}</h2>
          {detail.disputes.length === 0 ? (
            <p className="mt-1 text-sm text-slate-700 dark:text-slate-300">{t("invoices.noDisputes")}</p>
          ) : (
            <ul className="mt-3 space-y-3" data-testid="dispute-list">
              {detail.disputes.map((d) => {
                const noteId = d.creditNoteNumber ? creditNoteIds.get(d.creditNoteNumber) : undefined;
                return (
                  <li key={d.id} className="rounded-md border border-slate-200 p-3 text-sm dark:border-slate-800">
                    <p className="flex flex-wrap items-center gap-2">
                      <Badge tone={d.status === "OPEN" ? "warning" : d.status === "RESOLVED" ? "success" : "neutral"}>{t(`invoices.disputeStatus.${d.status as "OPEN" | "RESOLVED" | "REJECTED"}`)}</Badge>
                      <span>{t("invoices.disputedBy", { name: d.by, time: formatMoment(d.at, locale) })}</span>
                    </p>
                    <blockquote className="mt-2 whitespace-pre-line border-l-2 border-slate-300 pl-3 dark:border-slate-700">{d.reason}</blockquote>
                    {d.creditNoteNumber ? (
                      <p className="mt-2">
                        {t("invoices.answeredBy")}{" "}
                        {noteId ? <Link href={`${base}/${noteId}`}>{t("invoices.creditNoteTitle", { number: d.creditNoteNumber })}</Link> : t("invoices.creditNoteTitle", { number: d.creditNoteNumber })}
                      </p>
                    ) : null}
                  </li>
                );
              })}
            </ul>
          )}
          {canAct ? (
            <div className="mt-4 max-w-2xl">
              {disputable ? <p className="mb-3 text-sm text-slate-700 dark:text-slate-300">{t("invoices.disputeLead")}</p> : null}
              <DisputeForm
                action={disputeInvoiceAction}
                orgId={membership.org.id}
                invoiceId={detail.id}
                open={disputable}
                text={{
                  formLabel: t("invoices.disputeFormLabel"),
                  label: t("invoices.disputeReason"),
                  hint: t("invoices.disputeReasonHint"),
                  submit: t("invoices.dispute"),
                  working: t("common.working"),
                  closed:
                    detail.status !== "DISPUTED"
                      ? t("invoices.disputeClosed")
                      : detail.disputes.some((d) => d.status === "OPEN")
                        ? t("invoices.disputeOpen")
                        : t("invoices.disputeAnswered"),
                }}
              />
            </div>
          ) : null}
        </Card>
      ) : null}

      {!credit && detail.creditNotes.length > 0 ? (
        <Card className="mt-6">
          <h2 className="text-lg font-semibold">{t("invoices.creditNotes")}</h2>
          <div className="mt-3 overflow-x-auto">
            <table className="w-full min-w-[36rem] text-left text-sm" data-testid="credit-notes">
              <caption className="sr-only">{t("invoices.creditNotesCaption", { number: doc.number })}</caption>
              <thead>
                <tr className="border-b border-slate-300 dark:border-slate-700">
                  <th scope="col" className="py-2 pr-3">{t("invoices.number")}</th>
                  <th scope="col" className="py-2 pr-3">{t("invoices.issueDate")}</th>
                  <th scope="col" className="py-2 pr-3">{t("invoices.reason")}</th>
                  <th scope="col" className="py-2 text-right">{t("invoices.amountInclVat")}</th>
                </tr>
              </thead>
              <tbody>
                {detail.creditNotes.map((c) => (
                  <tr key={c.id} className="border-b border-slate-200 dark:border-slate-800">
                    <th scope="row" className="py-2 pr-3 font-medium">
                      <Link href={`${base}/${c.id}`}>{c.number ?? t("invoices.draft")}</Link>
                    </th>
                    <td className="py-2 pr-3 whitespace-nowrap">{c.issueDate ? formatDay(c.issueDate, locale) : "—"}</td>
                    <td className="py-2 pr-3">{c.reason ?? ""}</td>
                    <td className="py-2 text-right tabular-nums whitespace-nowrap">{formatNok(c.totalOre, locale)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        </Card>
      ) : null}
    </>
  );
}
