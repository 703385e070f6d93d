import Link from "@/components/ui/link";
import type { Metadata } from "next";
import { getT } from "@/server/i18n/server";
import { operatorContext } from "@/server/operator/context";
import { listOrganisations } from "@/server/operator/queries";
import { PortalShell } from "@/components/shell/portal-shell";
import { Badge, Card, PageHeader } from "@/components/ui/card";
import { inputClass } from "@/components/ui/input-class";
import { buttonClass } from "@/components/ui/button";
import { formatNumber } from "@/components/format";
import { formatMomentDate } from "@/components/invoices/format";

export async function generateMetadata(): Promise<Metadata> {
  return { title: (await getT())("operator.orgs.title") };
}

const STATUSES = ["PENDING_APPROVAL", "ACTIVE", "SUSPENDED", "REJECTED"] as const;

export default async function OperatorOrganisations({ searchParams }: { searchParams: Promise<{ status?: string }> }) {
  const { t, locale, path, user, orgs } = await operatorContext();
  const { status } = await searchParams;
  const filter = STATUSES.find((s) => s === status);
  const rows = await listOrganisations(user.userId, filter);
  return (
    <PortalShell t={t} locale={locale} path={path} user={user} orgs={orgs} operator area="operator">
      <PageHeader title={t("operator.orgs.title")} description={t("operator.orgs.lead")} />
      <Card>
        <form className="mb-4 flex flex-wrap items-end gap-3" aria-label={t("operator.orgs.filter")}>
          <div>
            <label htmlFor="org-status" className="mb-1 block text-sm font-medium">{t("operator.orgs.filter")}</label>
            <select id="org-status" name="status" defaultValue={filter ?? ""} className={inputClass}>
              <option value="">{t("operator.orgs.all")}</option>
              {STATUSES.map((s) => <option key={s} value={s}>{t(`org.status.${s}`)}</option>)}
            </select>
          </div>
          <button type="submit" className={buttonClass("secondary")}>{t("operator.orgs.apply")}</button>
        </form>
        {rows.length === 0 ? (
          <p>{t("operator.orgs.none")}</p>
        ) : (
          <div className="overflow-x-auto" tabIndex={0} role="region" aria-label={t("operator.orgs.caption")}>
            <table className="w-full text-left text-sm">
              <caption className="sr-only">{t("operator.orgs.caption")}</caption>
              <thead>
                <tr className="border-b border-slate-200 dark:border-slate-700">
                  <th scope="col" className="py-2 pr-3">{t("operator.orgs.name")}</th>
                  <th scope="col" className="py-2 pr-3">{t("operator.orgs.orgNumber")}</th>
                  <th scope="col" className="py-2 pr-3">{t("operator.orgs.sector")}</th>
                  <th scope="col" className="py-2 pr-3">{t("operator.orgs.status")}</th>
                  <th scope="col" className="py-2 pr-3 text-right">{t("operator.orgs.members")}</th>
                  <th scope="col" className="py-2 pr-3 text-right">{t("operator.orgs.gpus")}</th>
                  <th scope="col" className="py-2">{t("operator.orgs.created")}</th>
                </tr>
              </thead>
              <tbody>
                {rows.map((o) => (
                  <tr key={o.id} className="border-b border-slate-100 dark:border-slate-800">
                    <th scope="row" className="py-2 pr-3 font-medium">
                      <Link href={`/operator/organisations/${o.id}`}>{o.name}</Link>
                    </th>
                    <td className="py-2 pr-3 tabular-nums">{o.orgNumber}</td>
                    <td className="py-2 pr-3">{t(`sectors.${o.sector}`)}</td>
                    <td className="py-2 pr-3">
                      <Badge tone={o.status === "ACTIVE" ? "success" : o.status === "PENDING_APPROVAL" ? "warning" : "error"}>{t(`org.status.${o.status}`)}</Badge>
                    </td>
                    <td className="py-2 pr-3 text-right tabular-nums">{o.members}</td>
                    <td className="py-2 pr-3 text-right tabular-nums">{formatNumber(o.gpusHeld, locale, 2)} / {o.gpuQuota}</td>
                    <td className="py-2 whitespace-nowrap">{formatMomentDate(o.createdAt.toISOString(), locale)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
      </Card>
    </PortalShell>
  );
}
