import Link from "@/components/ui/link";
import type { Metadata } from "next";
import { orgContext } from "@/server/portal-context";
import { getT } from "@/server/i18n/server";
import { getOrganisationDetails, listMembers } from "@/server/orgs/queries";
import { can } from "@/server/permissions";
import { Badge, Card, Notice, PageHeader } from "@/components/ui/card";

export async function generateMetadata(): Promise<Metadata> {
  return { title: (await getT())("nav.overview") };
}

export default async function OrgOverviewPage({ params, searchParams }: { params: Promise<{ org: string }>; searchParams: Promise<{ joined?: string }> }) {
  const { org } = await params;
  const { joined } = await searchParams;
  const { t, membership, locale } = await orgContext(org);
  const [details, members] = await Promise.all([getOrganisationDetails(membership), listMembers(membership)]);
  const date = new Intl.DateTimeFormat(locale === "nb" ? "nb-NO" : "en-GB", { dateStyle: "medium", timeZone: "Europe/Oslo" });
  return (
    <>
      <PageHeader title={details.name} description={t("overview.lead")} />
      {joined ? (
        <div className="mb-6">
          <Notice tone="success">{t("overview.joined", { org: details.name })}</Notice>
        </div>
      ) : null}
      <div className="grid gap-6 lg:grid-cols-3">
        <Card>
          <h2 className="text-sm font-medium text-slate-600 dark:text-slate-400">{t("overview.status")}</h2>
          <p className="mt-2">
            <Badge tone={details.status === "ACTIVE" ? "success" : "warning"}>{t(`org.status.${details.status}`)}</Badge>
          </p>
          <p className="mt-3 text-sm">{t("overview.yourRole", { role: t(`roles.${membership.role}`) })}</p>
        </Card>
        <Card>
          <h2 className="text-sm font-medium text-slate-600 dark:text-slate-400">{t("overview.team")}</h2>
          <p className="mt-2 text-3xl font-semibold">{members.length}</p>
          <p className="mt-1 text-sm">
            <Link href={`/${details.slug}/team`}>{t("overview.manageTeam")}</Link>
          </p>
        </Card>
        <Card>
          <h2 className="text-sm font-medium text-slate-600 dark:text-slate-400">{t("overview.organisation")}</h2>
          <dl className="mt-2 grid grid-cols-[auto_1fr] gap-x-3 gap-y-1 text-sm">
            <dt className="text-slate-600 dark:text-slate-400">{t("fields.orgNumber")}</dt>
            <dd>{details.orgNumber}</dd>
            <dt className="text-slate-600 dark:text-slate-400">{t("fields.sector")}</dt>
            <dd>{t(`sectors.${details.sector}`)}</dd>
            <dt className="text-slate-600 dark:text-slate-400">{t("overview.memberSince")}</dt>
            <dd>{date.format(details.createdAt)}</dd>
            {details.dpaAcceptances[0] ? (
              <>
                <dt className="text-slate-600 dark:text-slate-400">{t("overview.dpa")}</dt>
                <dd>{t("overview.dpaAccepted", { version: details.dpaAcceptances[0].version, date: date.format(details.dpaAcceptances[0].acceptedAt) })}</dd>
              </>
            ) : null}
          </dl>
        </Card>
      </div>
      <Card className="mt-6">
        <h2 className="text-lg font-semibold">{t("overview.nextSteps")}</h2>
        <ul className="mt-2 list-disc space-y-1 pl-5 text-sm">
          {details.status !== "ACTIVE" ? <li>{t("overview.stepApproval")}</li> : null}
          {can(membership.role, "members.invite") ? <li>{t("overview.stepInvite")}</li> : null}
          <li>{t("overview.stepShapes")}</li>
        </ul>
      </Card>
    </>
  );
}
