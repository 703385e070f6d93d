import type { ReactNode } from "react";
import { orgContext } from "@/server/portal-context";
import { PortalShell } from "@/components/shell/portal-shell";
import { Notice } from "@/components/ui/card";
import { BudgetBanner } from "@/components/budgets/budget-banner";
import { budgetBanner } from "@/server/billing/budget-queries";
import { can } from "@/server/permissions";

export default async function OrgLayout({ children, params }: { children: ReactNode; params: Promise<{ org: string }> }) {
  const { org } = await params;
  const { t, locale, path, user, orgs, membership, operator } = await orgContext(org);
  const current = { slug: membership.org.slug, name: membership.org.name, status: membership.org.status, role: membership.role };
  const budgets = await budgetBanner(membership);
  return (
    <PortalShell t={t} locale={locale} path={path} user={user} orgs={orgs} current={current} operator={operator}>
      {membership.org.status === "PENDING_APPROVAL" ? (
        <div className="mb-6">
          <Notice tone="warning" title={t("org.pendingTitle")}>
            {t("org.pendingBody")}
          </Notice>
        </div>
      ) : null}
      {membership.org.status === "SUSPENDED" || membership.org.status === "REJECTED" ? (
        <div className="mb-6">
          <Notice tone="error" title={t(`org.status.${membership.org.status}`)}>
            {t("org.inactiveBody")}
          </Notice>
        </div>
      ) : null}
      <BudgetBanner t={t} locale={locale} slug={membership.org.slug} canView={can(membership.role, "budgets.view")} blocked={budgets.blocked} warnings={budgets.warnings} />
      {children}
    </PortalShell>
  );
}
