import type { Metadata } from "next";
import { getT } from "@/server/i18n/server";
import { operatorContext } from "@/server/operator/context";
import { capacityOverview } from "@/server/operator/capacity";
import { PortalShell } from "@/components/shell/portal-shell";
import { Card, Notice, PageHeader } from "@/components/ui/card";
import { formatDateTime } from "@/components/format";
import { CapacityPools } from "@/components/operator/capacity-pools";
import { CapacityOrgs } from "@/components/operator/capacity-orgs";

export async function generateMetadata(): Promise<Metadata> {
  return { title: (await getT())("operator.capacity.title") };
}

export default async function CapacityPage() {
  const { t, locale, path, user, orgs } = await operatorContext();
  const { cluster, orgs: use } = await capacityOverview(user.userId);
  return (
    <PortalShell t={t} locale={locale} path={path} user={user} orgs={orgs} operator area="operator">
      <PageHeader title={t("operator.capacity.title")} description={t("operator.capacity.lead")} />
      <div className="space-y-6">
        {cluster ? (
          <>
            <p className="text-sm text-slate-700 dark:text-slate-300">{t("operator.capacity.measuredAt", { time: formatDateTime(cluster.generatedAt, locale) })}</p>
            {cluster.regions.length === 0 ? <p className="text-sm">{t("operator.capacity.noPools")}</p> : null}
            {cluster.regions.map(({ region, pools }) => (
              <Card key={region.id}>
                <h2 className="text-lg font-semibold">{region.name}</h2>
                {region.dataCentre ? <p className="mb-3 text-sm text-slate-700 dark:text-slate-300">{region.dataCentre}</p> : null}
                <CapacityPools t={t} locale={locale} regionName={region.name} pools={pools} />
              </Card>
            ))}
          </>
        ) : (
          <Notice tone="error" title={t("operator.capacity.unavailableTitle")}>
            {t("operator.capacity.unavailable")}
          </Notice>
        )}
        <Card>
          <h2 className="text-lg font-semibold">{t("operator.capacity.orgsTitle")}</h2>
          <p className="mb-3 max-w-3xl text-sm text-slate-700 dark:text-slate-300">{t("operator.capacity.orgsLead")}</p>
          <CapacityOrgs t={t} locale={locale} orgs={use} />
        </Card>
      </div>
    </PortalShell>
  );
}
