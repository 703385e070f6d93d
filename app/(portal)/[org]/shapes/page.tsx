import Link from "@/components/ui/link";
import type { Metadata } from "next";
import { orgPageContext } from "@/server/portal-context";
import { getT } from "@/server/i18n/server";
import { listShapeCards } from "@/server/notebooks/shapes";
import { can } from "@/server/permissions";
import { Badge, Card, Notice, PageHeader } from "@/components/ui/card";
import { buttonClass } from "@/components/ui/button";
import { formatNok, formatNumber } from "@/components/format";

export async function generateMetadata(): Promise<Metadata> {
  return { title: (await getT())("nav.shapes") };
}

export default async function ShapesPage({ params }: { params: Promise<{ org: string }> }) {
  const { org } = await params;
  const { t, membership, locale } = await orgPageContext(org, "shapes.view");
  const data = await listShapeCards(membership).catch(() => null);
  const canLaunch = can(membership.role, "notebooks.launch", membership.org.status);
  if (!data) {
    return (
      <>
        <PageHeader title={t("nav.shapes")} description={t("shapes.lead")} />
        <Notice tone="error" title={t("shapes.unavailableTitle")}>
          {t("errors.controlPlaneUnavailable")}
        </Notice>
      </>
    );
  }
  return (
    <>
      <PageHeader
        title={t("nav.shapes")}
        description={t("shapes.lead")}
        actions={canLaunch ? <Link className={buttonClass("primary")} href={`/${membership.org.slug}/notebooks/new`}>{t("notebooks.new")}</Link> : null}
      />
      <Card>
        <div className="overflow-x-auto">
          <table className="w-full min-w-[60rem] text-left text-sm">
            <caption className="sr-only">{t("shapes.caption")}</caption>
            <thead>
              <tr className="border-b border-slate-300 align-bottom dark:border-slate-700">
                <th scope="col" className="py-2 pr-3">{t("shapes.shape")}</th>
                <th scope="col" className="py-2 pr-3 text-right">{t("shapes.gpus")}</th>
                <th scope="col" className="py-2 pr-3 text-right">{t("shapes.gpuMemory")}</th>
                <th scope="col" className="py-2 pr-3 text-right">{t("shapes.vcpu")}</th>
                <th scope="col" className="py-2 pr-3 text-right">{t("shapes.memory")}</th>
                <th scope="col" className="py-2 pr-3 text-right">{t("shapes.price")}</th>
                <th scope="col" className="py-2 pr-3">{t("shapes.availabilityAndCarbon")}</th>
                {canLaunch ? <th scope="col" className="py-2"><span className="sr-only">{t("common.actions")}</span></th> : null}
              </tr>
            </thead>
            <tbody>
              {data.cards.map((s) => (
                <tr key={s.id} className="border-b border-slate-200 align-top dark:border-slate-800" data-testid={`shape-${s.id}`}>
                  <th scope="row" className="py-3 pr-3 font-medium">
                    {s.name}
                    <span className="block text-xs font-normal text-slate-600 dark:text-slate-400">{s.gpuModel ?? t("shapes.cpuOnly")}</span>
                  </th>
                  <td className="py-3 pr-3 text-right tabular-nums">{s.migProfile ? t("shapes.migSlice", { profile: s.migProfile }) : s.gpuCount}</td>
                  <td className="py-3 pr-3 text-right tabular-nums">{s.gpuMemoryGb > 0 ? `${s.gpuMemoryGb} GB` : "—"}</td>
                  <td className="py-3 pr-3 text-right tabular-nums">{s.vcpu}</td>
                  <td className="py-3 pr-3 text-right tabular-nums">{s.memoryGb} GB</td>
                  <td className="py-3 pr-3 text-right font-semibold tabular-nums whitespace-nowrap">{t("shapes.perHour", { price: formatNok(s.pricePerHourOre, locale) })}</td>
                  <td className="py-3 pr-3">
                    <ul className="space-y-1">
                      {s.regions.map((r) => (
                        <li key={r.regionId} className="flex flex-wrap items-center gap-x-2">
                          <span className="font-medium">{r.regionName}</span>
                          {r.available > 0 ? (
                            <Badge tone="success">{t("shapes.free", { available: r.available, total: r.total })}</Badge>
                          ) : (
                            <Badge tone="warning">{t("shapes.full", { queued: r.queued })}</Badge>
                          )}
                          {r.estimate ? (
                            <span className="text-xs text-slate-700 dark:text-slate-300">
                              {t("shapes.estimate", {
                                kwh: formatNumber(r.estimate.facilityEnergyKwh, locale, 2),
                                co2: formatNumber(r.estimate.locationCo2eG, locale, 1),
                                embodied: formatNumber(r.estimate.embodiedCo2eG, locale, 1),
                                zone: r.gridZone,
                              })}
                            </span>
                          ) : null}
                        </li>
                      ))}
                    </ul>
                  </td>
                  {canLaunch ? (
                    <td className="py-3 text-right">
                      <Link className={buttonClass("secondary", "px-3 py-1.5")} href={`/${membership.org.slug}/notebooks/new?shape=${s.id}`}>
                        {t("shapes.launch")}
                        <span className="sr-only"> {s.name}</span>
                      </Link>
                    </td>
                  ) : null}
                </tr>
              ))}
            </tbody>
          </table>
        </div>
        {data.factorSet ? (
          <p className="mt-4 text-xs text-slate-600 dark:text-slate-400">
            {t("shapes.method", { pue: formatNumber(data.factorSet.pue, locale, 2), utilisation: Math.round(data.factorSet.utilisation * 100), set: data.factorSet.label })}
          </p>
        ) : null}
      </Card>
    </>
  );
}
