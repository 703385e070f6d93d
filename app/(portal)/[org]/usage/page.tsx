import Link from "@/components/ui/link";
import type { Metadata } from "next";
import { orgPageContext } from "@/server/portal-context";
import { getT } from "@/server/i18n/server";
import { resolveFilter, usageFilterSchema } from "@/server/usage/filter";
import { usageReport } from "@/server/usage/queries";
import { listNotebooks } from "@/server/notebooks/queries";
import { statusLabels } from "@/server/notebooks/labels";
import { Card, PageHeader } from "@/components/ui/card";
import { buttonClass } from "@/components/ui/button";
import { inputClass } from "@/components/ui/input-class";
import { BarChart } from "@/components/usage/bar-chart";
import { QueryProvider } from "@/components/notebooks/query-provider";
import { NotebookList } from "@/components/notebooks/notebook-list";
import { formatMass, formatNok, formatNumber } from "@/components/format";

export async function generateMetadata(): Promise<Metadata> {
  return { title: (await getT())("nav.usage") };
}

type Search = Promise<Record<string, string | string[] | undefined>>;

export default async function UsagePage({ params, searchParams }: { params: Promise<{ org: string }>; searchParams: Search }) {
  const { org } = await params;
  const raw = Object.fromEntries(Object.entries(await searchParams).map(([k, v]) => [k, Array.isArray(v) ? v[0] : v]));
  const { t, membership, locale } = await orgPageContext(org, "usage.view");
  const input = usageFilterSchema.parse(raw);
  const filter = resolveFilter(input);
  const [report, notebooks] = await Promise.all([usageReport(membership, filter), listNotebooks(membership, { refresh: false })]);
  const running = notebooks.filter((n) => n.status === "RUNNING");
  const query = new URLSearchParams(
    Object.entries({ ...input, from: filter.fromDate.toISOString().slice(0, 10), to: new Date(filter.toDate.getTime() - 86_400_000).toISOString().slice(0, 10), granularity: filter.granularity })
      .filter(([, v]) => typeof v === "string" && v !== "")
      .map(([k, v]) => [k, String(v)]),
  ).toString();
  const base = `/${membership.org.slug}/usage`;
  const tot = report.totals;
  const bucketLabel = (iso: string) => (filter.granularity === "hour" ? iso.slice(5, 13).replace("T", " ") + ":00" : iso.slice(5, 10));
  const year = new Date().getUTCFullYear();

  const cards: Array<[string, string, string?]> = [
    [t("usage.gpuHours"), formatNumber(tot.gpuSeconds / 3600, locale, 2)],
    [t("usage.cost"), formatNok(tot.costOre, locale)],
    [t("usage.energy"), `${formatNumber(tot.figures.facilityKwh, locale, 2)} kWh`, t("usage.energyNote", { measured: formatNumber(tot.figures.measuredKwh, locale, 2), overhead: formatNumber(tot.figures.overheadKwh, locale, 2) })],
    [t("usage.co2Location"), formatMass(tot.figures.locationG, locale)],
    [t("usage.co2Market"), formatMass(tot.figures.marketG, locale)],
    [t("usage.co2Embodied"), formatMass(tot.figures.embodiedG, locale)],
    [t("usage.heatReused"), `${formatNumber(tot.figures.heatReusedKwh, locale, 1)} kWh`, t("usage.homes", { homes: formatNumber(tot.figures.homesHeatedYears * 365, locale, 1) })],
  ];

  return (
    <>
      <PageHeader
        title={t("nav.usage")}
        description={t("usage.lead")}
        actions={
          <div className="flex flex-wrap gap-2">
            <a className={buttonClass("secondary")} href={`${base}/export?${query}&format=csv`} download>{t("usage.exportCsv")}</a>
            <a className={buttonClass("secondary")} href={`${base}/export?${query}&format=json`} download>{t("usage.exportJson")}</a>
          </div>
        }
      />
      {report.scope === "own" ? <p className="mb-4 rounded-md border border-slate-300 bg-slate-50 p-3 text-sm dark:border-slate-600 dark:bg-slate-800" data-testid="usage-scope">{t("usage.ownScope")}</p> : null}
      <Card>
        <form className="grid gap-3 sm:grid-cols-2 lg:grid-cols-4" aria-label={t("usage.filters")}>
          <div>
            <label htmlFor="u-from" className="mb-1 block text-sm font-medium">{t("audit.from")}</label>
            <input id="u-from" name="from" type="date" defaultValue={filter.fromDate.toISOString().slice(0, 10)} className={inputClass} />
          </div>
          <div>
            <label htmlFor="u-to" className="mb-1 block text-sm font-medium">{t("audit.to")}</label>
            <input id="u-to" name="to" type="date" defaultValue={new Date(filter.toDate.getTime() - 86_400_000).toISOString().slice(0, 10)} className={inputClass} />
          </div>
          <div>
            <label htmlFor="u-gran" className="mb-1 block text-sm font-medium">{t("usage.granularity")}</label>
            <select id="u-gran" name="granularity" defaultValue={filter.granularity} className={inputClass}>
              <option value="day">{t("usage.daily")}</option>
              <option value="hour">{t("usage.hourly")}</option>
            </select>
          </div>
          <div>
            <label htmlFor="u-project" className="mb-1 block text-sm font-medium">{t("usage.project")}</label>
            <select id="u-project" name="project" defaultValue={input.project ?? ""} className={inputClass}>
              <option value="">{t("audit.any")}</option>
              {report.options.projects.map((p) => <option key={p} value={p}>{p}</option>)}
            </select>
          </div>
          <div>
            <label htmlFor="u-user" className="mb-1 block text-sm font-medium">{t("usage.user")}</label>
            <select id="u-user" name="user" defaultValue={input.user ?? ""} className={inputClass}>
              <option value="">{t("audit.any")}</option>
              {report.options.users.map((u) => <option key={u.id} value={u.id}>{u.name}</option>)}
            </select>
          </div>
          <div>
            <label htmlFor="u-wb" className="mb-1 block text-sm font-medium">{t("usage.workbench")}</label>
            <select id="u-wb" name="workbench" defaultValue={input.workbench ?? ""} className={inputClass}>
              <option value="">{t("audit.any")}</option>
              {report.options.workbenches.map((w) => <option key={w.id} value={w.id}>{w.name}</option>)}
            </select>
          </div>
          <div>
            <label htmlFor="u-shape" className="mb-1 block text-sm font-medium">{t("usage.shape")}</label>
            <select id="u-shape" name="shape" defaultValue={input.shape ?? ""} className={inputClass}>
              <option value="">{t("audit.any")}</option>
              {report.options.shapes.map((s) => <option key={s} value={s}>{s}</option>)}
            </select>
          </div>
          <div className="flex items-end gap-2">
            <button type="submit" className={buttonClass("primary")}>{t("common.filter")}</button>
            <Link href={base} className={buttonClass("ghost")}>{t("common.clear")}</Link>
          </div>
        </form>
      </Card>

      <section aria-labelledby="u-totals" className="mt-6">
        <h2 id="u-totals" className="sr-only">{t("usage.totals")}</h2>
        <dl className="grid gap-4 sm:grid-cols-2 lg:grid-cols-4" data-testid="usage-totals">
          {cards.map(([label, value, note]) => (
            <div key={label} className="rounded-lg border border-slate-200 bg-white p-4 dark:border-slate-800 dark:bg-slate-900">
              <dt className="text-sm text-slate-600 dark:text-slate-400">{label}</dt>
              <dd className="mt-1 text-2xl font-semibold tabular-nums">{value}</dd>
              {note ? <dd className="text-xs text-slate-600 dark:text-slate-400">{note}</dd> : null}
            </div>
          ))}
        </dl>
        <p className="mt-3 text-sm">
          {t("usage.comparison", { comparison: formatMass(tot.figures.comparisonG, locale), actual: formatMass(tot.figures.locationG + tot.figures.embodiedG, locale) })}{" "}
          {t("usage.factorSet", { set: report.factorSet.label })} <Link href="/methodology">{t("usage.methodology")}</Link>
        </p>
      </section>

      <Card className="mt-6">
        <h2 className="text-lg font-semibold">{t("usage.overTime")}</h2>
        <BarChart
          title={t("usage.chartTitle")}
          description={t("usage.chartDescription")}
          unit="kWh"
          bars={report.series.map((s) => ({ label: bucketLabel(s.bucket), value: s.figures.facilityKwh }))}
        />
        <div className="mt-4 max-h-96 overflow-auto" tabIndex={0} role="region" aria-label={t("usage.tableCaption")}>
          <table className="w-full min-w-[48rem] text-left text-sm">
            <caption className="sr-only">{t("usage.tableCaption")}</caption>
            <thead>
              <tr className="border-b border-slate-300 dark:border-slate-700">
                <th scope="col" className="py-2 pr-3">{filter.granularity === "hour" ? t("usage.hour") : t("usage.day")}</th>
                <th scope="col" className="py-2 pr-3 text-right">{t("usage.gpuHours")}</th>
                <th scope="col" className="py-2 pr-3 text-right">{t("usage.cost")}</th>
                <th scope="col" className="py-2 pr-3 text-right">{t("usage.energy")}</th>
                <th scope="col" className="py-2 pr-3 text-right">{t("usage.co2Location")}</th>
                <th scope="col" className="py-2 pr-3 text-right">{t("usage.co2Market")}</th>
                <th scope="col" className="py-2 text-right">{t("usage.co2Embodied")}</th>
              </tr>
            </thead>
            <tbody>
              {report.series.map((s) => (
                <tr key={s.bucket} className="border-b border-slate-200 dark:border-slate-800">
                  <th scope="row" className="py-1 pr-3 font-normal">{filter.granularity === "hour" ? s.bucket.slice(0, 16).replace("T", " ") : s.bucket.slice(0, 10)}</th>
                  <td className="py-1 pr-3 text-right tabular-nums">{formatNumber(s.gpuSeconds / 3600, locale, 2)}</td>
                  <td className="py-1 pr-3 text-right tabular-nums">{formatNok(s.costOre, locale)}</td>
                  <td className="py-1 pr-3 text-right tabular-nums">{formatNumber(s.figures.facilityKwh, locale, 2)} kWh</td>
                  <td className="py-1 pr-3 text-right tabular-nums">{formatMass(s.figures.locationG, locale)}</td>
                  <td className="py-1 pr-3 text-right tabular-nums">{formatMass(s.figures.marketG, locale)}</td>
                  <td className="py-1 text-right tabular-nums">{formatMass(s.figures.embodiedG, locale)}</td>
                </tr>
              ))}
            </tbody>
          </table>
          {report.series.length === 0 ? <p className="mt-2 text-sm">{t("usage.noData")}</p> : null}
        </div>
      </Card>

      <Card className="mt-6">
        <h2 className="text-lg font-semibold">{t("usage.perWorkbench")}</h2>
        <div className="mt-3 overflow-x-auto">
          <table className="w-full min-w-[48rem] text-left text-sm" data-testid="usage-workbenches">
            <caption className="sr-only">{t("usage.perWorkbench")}</caption>
            <thead>
              <tr className="border-b border-slate-300 dark:border-slate-700">
                <th scope="col" className="py-2 pr-3">{t("usage.workbench")}</th>
                <th scope="col" className="py-2 pr-3">{t("usage.project")}</th>
                <th scope="col" className="py-2 pr-3">{t("usage.user")}</th>
                <th scope="col" className="py-2 pr-3">{t("usage.shape")}</th>
                <th scope="col" className="py-2 pr-3 text-right">{t("usage.gpuHours")}</th>
                <th scope="col" className="py-2 pr-3 text-right">{t("usage.cost")}</th>
                <th scope="col" className="py-2 pr-3 text-right">{t("usage.energy")}</th>
                <th scope="col" className="py-2 text-right">{t("usage.co2Location")}</th>
              </tr>
            </thead>
            <tbody>
              {report.workbenches.map((w) => (
                <tr key={w.workbenchId} className="border-b border-slate-200 dark:border-slate-800">
                  <th scope="row" className="py-1 pr-3 font-normal">{w.name}</th>
                  <td className="py-1 pr-3">{w.project}</td>
                  <td className="py-1 pr-3">{w.user}</td>
                  <td className="py-1 pr-3">{w.shapeId}</td>
                  <td className="py-1 pr-3 text-right tabular-nums">{formatNumber(w.gpuSeconds / 3600, locale, 2)}</td>
                  <td className="py-1 pr-3 text-right tabular-nums">{formatNok(w.costOre, locale)}</td>
                  <td className="py-1 pr-3 text-right tabular-nums">{formatNumber(w.figures.facilityKwh, locale, 2)} kWh</td>
                  <td className="py-1 text-right tabular-nums">{formatMass(w.figures.locationG, locale)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      </Card>

      <Card className="mt-6">
        <h2 className="text-lg font-semibold">{t("usage.runningNow")}</h2>
        <p className="mt-1 text-sm text-slate-700 dark:text-slate-300">{t("usage.runningNowLead")}</p>
        <div className="mt-3">
          <QueryProvider>
            <NotebookList
              org={membership.org.slug}
              initial={running}
              onlyRunning
              locale={locale}
              statusLabels={statusLabels(t)}
              text={{
                name: t("notebooks.name"), status: t("notebooks.statusHeading"), shape: t("notebooks.shape"), cost: t("notebooks.costSoFar"),
                energy: t("notebooks.energySoFar"), open: t("notebooks.open"), empty: t("usage.noneRunning"), queued: t("notebooks.queuePosition"),
                caption: t("usage.runningNow"), idleWarning: t("notebooks.idleSoon"),
              }}
            />
          </QueryProvider>
        </div>
      </Card>

      <Card className="mt-6">
        <h2 className="text-lg font-semibold">{t("usage.statement")}</h2>
        <p className="mt-1 text-sm text-slate-700 dark:text-slate-300">{t("usage.statementLead")}</p>
        <ul className="mt-3 flex flex-wrap gap-3 text-sm">
          {[year, year - 1].map((y) => (
            <li key={y} className="flex gap-2">
              <a className={buttonClass("secondary")} href={`${base}/statement?year=${y}&format=csv`} download>{t("usage.statementCsv", { year: y })}</a>
              <a className={buttonClass("secondary")} href={`${base}/statement?year=${y}&format=json`} download>{t("usage.statementJson", { year: y })}</a>
            </li>
          ))}
        </ul>
      </Card>
    </>
  );
}
