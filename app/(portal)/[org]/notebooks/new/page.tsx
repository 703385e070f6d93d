import Link from "@/components/ui/link";
import type { Metadata } from "next";
import { orgPageContext } from "@/server/portal-context";
import { getT } from "@/server/i18n/server";
import { listShapeCards } from "@/server/notebooks/shapes";
import { quotaUsage } from "@/server/notebooks/queries";
import { launchNotebookAction } from "@/server/notebooks/actions";
import { can } from "@/server/permissions";
import { Card, Notice, PageHeader } from "@/components/ui/card";
import { LaunchForm } from "@/components/notebooks/launch-form";
import { formatNumber } from "@/components/format";

export async function generateMetadata(): Promise<Metadata> {
  return { title: (await getT())("notebooks.new") };
}

export default async function NewNotebookPage({ params, searchParams }: { params: Promise<{ org: string }>; searchParams: Promise<{ shape?: string }> }) {
  const { org } = await params;
  const { shape } = await searchParams;
  const { t, membership, locale } = await orgPageContext(org, "notebooks.view");
  const header = <PageHeader title={t("notebooks.new")} description={t("notebooks.newLead")} />;
  if (!can(membership.role, "notebooks.launch", membership.org.status)) {
    const pending = can(membership.role, "notebooks.launch", "ACTIVE");
    return (
      <>
        {header}
        <Notice tone="warning">{pending ? t("errors.orgNotActive") : t("notebooks.cannotLaunch")}</Notice>
      </>
    );
  }
  const [data, quota] = await Promise.all([listShapeCards(membership).catch(() => null), quotaUsage(membership)]);
  if (!data) {
    return (
      <>
        {header}
        <Notice tone="error">{t("errors.controlPlaneUnavailable")}</Notice>
      </>
    );
  }
  const shapes = data.cards.map((s) => ({
    id: s.id,
    name: s.name,
    detail: [s.gpuModel ?? t("shapes.cpuOnly"), `${s.vcpu} vCPU`, `${s.memoryGb} GB`].join(" · "),
    gpu: s.gpuCount > 0 || s.gpuFraction > 0,
    pricePerHourOre: s.pricePerHourOre,
    regions: s.regions.map((r) => ({
      regionId: r.regionId,
      regionName: r.regionName,
      available: r.available,
      total: r.total,
      queued: r.queued,
      kwh: r.estimate?.facilityEnergyKwh ?? null,
      co2eG: r.estimate?.locationCo2eG ?? null,
      embodiedG: r.estimate?.embodiedCo2eG ?? null,
    })),
  }));
  return (
    <>
      {header}
      <p className="mb-4 text-sm">
        {t("notebooks.quota", { used: formatNumber(quota.usedMilli / 1000, locale, 2), quota: quota.quotaMilli / 1000 })}{" "}
        <Link href={`/${membership.org.slug}/shapes`}>{t("notebooks.compareShapes")}</Link>
      </p>
      <Card>
        <LaunchForm
          action={launchNotebookAction}
          orgId={membership.org.id}
          locale={locale}
          shapes={shapes}
          images={data.images.map((i) => ({ id: i.id, name: i.name, gpu: i.gpu }))}
          initialShape={typeof shape === "string" ? shape : undefined}
          text={{
            displayName: t("notebooks.displayName"),
            project: t("notebooks.project"),
            projectHint: t("notebooks.projectHint"),
            image: t("notebooks.image"),
            shape: t("notebooks.shape"),
            region: t("notebooks.region"),
            storage: t("notebooks.storage"),
            storageHint: t("notebooks.storageHint"),
            idle: t("notebooks.idle"),
            idleHint: t("notebooks.idleHint"),
            summary: t("notebooks.summary"),
            price: t("notebooks.price"),
            energy: t("notebooks.energyPerHour"),
            carbon: t("notebooks.carbonPerHour"),
            confirm: t("notebooks.confirm"),
            working: t("common.working"),
            free: t("shapes.freeShort"),
            full: t("shapes.full"),
            gpuImageNote: t("notebooks.gpuImageNote"),
            estimateNote: t("notebooks.estimateNote", { set: data.factorSet?.label ?? "—" }),
            perHour: t("shapes.perHourTemplate"),
          }}
        />
      </Card>
    </>
  );
}
