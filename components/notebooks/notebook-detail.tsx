"use client";
// One notebook, live: status in plain words, why it waits or failed, the event log, running cost,
// measured energy and carbon, and stop / start / delete with confirmation.
import { useQuery } from "@tanstack/react-query";
import type { FormState } from "@/server/actions/form-state";
import { ConfirmAction } from "@/components/forms/confirm-action";
import { buttonClass } from "@/components/ui/button";
import { formatDateTime, formatEnergy, formatMass, formatNok, type UiLocale } from "@/components/format";
import { StatusBadge } from "./status-badge";
import { fetchNotebook, notebookKeys, pollInterval, type NotebookDetailData } from "./query-keys";

type Action = (state: FormState, formData: FormData) => Promise<FormState>;

export function NotebookDetail({
  org,
  orgId,
  initial,
  locale,
  statusLabels,
  actions,
  text,
}: {
  org: string;
  orgId: string;
  initial: NotebookDetailData;
  locale: UiLocale;
  statusLabels: Record<string, string>;
  actions: { stop: Action; start: Action; remove: Action };
  text: Record<
    | "status" | "reason" | "queuePosition" | "open" | "cost" | "energy" | "carbon" | "price" | "shape" | "region" | "image" | "storage" | "idle"
    | "events" | "eventsUnavailable" | "noEvents" | "stop" | "stopTitle" | "stopBody" | "start" | "startTitle" | "startBody" | "delete" | "deleteTitle"
    | "deleteBody" | "cancel" | "pending" | "idleWarning" | "perHour",
    string
  >;
}) {
  const { data } = useQuery({
    queryKey: notebookKeys.detail(org, initial.notebook.id),
    queryFn: () => fetchNotebook(org, initial.notebook.id),
    initialData: initial,
    refetchInterval: (query) => pollInterval([query.state.data?.notebook.status ?? "RUNNING"]),
  });
  const n = data.notebook;
  const hidden = { orgId, workbenchId: n.id };
  const canStop = n.canManage && n.desiredState === "RUNNING" && !["FAILED", "LOST", "DELETING", "DELETED", "STOPPED"].includes(n.status);
  const canStart = n.canManage && n.status === "STOPPED" && n.desiredState === "STOPPED";
  const canDelete = n.canManage && !["DELETING", "DELETED"].includes(n.status);

  return (
    <div className="space-y-6">
      <section aria-labelledby="nb-status" className="rounded-lg border border-slate-200 bg-white p-5 dark:border-slate-800 dark:bg-slate-900">
        <h2 id="nb-status" className="sr-only">{text.status}</h2>
        <div className="flex flex-wrap items-center gap-3" role="status" aria-live="polite">
          <StatusBadge status={n.status} label={statusLabels[n.status] ?? n.status} />
          {n.status === "QUEUED" && n.queuePosition ? <span className="text-sm">{text.queuePosition.replace("{position}", String(n.queuePosition))}</span> : null}
          {n.status === "PROVISIONING" && n.lastError ? <span className="text-sm text-amber-800 dark:text-amber-300">{text.pending}</span> : null}
        </div>
        {n.reason ? <p className="mt-2 text-sm"><span className="font-medium">{text.reason}: </span>{n.reason}</p> : null}
        {n.idleWarning ? <p className="mt-2 text-sm text-amber-800 dark:text-amber-300">{text.idleWarning}</p> : null}
        <div className="mt-4 flex flex-wrap gap-2">
          {n.url ? (
            <a className={buttonClass("primary")} href={n.url} target="_blank" rel="noopener noreferrer">
              {text.open}
            </a>
          ) : null}
          {canStop ? (
            <ConfirmAction action={actions.stop} hidden={hidden} trigger={text.stop} title={text.stopTitle} description={text.stopBody} confirmLabel={text.stop} cancelLabel={text.cancel} confirmVariant="primary" />
          ) : null}
          {canStart ? (
            <ConfirmAction action={actions.start} hidden={hidden} trigger={text.start} title={text.startTitle} description={text.startBody} confirmLabel={text.start} cancelLabel={text.cancel} confirmVariant="primary" />
          ) : null}
          {canDelete ? (
            <ConfirmAction action={actions.remove} hidden={hidden} trigger={text.delete} title={text.deleteTitle} description={text.deleteBody} confirmLabel={text.delete} cancelLabel={text.cancel} />
          ) : null}
        </div>
      </section>

      <section aria-label={text.cost} className="grid gap-4 sm:grid-cols-3">
        <div className="rounded-lg border border-slate-200 bg-white p-4 dark:border-slate-800 dark:bg-slate-900">
          <p className="text-sm text-slate-600 dark:text-slate-400">{text.cost}</p>
          <p className="mt-1 text-2xl font-semibold tabular-nums" data-testid="cost-so-far">{formatNok(n.costSoFarOre, locale)}</p>
          <p className="text-xs">{text.price}: {text.perHour.replace("{price}", formatNok(n.pricePerHourOre, locale))}</p>
        </div>
        <div className="rounded-lg border border-slate-200 bg-white p-4 dark:border-slate-800 dark:bg-slate-900">
          <p className="text-sm text-slate-600 dark:text-slate-400">{text.energy}</p>
          <p className="mt-1 text-2xl font-semibold tabular-nums" data-testid="energy-so-far">{formatEnergy(n.energyWh, locale)}</p>
        </div>
        <div className="rounded-lg border border-slate-200 bg-white p-4 dark:border-slate-800 dark:bg-slate-900">
          <p className="text-sm text-slate-600 dark:text-slate-400">{text.carbon}</p>
          <p className="mt-1 text-2xl font-semibold tabular-nums">{n.co2eG !== null ? formatMass(n.co2eG, locale) : "—"}</p>
        </div>
      </section>

      <dl className="grid grid-cols-[auto_1fr] gap-x-4 gap-y-1 rounded-lg border border-slate-200 bg-white p-5 text-sm dark:border-slate-800 dark:bg-slate-900">
        <dt className="text-slate-600 dark:text-slate-400">{text.shape}</dt>
        <dd>{n.shapeId}</dd>
        <dt className="text-slate-600 dark:text-slate-400">{text.region}</dt>
        <dd>{n.regionId}</dd>
        <dt className="text-slate-600 dark:text-slate-400">{text.image}</dt>
        <dd>{n.imageId}</dd>
        <dt className="text-slate-600 dark:text-slate-400">{text.storage}</dt>
        <dd>{n.storageGb} GB</dd>
        <dt className="text-slate-600 dark:text-slate-400">{text.idle}</dt>
        <dd>{n.idleTimeoutMinutes} min</dd>
      </dl>

      <section aria-labelledby="nb-events" className="rounded-lg border border-slate-200 bg-white p-5 dark:border-slate-800 dark:bg-slate-900">
        <h2 id="nb-events" className="text-lg font-semibold">{text.events}</h2>
        {!data.eventsAvailable && n.status !== "PROVISIONING" ? <p className="mt-2 text-sm">{text.eventsUnavailable}</p> : null}
        {data.events.length === 0 ? (
          <p className="mt-2 text-sm text-slate-700 dark:text-slate-300">{text.noEvents}</p>
        ) : (
          <ol className="mt-3 space-y-2 text-sm" data-testid="event-log">
            {[...data.events].reverse().map((e) => (
              <li key={e.id} className="flex flex-wrap gap-x-3">
                <time dateTime={e.at} className="tabular-nums text-slate-600 dark:text-slate-400">{formatDateTime(e.at, locale)}</time>
                <span>{e.message}</span>
              </li>
            ))}
          </ol>
        )}
      </section>
    </div>
  );
}
