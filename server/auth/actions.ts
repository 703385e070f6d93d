"use server";
// Server actions for signing up, in and out, and account self-service. Each is a public endpoint:
// it validates its input and authorises in the domain call it makes.
import { redirect } from "next/navigation";
import { cookies } from "next/headers";
import { CredentialsSignin } from "next-auth";
import { signIn, signOut } from "./auth";
import { currentCaller, requestMeta } from "./session";
import { signUpOrganisation } from "./sign-up";
import { changePassword, requestPasswordReset, resendVerification, resetPassword, setUserLocale, signOutEverywhere, verifyEmail } from "./account";
import { acceptInvitation, acceptInvitationWithNewAccount } from "../members/invitations";
import { attempt, failureState, formInput, isNextControlFlow } from "../actions/form";
import type { FormState } from "../actions/form-state";
import { getT } from "../i18n/server";
import { LOCALE_COOKIE, isLocale } from "../i18n/locales";
import { safeReturnPath } from "./return-path";
import { beginSecondStep, challengeCookie, clearSecondStep } from "./second-step-cookie";
import { oidcSettings, OIDC_PROVIDER_ID } from "./oidc";
import { serverEnv } from "../env";

/** Registers an organisation and its first owner, then asks them to verify the e-mail address. */
export async function signUpAction(_prev: FormState, formData: FormData): Promise<FormState> {
  const input = formInput(formData);
  const meta = await requestMeta();
  const result = await attempt(input, () => signUpOrganisation(input, meta));
  if (!result.ok) return result.state;
  redirect(`/sign-up/check-email?email=${encodeURIComponent(result.data.email)}`);
}

/**
 * Signs in with e-mail and password; failures say nothing about whether the account exists. An
 * account with two-factor authentication goes on to the code step (no session exists before it).
 */
export async function signInAction(_prev: FormState, formData: FormData): Promise<FormState> {
  const input = formInput(formData);
  const t = await getT();
  const returnPath = safeReturnPath(input.callbackUrl);
  const redirectTo = returnPath ?? "/orgs";
  try {
    await signIn("credentials", { email: input.email ?? "", password: input.password ?? "", redirectTo });
  } catch (error) {
    if (error instanceof CredentialsSignin) {
      if (error.code === "totp_required" && (await beginSecondStep(input.email ?? ""))) {
        redirect(`/sign-in?step=code${returnPath ? `&callbackUrl=${encodeURIComponent(returnPath)}` : ""}`);
      }
      const message =
        error.code === "rate_limited" ? t("signIn.rateLimited") : error.code === "unverified" ? t("signIn.unverified") : t("signIn.invalid");
      return { status: "error", message, values: { email: input.email ?? "" }, nonce: Date.now() };
    }
    throw error;
  }
  return { status: "ok" };
}

/** The code step of signing in: a TOTP code or a recovery code with the challenge from the password step. */
export async function signInCodeAction(_prev: FormState, formData: FormData): Promise<FormState> {
  const input = formInput(formData);
  const t = await getT();
  const returnPath = safeReturnPath(input.callbackUrl);
  const expired = `/sign-in?expired=1${returnPath ? `&callbackUrl=${encodeURIComponent(returnPath)}` : ""}`;
  const challenge = await challengeCookie();
  if (!challenge) redirect(expired);
  try {
    await signIn("credentials", { challenge, code: input.code ?? "", redirectTo: returnPath ?? "/orgs" });
  } catch (error) {
    if (error instanceof CredentialsSignin) {
      if (error.code === "challenge_expired") {
        await clearSecondStep();
        redirect(expired);
      }
      const message = error.code === "rate_limited" ? t("signIn.rateLimited") : t("signIn.codeInvalid");
      return { status: "error", message, fieldErrors: { code: message }, nonce: Date.now() };
    }
    // Signed in: the challenge has done its job.
    if (isNextControlFlow(error)) await clearSecondStep();
    throw error;
  }
  return { status: "ok" };
}

/** Starts signing in at the configured OpenID Connect provider (redirects there). */
export async function oidcSignInAction(formData: FormData): Promise<void> {
  if (!oidcSettings(serverEnv())) redirect("/sign-in");
  const returnPath = safeReturnPath(formInput(formData).callbackUrl);
  await signIn(OIDC_PROVIDER_ID, { redirectTo: returnPath ?? "/orgs" });
}

