"use server";
// Server actions for team access. The organisation comes from the form, the caller from the session;
// the operation checks membership and role inside its transaction.
import { revalidatePath } from "next/cache";
import { redirect } from "next/navigation";
import { getT } from "../i18n/server";
import { runOrgOperation, resultState } from "../actions/org-action";
import type { FormState } from "../actions/form-state";
import { changeMemberRole, inviteMember, removeMember, resendInvitation, revokeInvitation } from "./operations";

/** Invites a person by e-mail with a role. */
export async function inviteMemberAction(_prev: FormState, formData: FormData): Promise<FormState> {
  const { input, result } = await runOrgOperation(inviteMember, formData);
  if (result.ok) revalidatePath("/[org]/team", "page");
  return resultState(result, input, (await getT())("team.invited", { email: input.email ?? "" }));
}

/** Revokes a pending invitation. */
export async function revokeInvitationAction(_prev: FormState, formData: FormData): Promise<FormState> {
  const { input, result } = await runOrgOperation(revokeInvitation, formData);
  if (result.ok) revalidatePath("/[org]/team", "page");
  return resultState(result, input, (await getT())("team.revoked"));
}

/** Sends a pending invitation again with a fresh link. */
export async function resendInvitationAction(_prev: FormState, formData: FormData): Promise<FormState> {
  const { input, result } = await runOrgOperation(resendInvitation, formData);
  if (result.ok) revalidatePath("/[org]/team", "page");
  return resultState(result, input, (await getT())("team.resent"));
}

/** Changes a member's role. */
export async function changeMemberRoleAction(_prev: FormState, formData: FormData): Promise<FormState> {
  const { input, result } = await runOrgOperation(changeMemberRole, formData);
  if (result.ok) revalidatePath("/[org]/team", "page");
  return resultState(result, input, (await getT())("team.roleChanged"));
}

/** Removes a member from the organisation (and ends their sessions). */
export async function removeMemberAction(_prev: FormState, formData: FormData): Promise<FormState> {
  const { input, result } = await runOrgOperation(removeMember, formData);
  if (result.ok && result.data.removedSelf) redirect("/orgs");
  if (result.ok) revalidatePath("/[org]/team", "page");
  return resultState(result, input, (await getT())("team.removed"));
}
