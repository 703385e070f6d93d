// Read-only views of a joint-innovation request, shared by the customer's and the operators' pages:
// the status badge (the status in words; colour only repeats it), the details, the agreed credit, the
// status timeline and the comment thread.
import type { InnovationStatus } from "@/generated/prisma/enums";
import type { Translate } from "@/server/i18n/locales";
import type { InnovationCommentItem, InnovationDetail, InnovationTimelineEntry } from "@/server/innovation/queries";
import { statusTone } from "@/server/innovation/status";
import { SHAPES } from "@/control-plane/catalogue";
import { Badge } from "@/components/ui/card";
import { formatNok, type UiLocale } from "@/components/format";
import { formatDay, formatMoment } from "@/components/invoices/format";

export function InnovationStatusBadge({ t, status }: { t: Translate; status: InnovationStatus }) {
  return <Badge tone={statusTone(status)}>{t(`innovation.status.${status}`)}</Badge>;
}

const shapeName = (id: string) => SHAPES.find((s) => s.id === id)?.name ?? id;

function NotGiven({ t }: { t: Translate }) {
  return <span className="text-slate-600 dark:text-slate-400">{t("innovation.detail.notGiven")}</span>;
}

/** What the customer asked for: the project, data sensitivity, GPU estimate, timeline and contacts. */
export function RequestDetails({ t, locale, request }: { t: Translate; locale: UiLocale; request: InnovationDetail }) {
  const duration =
    request.durationValue === null
      ? null
      : request.durationUnit === "MONTHS"
        ? t("innovation.detail.durationMonths", { count: request.durationValue })
        : t("innovation.detail.durationHours", { count: request.durationValue });
  return (
    <div className="space-y-5" data-testid="innovation-details">
      <dl className="grid gap-x-6 gap-y-3 text-sm sm:grid-cols-2 lg:grid-cols-3">
        <div>
          <dt className="text-slate-600 dark:text-slate-400">{t("innovation.form.sector")}</dt>
          <dd className="mt-1">{t(`sectors.${request.sector}`)}</dd>
        </div>
        <div>
          <dt className="text-slate-600 dark:text-slate-400">{t("innovation.form.sensitivity")}</dt>
          <dd className="mt-1">{t(`innovation.sensitivity.${request.sensitivity}`)}</dd>
        </div>
        <div>
          <dt className="text-slate-600 dark:text-slate-400">{t("innovation.form.shape")}</dt>
          <dd className="mt-1">{request.shapeId ? shapeName(request.shapeId) : <NotGiven t={t} />}</dd>
        </div>
        <div>
          <dt className="text-slate-600 dark:text-slate-400">{t("innovation.detail.quantity")}</dt>
          <dd className="mt-1 tabular-nums">{request.gpuQuantity ?? <NotGiven t={t} />}</dd>
        </div>
        <div>
          <dt className="text-slate-600 dark:text-slate-400">{t("innovation.detail.duration")}</dt>
          <dd className="mt-1">{duration ?? <NotGiven t={t} />}</dd>
        </div>
        <div>
          <dt className="text-slate-600 dark:text-slate-400">{t("innovation.form.timeline")}</dt>
          <dd className="mt-1">
            {request.startDate || request.endDate ? (
              t("innovation.detail.period", {
                from: request.startDate ? formatDay(request.startDate, locale) : "…",
                to: request.endDate ? formatDay(request.endDate, locale) : "…",
              })
            ) : (
              <NotGiven t={t} />
            )}
          </dd>
        </div>
      </dl>
      <section aria-labelledby="innovation-problem">
        <h3 id="innovation-problem" className="font-semibold">{t("innovation.form.problem")}</h3>
        <p className="mt-1 max-w-3xl text-sm whitespace-pre-line">{request.problem || <NotGiven t={t} />}</p>
      </section>
      <section aria-labelledby="innovation-outcome">
        <h3 id="innovation-outcome" className="font-semibold">{t("innovation.form.outcome")}</h3>
        <p className="mt-1 max-w-3xl text-sm whitespace-pre-line">{request.outcome || <NotGiven t={t} />}</p>
      </section>
      <section aria-labelledby="innovation-contacts">
        <h3 id="innovation-contacts" className="font-semibold">{t("innovation.form.contacts")}</h3>
        {request.contacts.length === 0 ? (
          <p className="mt-1 text-sm text-slate-700 dark:text-slate-300">{t("innovation.detail.noContacts")}</p>
        ) : (
          <ul className="mt-1 space-y-1 text-sm">
            {request.contacts.map((c, i) => (
              <li key={`${i}-${c.email}`}>
                {c.name}
                {c.role ? <span className="text-slate-700 dark:text-slate-300">, {c.role}</span> : null} · <a href={`mailto:${c.email}`}>{c.email}</a>
              </li>
            ))}
          </ul>
        )}
      </section>
      {request.declineReason ? (
        <section aria-labelledby="innovation-decline">
          <h3 id="innovation-decline" className="font-semibold">{t("innovation.detail.declineReason")}</h3>
          <p className="mt-1 max-w-3xl text-sm whitespace-pre-line">{request.declineReason}</p>
        </section>
      ) : null}
    </div>
  );
}

