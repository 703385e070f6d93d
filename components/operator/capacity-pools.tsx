// One region's node pools: nodes, units used of the total (bar + words), running and queued notebooks.
import type { CapacityUnit, PoolCapacity } from "@/control-plane/api-types";
import type { UiLocale } from "@/components/format";
import type { MessageKey, Translate } from "@/server/i18n/locales";
import { Badge } from "@/components/ui/card";
import { CapacityBar, formatAmount, percentOf } from "./capacity-bar";

const UNIT_TEXT: Record<CapacityUnit, MessageKey> = {
  gpu: "operator.capacity.units.gpu",
  "mig-slice": "operator.capacity.units.migSlice",
  vcpu: "operator.capacity.units.vcpu",
};

export function CapacityPools({ t, locale, regionName, pools }: { t: Translate; locale: UiLocale; regionName: string; pools: PoolCapacity[] }) {
  return (
    <div className="overflow-x-auto">
      <table className="w-full min-w-[44rem] text-left text-sm">
        <caption className="sr-only">{t("operator.capacity.poolsCaption", { region: regionName })}</caption>
        <thead>
          <tr className="border-b border-slate-300 align-bottom dark:border-slate-700">
            <th scope="col" className="py-2 pr-3">{t("operator.capacity.pool")}</th>
            <th scope="col" className="py-2 pr-3 text-right">{t("operator.capacity.nodes")}</th>
            <th scope="col" className="py-2 pr-3">{t("operator.capacity.used")}</th>
            <th scope="col" className="py-2 pr-3 text-right">{t("operator.capacity.running")}</th>
            <th scope="col" className="py-2 text-right">{t("operator.capacity.queued")}</th>
          </tr>
        </thead>
        <tbody>
          {pools.map((p) => {
            const percent = percentOf(p.unitsUsed, p.unitsTotal);
            const units = t(UNIT_TEXT[p.unit], { used: formatAmount(p.unitsUsed, locale, 1), total: formatAmount(p.unitsTotal, locale, 1) });
            const text = percent === null ? units : `${units} · ${t("operator.capacity.share", { percent })}`;
            return (
              <tr key={p.pool} className="border-b border-slate-200 align-top dark:border-slate-800" data-testid={`pool-${p.regionId}-${p.pool}`}>
                <th scope="row" className="py-3 pr-3 font-medium">
                  {p.label}
                  <span className="block font-mono text-xs font-normal text-slate-600 dark:text-slate-400">{p.pool}</span>
                </th>
                <td className="py-3 pr-3 text-right tabular-nums">
                  {p.nodes === 0 ? <Badge tone="warning">{t("operator.capacity.noNodes")}</Badge> : p.nodes}
                </td>
                <td className="py-3 pr-3">
                  <CapacityBar percent={percent} text={text}>
                    {p.unitsTotal > 0 && p.unitsUsed >= p.unitsTotal ? <Badge tone="error">{t("operator.capacity.full")}</Badge> : null}
                  </CapacityBar>
                </td>
                <td className="py-3 pr-3 text-right tabular-nums">{p.running}</td>
                <td className="py-3 text-right tabular-nums">{p.queued > 0 ? <strong>{p.queued}</strong> : p.queued}</td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </div>
  );
}
