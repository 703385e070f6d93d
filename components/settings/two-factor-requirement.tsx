// The organisation settings' security section: require two-factor authentication of every member.
import type { Translate } from "@/server/i18n/locales";
import type { OrgMembership } from "@/server/orgs/queries";
import { getTwoFactorRequirement } from "@/server/orgs/two-factor";
import { setTwoFactorRequirementAction } from "@/server/orgs/two-factor-actions";
import { can } from "@/server/permissions";
import { Card } from "@/components/ui/card";
import { ActionForm, CheckboxField, SubmitButton } from "@/components/forms/action-form";

export async function TwoFactorRequirementCard({ t, membership }: { t: Translate; membership: OrgMembership }) {
  const requirement = await getTwoFactorRequirement(membership);
  const coverage = t("settings.twoFactorCoverage", { enrolled: requirement.enrolled, members: requirement.members });
  return (
    <Card>
      <h2 className="text-lg font-semibold">{t("settings.security")}</h2>
      {can(membership.role, "org.update") ? (
        <ActionForm action={setTwoFactorRequirementAction} hidden={{ orgId: membership.org.id }} className="mt-4" resetOnSuccess={false} label={t("settings.security")}>
          <CheckboxField name="requireTotp" label={t("settings.twoFactorRequire")} defaultChecked={requirement.required} />
          <p className="text-xs text-slate-600 dark:text-slate-300">{t("settings.twoFactorHint")}</p>
          <p className="text-sm">{coverage}</p>
          <SubmitButton pendingLabel={t("common.working")}>{t("common.save")}</SubmitButton>
        </ActionForm>
      ) : (
        <>
          <p className="mt-2 text-sm">{requirement.required ? t("settings.twoFactorRequired") : t("settings.twoFactorOptional")}</p>
          <p className="mt-1 text-sm text-slate-700 dark:text-slate-300">{coverage}</p>
        </>
      )}
    </Card>
  );
}
