"use client";
// The organisation's notebooks with live status (polling), cost so far and measured carbon.
import Link from "@/components/ui/link";
import { useQuery } from "@tanstack/react-query";
import type { NotebookView } from "@/server/notebooks/queries";
import { formatEnergy, formatMass, formatNok, type UiLocale } from "@/components/format";
import { StatusBadge } from "./status-badge";
import { fetchNotebooks, notebookKeys, pollInterval } from "./query-keys";

export function NotebookList({
  org,
  initial,
  locale,
  statusLabels,
  text,
  onlyRunning = false,
}: {
  org: string;
  initial: NotebookView[];
  onlyRunning?: boolean;
  locale: UiLocale;
  statusLabels: Record<string, string>;
  text: { name: string; status: string; shape: string; cost: string; energy: string; open: string; empty: string; queued: string; caption: string; idleWarning: string };
}) {
  const { data } = useQuery({
    queryKey: notebookKeys.list(org),
    queryFn: () => fetchNotebooks(org),
    initialData: { notebooks: initial },
    refetchInterval: (query) => pollInterval((query.state.data?.notebooks ?? []).map((n) => n.status)),
  });
  const notebooks = onlyRunning ? data.notebooks.filter((n) => n.status === "RUNNING") : data.notebooks;
  if (notebooks.length === 0) return <p className="text-sm text-slate-700 dark:text-slate-300">{text.empty}</p>;
  return (
    <div className="overflow-x-auto">
      <table className="w-full min-w-[48rem] text-left text-sm">
        <caption className="sr-only">{text.caption}</caption>
        <thead>
          <tr className="border-b border-slate-300 dark:border-slate-700">
            <th scope="col" className="py-2 pr-3">{text.name}</th>
            <th scope="col" className="py-2 pr-3">{text.status}</th>
            <th scope="col" className="py-2 pr-3">{text.shape}</th>
            <th scope="col" className="py-2 pr-3 text-right">{text.cost}</th>
            <th scope="col" className="py-2 pr-3 text-right">{text.energy}</th>
            <th scope="col" className="py-2"><span className="sr-only">{text.open}</span></th>
          </tr>
        </thead>
        <tbody>
          {notebooks.map((n) => (
            <tr key={n.id} className="border-b border-slate-200 align-top dark:border-slate-800" data-testid={`notebook-${n.displayName}`}>
              <td className="py-2 pr-3">
                <Link href={`/${org}/notebooks/${n.id}`}>{n.displayName}</Link>
                <span className="block text-xs text-slate-600 dark:text-slate-400">{n.createdBy}</span>
              </td>
              <td className="py-2 pr-3">
                <StatusBadge status={n.status} label={statusLabels[n.status] ?? n.status} />
                {n.status === "QUEUED" && n.queuePosition ? (
                  <span className="block text-xs">{text.queued.replace("{position}", String(n.queuePosition))}</span>
                ) : null}
                {n.idleWarning ? <span className="block text-xs text-amber-800 dark:text-amber-300">{text.idleWarning}</span> : null}
              </td>
              <td className="py-2 pr-3">{n.shapeId}</td>
              <td className="py-2 pr-3 text-right tabular-nums">{formatNok(n.costSoFarOre, locale)}</td>
              <td className="py-2 pr-3 text-right tabular-nums">
                {formatEnergy(n.energyWh, locale)}
                {n.co2eG !== null ? <span className="block text-xs">{formatMass(n.co2eG, locale)} CO2e</span> : null}
              </td>
              <td className="py-2 text-right">
                {n.url ? (
                  <a href={n.url} target="_blank" rel="noopener noreferrer">
                    {text.open}
                    <span className="sr-only"> {n.displayName}</span>
                  </a>
                ) : null}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
