"use server";
// Server actions of the operators' console. The caller comes from the session; each operation checks
// the platform role inside its transaction and audits into the affected organisation's chain.
import { revalidatePath } from "next/cache";
import { redirect } from "next/navigation";
import { currentCaller } from "../auth/session";
import { formInput, formList, resultState } from "../actions/form";
import type { FormState } from "../actions/form-state";
import { getT } from "../i18n/server";
import type { OperatorOperation } from "./define";
import { changeOrgStatus, issueCreditNoteByOperator, publishFactor, setOrgLimits, updateShapeOffer } from "./operations";
import type { z } from "zod";
import type { MessageKey } from "../i18n/locales";

async function run<S extends z.ZodType, T>(operation: OperatorOperation<S, T>, input: Record<string, unknown>, ok: MessageKey, path: string): Promise<FormState> {
  const caller = await currentCaller();
  if (!caller) redirect("/sign-in");
  const result = await operation.run(caller, input);
  if (result.ok) revalidatePath(path, "layout");
  return resultState(result, input as Record<string, string>, (await getT())(ok));
}

export async function changeOrgStatusAction(_prev: FormState, formData: FormData): Promise<FormState> {
  return run(changeOrgStatus, formInput(formData), "operator.orgs.statusChanged", "/operator/organisations");
}

export async function setOrgLimitsAction(_prev: FormState, formData: FormData): Promise<FormState> {
  // Several checkboxes share the name "shapes".
  return run(setOrgLimits, { ...formInput(formData), shapes: formList(formData, "shapes") }, "operator.orgs.limitsSaved", "/operator/organisations");
}

export async function issueCreditNoteAction(_prev: FormState, formData: FormData): Promise<FormState> {
  return run(issueCreditNoteByOperator, formInput(formData), "operator.billing.creditIssued", "/operator/billing");
}

export async function updateShapeOfferAction(_prev: FormState, formData: FormData): Promise<FormState> {
  return run(updateShapeOffer, formInput(formData), "operator.catalogue.offerSaved", "/operator/catalogue");
}

export async function publishFactorAction(_prev: FormState, formData: FormData): Promise<FormState> {
  return run(publishFactor, formInput(formData), "operator.catalogue.factorPublished", "/operator/catalogue");
}
