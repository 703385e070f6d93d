"use server";
// Server actions for invoices. The organisation comes from the form, the caller from the session;
// the operation checks membership and role inside its transaction.
import { revalidatePath } from "next/cache";
import { getT } from "../i18n/server";
import { runOrgOperation, resultState } from "../actions/org-action";
import type { FormState } from "../actions/form-state";
import { approveInvoice, disputeInvoice, updateBillingSettings } from "./operations";

/** Approves an issued invoice (the last required approval marks it approved). */
export async function approveInvoiceAction(_prev: FormState, formData: FormData): Promise<FormState> {
  const { input, result } = await runOrgOperation(approveInvoice, formData);
  if (!result.ok) return resultState(result, input);
  revalidatePath("/[org]/invoices", "layout");
  const t = await getT();
  return resultState(result, input, result.data.approved ? t("invoices.approvedDone") : t("invoices.approvedPartly", { count: result.data.approvals, required: result.data.required }));
}

/** Disputes an invoice with a reason; the provider is asked for a credit note. */
export async function disputeInvoiceAction(_prev: FormState, formData: FormData): Promise<FormState> {
  const { input, result } = await runOrgOperation(disputeInvoice, formData);
  if (result.ok) revalidatePath("/[org]/invoices", "layout");
  return resultState(result, input, (await getT())("invoices.disputed"));
}

/** Saves the buyer and order references and the approval rule. */
export async function updateBillingSettingsAction(_prev: FormState, formData: FormData): Promise<FormState> {
  const { input, result } = await runOrgOperation(updateBillingSettings, formData);
  if (result.ok) revalidatePath("/[org]/invoices", "layout");
  return resultState(result, input, (await getT())("invoices.settingsSaved"));
}