/** Ends this browser's session. */
export async function signOutAction(): Promise<void> {
  await signOut({ redirectTo: "/sign-in?signedOut=1" });
}

/** Sends a password-reset link if the account exists; the answer is the same either way. */
export async function forgotPasswordAction(_prev: FormState, formData: FormData): Promise<FormState> {
  const input = formInput(formData);
  const meta = await requestMeta();
  const result = await attempt(input, () => requestPasswordReset(input, meta));
  if (!result.ok) return result.state;
  return { status: "ok", message: (await getT())("forgot.sent"), nonce: Date.now() };
}

/** Sets a new password from a reset link, then sends the user to sign in. */
export async function resetPasswordAction(_prev: FormState, formData: FormData): Promise<FormState> {
  const input = formInput(formData);
  const meta = await requestMeta();
  const result = await attempt(input, () => resetPassword(input, meta));
  if (!result.ok) return result.state;
  redirect("/sign-in?reset=1");
}

/** Sends a new verification link to an unverified address; the answer is the same either way. */
export async function resendVerificationAction(_prev: FormState, formData: FormData): Promise<FormState> {
  const input = formInput(formData);
  const meta = await requestMeta();
  const result = await attempt(input, () => resendVerification(input, meta));
  if (!result.ok) return result.state;
  return { status: "ok", message: (await getT())("verify.resent"), nonce: Date.now() };
}

/** Changes the password of the signed-in user; every session ends, so they sign in again. */
export async function changePasswordAction(_prev: FormState, formData: FormData): Promise<FormState> {
  const input = formInput(formData);
  const caller = await currentCaller();
  if (!caller) redirect("/sign-in");
  const result = await attempt(input, () => changePassword(caller.userId, input, caller.meta));
  if (!result.ok) return result.state;
  await signOut({ redirectTo: "/sign-in?passwordChanged=1" });
  return { status: "ok" };
}

/** Ends every session of the signed-in user, on all devices. */
export async function signOutEverywhereAction(): Promise<void> {
  const caller = await currentCaller();
  if (!caller) redirect("/sign-in");
  await signOutEverywhere(caller.userId, caller.meta);
  await signOut({ redirectTo: "/sign-in?signedOut=all" });
}

/** Switches the interface language (cookie, and the user's preference when signed in). */
export async function setLocaleAction(formData: FormData): Promise<void> {
  const input = formInput(formData);
  const locale = input.locale;
  if (!isLocale(locale)) return;
  (await cookies()).set(LOCALE_COOKIE, locale, { path: "/", maxAge: 365 * 86_400, sameSite: "lax", httpOnly: false });
  const caller = await currentCaller();
  if (caller) await setUserLocale(caller.userId, locale);
  const back = safeReturnPath(input.returnTo);
  redirect(back ?? "/");
}

/** The signed-in invitee accepts an invitation sent to their address. */
export async function acceptInvitationAction(_prev: FormState, formData: FormData): Promise<FormState> {
  const input = formInput(formData);
  const caller = await currentCaller();
  if (!caller) redirect(`/sign-in?callbackUrl=${encodeURIComponent(`/invite?token=${input.token ?? ""}`)}`);
  const result = await attempt(input, () => acceptInvitation(caller.userId, input, caller.meta));
  if (!result.ok) return result.state;
  redirect(`/${result.data.orgSlug}?joined=1`);
}

/** An invitee without an account creates one for the invited address and joins, then is signed in. */
export async function acceptInvitationNewAccountAction(_prev: FormState, formData: FormData): Promise<FormState> {
  const input = formInput(formData);
  const meta = await requestMeta();
  const result = await attempt(input, () => acceptInvitationWithNewAccount(input, meta));
  if (!result.ok) return result.state;
  try {
    await signIn("credentials", { email: result.data.email, password: input.password ?? "", redirectTo: `/${result.data.orgSlug}?joined=1` });
  } catch (error) {
    if (error instanceof CredentialsSignin) return failureState({ ok: false, error: "errors.unexpected" }, input);
    throw error;
  }
  return { status: "ok" };
}

/** Confirms the e-mail address from the link's token, then sends the user to sign in. */
export async function verifyEmailAction(_prev: FormState, formData: FormData): Promise<FormState> {
  const input = formInput(formData);
  const meta = await requestMeta();
  const result = await attempt(input, () => verifyEmail(input, meta));
  if (!result.ok) return result.state;
  redirect(`/sign-in?verified=1&email=${encodeURIComponent(result.data.email)}`);
}
