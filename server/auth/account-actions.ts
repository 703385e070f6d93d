"use server";
// Server actions for the signed-in user's own security: two-factor authentication and sessions.
// Each resolves the caller from the session (never from the form) and acts on that user only.
import { revalidatePath } from "next/cache";
import { redirect } from "next/navigation";
import { attempt, formInput } from "../actions/form";
import type { FormState } from "../actions/form-state";
import { getT } from "../i18n/server";
import type { RecoveryCodesState } from "./recovery-codes-state";
import { currentCaller } from "./session";
import { revokeOtherSessions, revokeSession } from "./sessions";
import { cancelTwoFactorEnrolment, confirmTwoFactorEnrolment, disableTwoFactor, regenerateRecoveryCodes, startTwoFactorEnrolment } from "./two-factor";

async function caller() {
  const found = await currentCaller();
  if (!found) redirect("/sign-in?callbackUrl=%2Faccount");
  return found;
}

/** Starts two-factor enrolment: a new secret, shown as a QR code and as text on the account page. */
export async function startTwoFactorAction(_prev: FormState, formData: FormData): Promise<FormState> {
  const input = formInput(formData);
  const me = await caller();
  const result = await attempt(input, () => startTwoFactorEnrolment(me.userId, me.meta));
  if (!result.ok) return result.state;
  revalidatePath("/account");
  return { status: "ok", nonce: Date.now() };
}

/** Abandons an unconfirmed enrolment. */
export async function cancelTwoFactorAction(_prev: FormState, formData: FormData): Promise<FormState> {
  const input = formInput(formData);
  const me = await caller();
  const result = await attempt(input, () => cancelTwoFactorEnrolment(me.userId, me.meta));
  if (!result.ok) return result.state;
  revalidatePath("/account");
  return { status: "ok", nonce: Date.now() };
}

/** Confirms enrolment with a code; answers with the recovery codes, shown once. */
export async function confirmTwoFactorAction(_prev: RecoveryCodesState, formData: FormData): Promise<RecoveryCodesState> {
  const input = formInput(formData);
  const me = await caller();
  const result = await attempt(input, () => confirmTwoFactorEnrolment(me.userId, me.sessionId, input, me.meta));
  if (!result.ok) return result.state;
  // No revalidation here: the page would replace the form before the codes are read.
  return { status: "ok", recoveryCodes: result.data.recoveryCodes, nonce: Date.now() };
}

/** Replaces the recovery codes after a current code; answers with the new ones, shown once. */
export async function regenerateRecoveryCodesAction(_prev: RecoveryCodesState, formData: FormData): Promise<RecoveryCodesState> {
  const input = formInput(formData);
  const me = await caller();
  const result = await attempt(input, () => regenerateRecoveryCodes(me.userId, input, me.meta));
  if (!result.ok) return result.state;
  return { status: "ok", recoveryCodes: result.data.recoveryCodes, nonce: Date.now() };
}

/** Turns two-factor authentication off (password and a code needed). */
export async function disableTwoFactorAction(_prev: FormState, formData: FormData): Promise<FormState> {
  const input = formInput(formData);
  const me = await caller();
  const result = await attempt(input, () => disableTwoFactor(me.userId, input, me.meta));
  if (!result.ok) return result.state;
  revalidatePath("/account");
  return { status: "ok", message: (await getT())("twoFactor.disabled"), nonce: Date.now() };
}

/** Signs out one of the caller's sessions. */
export async function revokeSessionAction(_prev: FormState, formData: FormData): Promise<FormState> {
  const input = formInput(formData);
  const me = await caller();
  const result = await attempt(input, () => revokeSession(me.userId, input, me.meta));
  if (!result.ok) return result.state;
  revalidatePath("/account/sessions");
  return { status: "ok", message: (await getT())("sessions.signedOutOne"), nonce: Date.now() };
}

/** Signs out every session of the caller except this one. */
export async function revokeOtherSessionsAction(_prev: FormState, formData: FormData): Promise<FormState> {
  const input = formInput(formData);
  const me = await caller();
  const result = await attempt(input, () => revokeOtherSessions(me.userId, me.sessionId, me.meta));
  if (!result.ok) return result.state;
  revalidatePath("/account/sessions");
  return { status: "ok", message: (await getT())("sessions.signedOutOthers", { count: result.data }), nonce: Date.now() };
}

