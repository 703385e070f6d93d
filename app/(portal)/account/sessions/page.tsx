import Link from "@/components/ui/link";
import type { Metadata } from "next";
import { portalContext } from "@/server/portal-context";
import { getT } from "@/server/i18n/server";
import { listActiveSessions, type SessionMethod } from "@/server/auth/sessions";
import { revokeOtherSessionsAction, revokeSessionAction } from "@/server/auth/account-actions";
import type { Translate } from "@/server/i18n/locales";
import type { DeviceDescription } from "@/server/auth/user-agent";
import { PortalShell } from "@/components/shell/portal-shell";
import { Badge, Card, PageHeader } from "@/components/ui/card";
import { ActionForm, SubmitButton } from "@/components/forms/action-form";
import { formatDateTime } from "@/components/format";

export async function generateMetadata(): Promise<Metadata> {
  return { title: (await getT())("sessions.title") };
}

function deviceLabel(t: Translate, device: DeviceDescription): string {
  if (device.browser && device.os) return t("sessions.deviceOn", { browser: device.browser, os: device.os });
  return device.browser ?? device.os ?? t("sessions.unknownDevice");
}

function methodLabel(t: Translate, method: SessionMethod): string {
  return method === "password+totp" ? t("sessions.methodTotp") : method === "oidc" ? t("sessions.methodOidc") : t("sessions.methodPassword");
}

export default async function SessionsPage() {
  const { t, locale, path, user, orgs, operator } = await portalContext();
  const sessions = await listActiveSessions(user.userId, user.sessionId);
  const others = sessions.filter((s) => !s.current).length;
  return (
    <PortalShell t={t} locale={locale} path={path} user={user} orgs={orgs} operator={operator}>
      <p className="mb-2 text-sm">
        <Link href="/account">{t("sessions.back")}</Link>
      </p>
      <PageHeader title={t("sessions.title")} description={t("sessions.lead")} />
      <Card>
        <div className="overflow-x-auto">
          <table className="w-full text-left text-sm">
            <caption className="sr-only">{t("sessions.caption")}</caption>
            <thead className="border-b border-slate-200 text-slate-700 dark:border-slate-700 dark:text-slate-300">
              <tr>
                <th scope="col" className="py-2 pr-4 font-medium">{t("sessions.device")}</th>
                <th scope="col" className="py-2 pr-4 font-medium">{t("sessions.signedIn")}</th>
                <th scope="col" className="py-2 pr-4 font-medium">{t("sessions.lastSeen")}</th>
                <th scope="col" className="py-2 pr-4 font-medium">{t("sessions.ip")}</th>
                <th scope="col" className="py-2 pr-4 font-medium">{t("sessions.method")}</th>
                <th scope="col" className="py-2 font-medium">{t("sessions.actions")}</th>
              </tr>
            </thead>
            <tbody>
              {sessions.map((session) => {
                const device = deviceLabel(t, session.device);
                return (
                  <tr key={session.id} className="border-b border-slate-100 align-top last:border-0 dark:border-slate-800">
                    <th scope="row" className="py-3 pr-4 font-medium">
                      {device}
                      {session.current ? (
                        <span className="ml-2">
                          <Badge tone="info">{t("sessions.thisSession")}</Badge>
                        </span>
                      ) : null}
                    </th>
                    <td className="py-3 pr-4 whitespace-nowrap">{formatDateTime(session.createdAt, locale)}</td>
                    <td className="py-3 pr-4 whitespace-nowrap">{formatDateTime(session.lastSeenAt, locale)}</td>
                    <td className="py-3 pr-4 font-mono">{session.ip}</td>
                    <td className="py-3 pr-4">{methodLabel(t, session.method)}</td>
                    <td className="py-3">
                      {session.current ? null : (
                        <ActionForm action={revokeSessionAction} hidden={{ sessionId: session.id }} className="space-y-2" label={`${t("sessions.signOut")} (${device}, ${session.ip})`}>
                          <SubmitButton variant="secondary" className="px-3 py-1.5">
                            {t("sessions.signOut")}
                            <span className="sr-only">{` (${device}, ${session.ip})`}</span>
                          </SubmitButton>
                        </ActionForm>
                      )}
                    </td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        </div>
        <div className="mt-4">
          {others > 0 ? (
            <ActionForm action={revokeOtherSessionsAction} label={t("sessions.signOutOthers")}>
              <SubmitButton variant="danger" pendingLabel={t("common.working")}>
                {t("sessions.signOutOthers")}
              </SubmitButton>
            </ActionForm>
          ) : (
            <p className="text-sm text-slate-700 dark:text-slate-300">{t("sessions.onlyThis")}</p>
          )}
        </div>
      </Card>
    </PortalShell>
  );
}
