"use server";
// Server actions for joint-innovation requests. The organisation comes from the form, the caller from
// the session; the operation checks membership and role inside its transaction.
import { revalidatePath } from "next/cache";
import { redirect } from "next/navigation";
import { getT } from "../i18n/server";
import { runOrgOperation, resultState } from "../actions/org-action";
import type { FormState } from "../actions/form-state";
import { commentOnInnovationRequest, saveInnovationDraft, submitInnovationRequest, withdrawInnovationDraft } from "./operations";

/** Saves a draft; a new one opens on its own page. */
export async function saveInnovationDraftAction(_prev: FormState, formData: FormData): Promise<FormState> {
  const { input, result } = await runOrgOperation(saveInnovationDraft, formData);
  if (!result.ok) return resultState(result, input);
  revalidatePath("/[org]/innovation", "layout");
  if (result.data.created) redirect(`/${result.data.slug}/innovation/${result.data.requestId}?saved=1`);
  return resultState(result, input, (await getT())("innovation.form.draftSaved"));
}

/** Submits (or resubmits) a request to the provider and shows it. */
export async function submitInnovationRequestAction(_prev: FormState, formData: FormData): Promise<FormState> {
  const { input, result } = await runOrgOperation(submitInnovationRequest, formData);
  if (!result.ok) return resultState(result, input);
  revalidatePath("/[org]/innovation", "layout");
  redirect(`/${result.data.slug}/innovation/${result.data.requestId}?submitted=1`);
}

/** Posts a comment to the provider. */
export async function commentOnInnovationRequestAction(_prev: FormState, formData: FormData): Promise<FormState> {
  const { input, result } = await runOrgOperation(commentOnInnovationRequest, formData);
  if (result.ok) revalidatePath("/[org]/innovation", "layout");
  return resultState(result, input, (await getT())("innovation.comments.posted"));
}

/** Deletes a draft and returns to the list. */
export async function withdrawInnovationDraftAction(_prev: FormState, formData: FormData): Promise<FormState> {
  const { input, result } = await runOrgOperation(withdrawInnovationDraft, formData);
  if (!result.ok) return resultState(result, input);
  revalidatePath("/[org]/innovation", "layout");
  redirect(`/${result.data.slug}/innovation?withdrawn=1`);
}
