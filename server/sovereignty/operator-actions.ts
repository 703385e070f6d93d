"use server";
// Server actions of the operators' console for deletion requests. The caller comes from the session; the
// operation reads the platform role from the database inside its transaction and refuses everybody else.
import { redirect } from "next/navigation";
import { revalidatePath } from "next/cache";
import type { z } from "zod";
import { currentCaller } from "../auth/session";
import { getT } from "../i18n/server";
import { formInput, resultState } from "../actions/form";
import type { FormState } from "../actions/form-state";
import type { OperatorOperation } from "../operator/define";
import type { MessageKey } from "../i18n/locales";
import { approveDeletion, completeDeletion, rejectDeletion } from "./operator-operations";

async function run<S extends z.ZodType, T>(operation: OperatorOperation<S, T>, formData: FormData, done: MessageKey): Promise<FormState> {
  const input = formInput(formData);
  const caller = await currentCaller();
  if (!caller) redirect("/sign-in");
  const result = await operation.run(caller, input);
  if (result.ok) revalidatePath("/operator/deletions");
  return resultState(result, input, (await getT())(done));
}

/** Approves a deletion request: suspends the organisation and stops its notebooks. */
export async function approveDeletionAction(_prev: FormState, formData: FormData): Promise<FormState> {
  return run(approveDeletion, formData, "operator.deletions.approved");
}

/** Declines a deletion request with a note to the organisation's owners. */
export async function rejectDeletionAction(_prev: FormState, formData: FormData): Promise<FormState> {
  return run(rejectDeletion, formData, "operator.deletions.rejected");
}

/** Marks an approved request completed once the data has been purged. */
export async function completeDeletionAction(_prev: FormState, formData: FormData): Promise<FormState> {
  return run(completeDeletion, formData, "operator.deletions.completed");
}
