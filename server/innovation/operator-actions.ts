"use server";
// Server actions of the innovation queue in the operators' console. The caller comes from the session;
// each operation checks the platform role inside its transaction (refusals are audited).
import { revalidatePath } from "next/cache";
import { redirect } from "next/navigation";
import type { z } from "zod";
import { currentCaller } from "../auth/session";
import { formInput, resultState } from "../actions/form";
import type { FormState } from "../actions/form-state";
import type { OperatorOperation } from "../operator/define";
import { getT } from "../i18n/server";
import type { MessageKey } from "../i18n/locales";
import { assignInnovationRequest, changeInnovationStatus, commentAsOperator } from "./operator-operations";

async function run<S extends z.ZodType, T>(operation: OperatorOperation<S, T>, formData: FormData, ok: (data: T) => Promise<string>): Promise<FormState> {
  const input = formInput(formData);
  const caller = await currentCaller();
  if (!caller) redirect("/sign-in");
  const result = await operation.run(caller, input);
  if (!result.ok) return resultState(result, input);
  // The customer's pages show the same request.
  revalidatePath("/operator/innovation", "layout");
  revalidatePath("/[org]/innovation", "layout");
  return resultState(result, input, await ok(result.data));
}

/** Assigns a request to an operator. */
export async function assignInnovationRequestAction(_prev: FormState, formData: FormData): Promise<FormState> {
  return run(assignInnovationRequest, formData, async (data) => (await getT())("operator.innovation.assign.done", { name: data.assignee }));
}

/** Posts the provider's comment to the customer. */
export async function commentAsOperatorAction(_prev: FormState, formData: FormData): Promise<FormState> {
  return run(commentAsOperator, formData, async () => (await getT())("operator.innovation.comment.posted"));
}

/** Moves a request to its next status (accepting may grant a GPU credit). */
export async function changeInnovationStatusAction(_prev: FormState, formData: FormData): Promise<FormState> {
  return run(changeInnovationStatus, formData, async (data) => {
    const t = await getT();
    return t("operator.innovation.status.done", { status: t(`innovation.status.${data.status}` as MessageKey) });
  });
}
