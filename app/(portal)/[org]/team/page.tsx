import type { Metadata } from "next";
import { orgPageContext } from "@/server/portal-context";
import { getT } from "@/server/i18n/server";
import { listMembers, listPendingInvitations } from "@/server/orgs/queries";
import { assignableRoles, can } from "@/server/permissions";
import { changeMemberRoleAction, inviteMemberAction, removeMemberAction, resendInvitationAction, revokeInvitationAction } from "@/server/members/actions";
import { Badge, Card, PageHeader } from "@/components/ui/card";
import { ActionForm, Field, SelectField, SubmitButton } from "@/components/forms/action-form";
import { ConfirmAction } from "@/components/forms/confirm-action";
import { RoleForm } from "@/components/team/role-form";

export async function generateMetadata(): Promise<Metadata> {
  return { title: (await getT())("team.title") };
}

export default async function TeamPage({ params }: { params: Promise<{ org: string }> }) {
  const { org } = await params;
  const { t, membership, user, locale } = await orgPageContext(org, "members.view");
  const orgId = membership.org.id;
  const canManage = can(membership.role, "members.changeRole");
  const canInvite = can(membership.role, "members.invite");
  const [members, invitations] = await Promise.all([listMembers(membership), canInvite ? listPendingInvitations(membership) : Promise.resolve([])]);
  const roleOptions = assignableRoles(membership.role).map((r) => ({ value: r, label: t(`roles.${r}`) }));
  const date = new Intl.DateTimeFormat(locale === "nb" ? "nb-NO" : "en-GB", { dateStyle: "medium", timeZone: "Europe/Oslo" });
  const cancel = t("common.cancel");

  return (
    <>
      <PageHeader title={t("team.title")} description={t("team.lead")} />
      <Card>
        <h2 className="text-lg font-semibold">{t("team.members")}</h2>
        <div className="mt-3 overflow-x-auto">
          <table className="w-full min-w-[40rem] text-left text-sm">
            <caption className="sr-only">{t("team.members")}</caption>
            <thead>
              <tr className="border-b border-slate-300 dark:border-slate-700">
                <th scope="col" className="py-2 pr-4">{t("fields.name")}</th>
                <th scope="col" className="py-2 pr-4">{t("fields.email")}</th>
                <th scope="col" className="py-2 pr-4">{t("fields.role")}</th>
                <th scope="col" className="py-2 pr-4">{t("team.since")}</th>
                {canManage ? <th scope="col" className="py-2"><span className="sr-only">{t("common.actions")}</span></th> : null}
              </tr>
            </thead>
            <tbody>
              {members.map((m) => {
                const editable = canManage && (m.role !== "OWNER" || membership.role === "OWNER");
                const isSelf = m.userId === user.userId;
                return (
                  <tr key={m.membershipId} className="border-b border-slate-200 align-top dark:border-slate-800" data-testid={`member-${m.email}`}>
                    <td className="py-2 pr-4">
                      {m.name} {isSelf ? <span className="text-xs text-slate-600 dark:text-slate-400">({t("team.you")})</span> : null}
                      {!m.verified ? <span className="ml-1"><Badge tone="warning">{t("team.unverified")}</Badge></span> : null}
                    </td>
                    <td className="py-2 pr-4">{m.email}</td>
                    <td className="py-2 pr-4">
                      {editable ? (
                        <RoleForm
                          action={changeMemberRoleAction}
                          orgId={orgId}
                          membershipId={m.membershipId}
                          current={m.role}
                          options={roleOptions.some((o) => o.value === m.role) ? roleOptions : [{ value: m.role, label: t(`roles.${m.role}`) }, ...roleOptions]}
                          label={t("team.roleFor", { name: m.name })}
                          saveLabel={t("common.save")}
                        />
                      ) : (
                        <Badge>{t(`roles.${m.role}`)}</Badge>
                      )}
                    </td>
                    <td className="py-2 pr-4 whitespace-nowrap">{date.format(m.since)}</td>
                    {canManage ? (
                      <td className="py-2 text-right">
                        {editable ? (
                          <ConfirmAction
                            action={removeMemberAction}
                            hidden={{ orgId, membershipId: m.membershipId }}
                            trigger={<>{t("team.remove")}<span className="sr-only"> {m.name}</span></>}
                            title={t("team.removeTitle", { name: m.name })}
                            description={isSelf ? t("team.removeSelfBody") : t("team.removeBody", { name: m.name, org: membership.org.name })}
                            confirmLabel={t("team.removeConfirm")}
                            cancelLabel={cancel}
                          />
                        ) : null}
                      </td>
                    ) : null}
                  </tr>
                );
              })}
            </tbody>
          </table>
        </div>
      </Card>

      {canInvite ? (
        <div className="mt-6 grid gap-6 lg:grid-cols-2">
          <Card>
            <h2 className="text-lg font-semibold">{t("team.invite")}</h2>
            <p className="mt-1 text-sm text-slate-700 dark:text-slate-300">{t("team.inviteLead")}</p>
            <ActionForm action={inviteMemberAction} hidden={{ orgId }} className="mt-4" label={t("team.invite")}>
              <Field name="email" type="email" label={t("fields.email")} autoComplete="off" required maxLength={254} />
              <SelectField name="role" label={t("fields.role")} options={roleOptions} defaultValue="DATA_SCIENTIST" required />
              <SubmitButton pendingLabel={t("common.working")}>{t("team.sendInvite")}</SubmitButton>
            </ActionForm>
          </Card>
          <Card>
            <h2 className="text-lg font-semibold">{t("team.pending")}</h2>
            {invitations.length === 0 ? (
              <p className="mt-2 text-sm text-slate-700 dark:text-slate-300">{t("team.noPending")}</p>
            ) : (
              <ul className="mt-3 divide-y divide-slate-200 dark:divide-slate-800">
                {invitations.map((inv) => {
                  const expired = inv.expiresAt < new Date();
                  return (
                    <li key={inv.id} className="flex flex-wrap items-center justify-between gap-2 py-3 text-sm" data-testid={`invitation-${inv.email}`}>
                      <div>
                        <p className="font-medium">{inv.email}</p>
                        <p className="text-slate-600 dark:text-slate-400">
                          {t(`roles.${inv.role}`)} ·{" "}
                          {expired ? t("team.expired") : t("team.expires", { date: date.format(inv.expiresAt) })}
                        </p>
                      </div>
                      <div className="flex gap-2">
                        <ConfirmAction
                          action={resendInvitationAction}
                          hidden={{ orgId, invitationId: inv.id }}
                          trigger={<>{t("team.resend")}<span className="sr-only"> {inv.email}</span></>}
                          title={t("team.resendTitle", { email: inv.email })}
                          description={t("team.resendBody")}
                          confirmLabel={t("team.resend")}
                          confirmVariant="primary"
                          cancelLabel={cancel}
                        />
                        <ConfirmAction
                          action={revokeInvitationAction}
                          hidden={{ orgId, invitationId: inv.id }}
                          trigger={<>{t("team.revoke")}<span className="sr-only"> {inv.email}</span></>}
                          title={t("team.revokeTitle", { email: inv.email })}
                          description={t("team.revokeBody")}
                          confirmLabel={t("team.revoke")}
                          cancelLabel={cancel}
                        />
                      </div>
                    </li>
                  );
                })}
              </ul>
            )}
          </Card>
        </div>
      ) : null}
    </>
  );
}
