import Link from "@/components/ui/link";
import type { Metadata } from "next";
import { orgPageContext } from "@/server/portal-context";
import { getT } from "@/server/i18n/server";
import { Card, PageHeader } from "@/components/ui/card";
import { RequestForm } from "@/components/innovation/request-form";

export async function generateMetadata(): Promise<Metadata> {
  return { title: (await getT())("innovation.form.newTitle") };
}

export default async function NewInnovationRequestPage({ params }: { params: Promise<{ org: string }> }) {
  const { org } = await params;
  const { t, membership } = await orgPageContext(org, "innovation.submit");
  return (
    <>
      <p className="mb-2 text-sm">
        <Link href={`/${membership.org.slug}/innovation`}>{t("innovation.detail.back")}</Link>
      </p>
      <PageHeader title={t("innovation.form.newTitle")} description={t("innovation.form.newLead")} />
      <Card>
        <RequestForm t={t} orgId={membership.org.id} orgSector={membership.org.sector} request={null} />
      </Card>
    </>
  );
}
