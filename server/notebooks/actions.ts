"use server";
// Server actions for notebooks. Each records the intent in one authorised, audited transaction,
// then passes it to the control plane; the worker's reconciler finishes what a failed call left.
import { revalidatePath } from "next/cache";
import { redirect } from "next/navigation";
import { getT } from "../i18n/server";
import { runOrgOperation, resultState } from "../actions/org-action";
import type { FormState } from "../actions/form-state";
import { deleteNotebook, registerLaunch, startNotebook, stopNotebook } from "./operations";
import { convergeWorkbench } from "./sync";
import { db } from "../db";

/** Launches a notebook: records it, asks the control plane, and opens its page. */
export async function launchNotebookAction(_prev: FormState, formData: FormData): Promise<FormState> {
  const { input, result } = await runOrgOperation(registerLaunch, formData);
  if (!result.ok) return resultState(result, input);
  const row = await convergeWorkbench(result.data.workbenchId);
  const org = await db.organization.findUniqueOrThrow({ where: { id: row!.orgId }, select: { slug: true } });
  revalidatePath(`/${org.slug}/notebooks`);
  redirect(`/${org.slug}/notebooks/${result.data.workbenchId}${row?.controlPlaneId ? "" : "?pending=1"}`);
}

async function manage(operation: typeof stopNotebook, formData: FormData, okKey: "notebooks.stopRequested" | "notebooks.startRequested" | "notebooks.deleteRequested") {
  const { input, result } = await runOrgOperation(operation, formData);
  if (!result.ok) return resultState(result, input);
  await convergeWorkbench(result.data.workbenchId);
  revalidatePath("/[org]/notebooks", "layout");
  return resultState(result, input, (await getT())(okKey));
}

/** Stops a running or queued notebook. */
export async function stopNotebookAction(_prev: FormState, formData: FormData): Promise<FormState> {
  return manage(stopNotebook, formData, "notebooks.stopRequested");
}

/** Starts a stopped notebook again. */
export async function startNotebookAction(_prev: FormState, formData: FormData): Promise<FormState> {
  return manage(startNotebook, formData, "notebooks.startRequested");
}

/** Deletes a notebook and its storage. */
export async function deleteNotebookAction(_prev: FormState, formData: FormData): Promise<FormState> {
  return manage(deleteNotebook, formData, "notebooks.deleteRequested");
}
