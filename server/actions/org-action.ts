// Runs an organisation operation as the signed-in caller from a form submission.
import "server-only";
import { redirect } from "next/navigation";
import type { z } from "zod";
import { currentCaller } from "../auth/session";
import { formInput, resultState } from "./form";
import type { FormState } from "./form-state";
import type { ActionResult, OrgOperation } from "./define";
import { isDatabaseUnavailable } from "../db-errors";

/** Resolves the caller from the session (never from the form), then runs the operation. */
export async function runOrgOperation<S extends z.ZodType, T>(
  operation: OrgOperation<S, T>,
  formData: FormData,
): Promise<{ input: Record<string, string>; result: ActionResult<T> }> {
  const input = formInput(formData);
  let caller: Awaited<ReturnType<typeof currentCaller>>;
  try {
    caller = await currentCaller();
  } catch (error) {
    // The session could not be checked (database away): say so, do not send a signed-in person to sign in.
    if (isDatabaseUnavailable(error)) return { input, result: { ok: false, error: "errors.unavailable" } };
    throw error;
  }
  if (!caller) redirect("/sign-in");
  return { input, result: await operation.run(caller, input) };
}

export { resultState };
export type { FormState };
