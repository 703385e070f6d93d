import Link from "@/components/ui/link";
import type { Metadata } from "next";
import { getT } from "@/server/i18n/server";
import { getSessionUser } from "@/server/auth/session";
import { describeInvitation } from "@/server/members/invitations";
import { acceptInvitationAction, acceptInvitationNewAccountAction, signOutAction } from "@/server/auth/actions";
import { ActionForm, Field, SubmitButton } from "@/components/forms/action-form";
import { Notice } from "@/components/ui/card";
import { buttonClass } from "@/components/ui/button";
import { AuthCard } from "../auth-card";

export async function generateMetadata(): Promise<Metadata> {
  return { title: (await getT())("invite.title") };
}

export default async function InvitePage({ searchParams }: { searchParams: Promise<{ token?: string }> }) {
  const t = await getT();
  const { token: rawToken } = await searchParams;
  const token = typeof rawToken === "string" ? rawToken.slice(0, 128) : "";
  const invitation = token ? await describeInvitation(token) : null;
  if (!invitation || invitation.state !== "valid") {
    const reason = !invitation ? "invalid" : invitation.state;
    return (
      <AuthCard title={t("invite.title")}>
        <Notice tone="warning">{t(`invite.state.${reason}`)}</Notice>
      </AuthCard>
    );
  }
  const user = await getSessionUser();
  const role = t(`roles.${invitation.role}`);
  const lead = t("invite.lead", { org: invitation.orgName, role, email: invitation.email });
  const returnTo = `/invite?token=${encodeURIComponent(token)}`;

  if (user && user.email === invitation.email) {
    return (
      <AuthCard title={t("invite.title")} lead={lead}>
        <ActionForm action={acceptInvitationAction} hidden={{ token }} label={t("invite.title")}>
          <SubmitButton className="w-full">{t("invite.accept", { org: invitation.orgName })}</SubmitButton>
        </ActionForm>
      </AuthCard>
    );
  }
  if (user) {
    return (
      <AuthCard title={t("invite.title")} lead={lead}>
        <Notice tone="warning">{t("invite.wrongAccount", { current: user.email, invited: invitation.email })}</Notice>
        <form action={signOutAction} className="mt-4">
          <button type="submit" className={buttonClass("secondary")}>
            {t("nav.signOut")}
          </button>
        </form>
      </AuthCard>
    );
  }
  if (invitation.hasAccount) {
    return (
      <AuthCard title={t("invite.title")} lead={lead}>
        <p className="text-sm">{t("invite.signInToAccept")}</p>
        <Link
          className={buttonClass("primary", "mt-4 w-full")}
          href={`/sign-in?callbackUrl=${encodeURIComponent(returnTo)}&email=${encodeURIComponent(invitation.email)}`}
        >
          {t("nav.signIn")}
        </Link>
      </AuthCard>
    );
  }
  return (
    <AuthCard title={t("invite.title")} lead={lead}>
      <p className="mb-4 text-sm">{t("invite.createAccount")}</p>
      <ActionForm action={acceptInvitationNewAccountAction} hidden={{ token }} label={t("invite.title")}>
        <Field name="email" type="email" label={t("fields.email")} defaultValue={invitation.email} readOnly />
        <Field name="name" label={t("fields.name")} autoComplete="name" required maxLength={120} />
        <Field name="password" type="password" label={t("fields.newPassword")} hint={t("fields.passwordHint")} autoComplete="new-password" required />
        <Field name="confirm" type="password" label={t("fields.confirmPassword")} autoComplete="new-password" required />
        <SubmitButton className="w-full" pendingLabel={t("common.working")}>
          {t("invite.createAndJoin", { org: invitation.orgName })}
        </SubmitButton>
      </ActionForm>
    </AuthCard>
  );
}