/** The agreed GPU credit of an accepted request. */
export function CreditSummary({ t, locale, credit }: { t: Translate; locale: UiLocale; credit: NonNullable<InnovationDetail["credit"]> }) {
  return (
    <div data-testid="innovation-credit">
      <h2 className="text-lg font-semibold">{t("innovation.detail.creditTitle")}</h2>
      <p className="mt-1 max-w-3xl text-sm">
        {t("innovation.detail.creditBody", { amount: formatNok(credit.amountOre, locale), from: formatDay(credit.validFrom, locale), to: formatDay(credit.validUntil, locale) })}
      </p>
    </div>
  );
}

/** Every status change (and hand-over to an operator), oldest first. */
export function Timeline({ t, locale, entries }: { t: Translate; locale: UiLocale; entries: InnovationTimelineEntry[] }) {
  if (entries.length === 0) return <p className="mt-2 text-sm text-slate-700 dark:text-slate-300">{t("innovation.timeline.empty")}</p>;
  return (
    <ol className="mt-3 space-y-3 border-l-2 border-slate-300 pl-4 dark:border-slate-700" data-testid="innovation-timeline">
      {entries.map((e) => (
        <li key={e.id} className="text-sm">
          <p className="flex flex-wrap items-center gap-2">
            <time dateTime={e.at} className="text-slate-700 dark:text-slate-300">{formatMoment(e.at, locale)}</time>
            {e.kind === "assigned" ? (
              <span className="font-medium">{t("innovation.timeline.assigned", { name: e.assignee ?? "—" })}</span>
            ) : e.fromStatus === null && e.toStatus === "DRAFT" ? (
              <span className="font-medium">{t("innovation.timeline.created")}</span>
            ) : (
              <InnovationStatusBadge t={t} status={e.toStatus} />
            )}
            <span>{e.byProvider ? t("innovation.timeline.byProvider", { name: e.actor }) : t("innovation.timeline.by", { name: e.actor })}</span>
          </p>
          {e.note ? <blockquote className="mt-1 max-w-3xl border-l-2 border-slate-300 pl-3 whitespace-pre-line dark:border-slate-700">{e.note}</blockquote> : null}
        </li>
      ))}
    </ol>
  );
}

/** The conversation between the customer and the provider, oldest first. */
export function CommentThread({ t, locale, comments }: { t: Translate; locale: UiLocale; comments: InnovationCommentItem[] }) {
  if (comments.length === 0) return <p className="mt-2 text-sm text-slate-700 dark:text-slate-300">{t("innovation.comments.empty")}</p>;
  return (
    <ul className="mt-3 space-y-3" data-testid="innovation-comments">
      {comments.map((c) => (
        <li key={c.id} className={c.fromProvider ? "rounded-md border border-sky-200 bg-sky-50 p-3 text-sm dark:border-sky-900 dark:bg-slate-950" : "rounded-md border border-slate-200 p-3 text-sm dark:border-slate-800"}>
          <p className="flex flex-wrap items-center gap-2">
            <span className="font-medium">{c.author}</span>
            {c.fromProvider ? <Badge tone="info">{t("innovation.comments.provider")}</Badge> : null}
            <time dateTime={c.at} className="text-slate-700 dark:text-slate-300">{formatMoment(c.at, locale)}</time>
          </p>
          <p className="mt-1 whitespace-pre-line">{c.body}</p>
        </li>
      ))}
    </ul>
  );
}
