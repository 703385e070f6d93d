"use server";
// Server actions for the organisation's data-deletion request. The organisation comes from the form, the
// caller from the session; the operation checks the owner role inside its transaction.
import { revalidatePath } from "next/cache";
import { getT } from "../i18n/server";
import { runOrgOperation, resultState } from "../actions/org-action";
import type { FormState } from "../actions/form-state";
import { cancelDeletion, requestDeletion } from "./operations";

/** Asks the provider to delete the organisation's data (owners only; one open request at a time). */
export async function requestDeletionAction(_prev: FormState, formData: FormData): Promise<FormState> {
  const { input, result } = await runOrgOperation(requestDeletion, formData);
  if (result.ok) revalidatePath("/[org]/sovereignty", "page");
  return resultState(result, input, (await getT())("sovereignty.deletion.requested"));
}

/** Withdraws a deletion request the provider has not decided on yet. */
export async function cancelDeletionAction(_prev: FormState, formData: FormData): Promise<FormState> {
  const { input, result } = await runOrgOperation(cancelDeletion, formData);
  if (result.ok) revalidatePath("/[org]/sovereignty", "page");
  return resultState(result, input, (await getT())("sovereignty.deletion.cancelled"));
}
