"use server";
// Server actions for monthly budgets. The organisation comes from the form, the caller from the
// session; the operation checks membership and role inside its transaction.
import { revalidatePath } from "next/cache";
import { getT } from "../i18n/server";
import { runOrgOperation, resultState } from "../actions/org-action";
import type { FormState } from "../actions/form-state";
import { deleteBudget, setBudget } from "./budget-operations";

/** Sets the monthly budget of the organisation or of one project (creates or changes it). */
export async function setBudgetAction(_prev: FormState, formData: FormData): Promise<FormState> {
  const { input, result } = await runOrgOperation(setBudget, formData);
  // The layout's budget banner changes too.
  if (result.ok) revalidatePath("/[org]", "layout");
  return resultState(result, input, (await getT())("budgets.saved"));
}

/** Removes a budget. */
export async function deleteBudgetAction(_prev: FormState, formData: FormData): Promise<FormState> {
  const { input, result } = await runOrgOperation(deleteBudget, formData);
  if (result.ok) revalidatePath("/[org]", "layout");
  return resultState(result, input, (await getT())("budgets.deleted"));
}
