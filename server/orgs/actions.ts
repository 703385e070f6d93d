"use server";
// Server actions for an organisation's own details.
import { revalidatePath } from "next/cache";
import { getT } from "../i18n/server";
import { runOrgOperation, resultState } from "../actions/org-action";
import type { FormState } from "../actions/form-state";
import { updateOrganisation } from "./operations";

/** Saves the organisation's name, sector, billing address and buyer reference. */
export async function updateOrganisationAction(_prev: FormState, formData: FormData): Promise<FormState> {
  const { input, result } = await runOrgOperation(updateOrganisation, formData);
  if (result.ok) revalidatePath("/[org]", "layout");
  return resultState(result, input, (await getT())("settings.saved"));
}
