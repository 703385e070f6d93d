// The portal's own view: GPUs each organisation holds against its quota, most first.
import Link from "@/components/ui/link";
import type { UiLocale } from "@/components/format";
import type { Translate } from "@/server/i18n/locales";
import type { OrgGpuUse } from "@/server/operator/capacity";
import { Badge } from "@/components/ui/card";
import { CapacityBar, formatAmount, percentOf } from "./capacity-bar";

export function CapacityOrgs({ t, locale, orgs }: { t: Translate; locale: UiLocale; orgs: OrgGpuUse[] }) {
  if (orgs.length === 0) return <p className="text-sm text-slate-700 dark:text-slate-300">{t("operator.capacity.noOrgs")}</p>;
  return (
    <div className="overflow-x-auto">
      <table className="w-full min-w-[40rem] text-left text-sm">
        <caption className="sr-only">{t("operator.capacity.orgsCaption")}</caption>
        <thead>
          <tr className="border-b border-slate-300 align-bottom dark:border-slate-700">
            <th scope="col" className="py-2 pr-3">{t("operator.capacity.org")}</th>
            <th scope="col" className="py-2 pr-3">{t("operator.capacity.status")}</th>
            <th scope="col" className="py-2 pr-3 text-right">{t("operator.capacity.notebooks")}</th>
            <th scope="col" className="py-2">{t("operator.capacity.quotaUse")}</th>
          </tr>
        </thead>
        <tbody>
          {orgs.map((o) => {
            const percent = percentOf(o.heldMilli, o.quotaMilli);
            const amounts = t("operator.capacity.ofQuota", { held: formatAmount(o.heldMilli / 1000, locale), quota: formatAmount(o.quotaMilli / 1000, locale) });
            return (
              <tr key={o.orgId} className="border-b border-slate-200 align-top dark:border-slate-800" data-testid={`org-${o.slug}`}>
                <th scope="row" className="py-3 pr-3 font-medium">
                  <Link href={`/operator/organisations/${o.orgId}`}>{o.name}</Link>
                </th>
                <td className="py-3 pr-3">
                  <Badge tone={o.status === "ACTIVE" ? "success" : "warning"}>{t(`org.status.${o.status}`)}</Badge>
                </td>
                <td className="py-3 pr-3 text-right tabular-nums">{o.workbenches}</td>
                <td className="py-3">
                  <CapacityBar percent={percent} text={percent === null ? amounts : `${amounts} · ${t("operator.capacity.share", { percent })}`}>
                    {o.heldMilli > o.quotaMilli ? <Badge tone="error">{t("operator.capacity.overQuota")}</Badge> : null}
                  </CapacityBar>
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </div>
  );
}
