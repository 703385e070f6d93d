"use server";
// Server action for the organisation's two-factor requirement (owners and admins).
import { revalidatePath } from "next/cache";
import { getT } from "../i18n/server";
import { runOrgOperation, resultState } from "../actions/org-action";
import type { FormState } from "../actions/form-state";
import { setTwoFactorRequirement } from "./two-factor";

/** Requires (or stops requiring) two-factor authentication of every member. */
export async function setTwoFactorRequirementAction(_prev: FormState, formData: FormData): Promise<FormState> {
  const { input, result } = await runOrgOperation(setTwoFactorRequirement, formData);
  if (!result.ok) return resultState(result, input);
  revalidatePath("/[org]", "layout");
  const t = await getT();
  return resultState(result, input, result.data.required ? t("settings.twoFactorOn") : t("settings.twoFactorOff"));
}
