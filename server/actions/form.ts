// Turns FormData into plain input, and domain outcomes into a translated FormState.
import "server-only";
import { getT } from "../i18n/server";
import { translateDynamic } from "../i18n/locales";
import { toFailure, type ActionResult } from "./define";
import type { FormState } from "./form-state";

const SECRET_FIELDS = /password|confirm|token/i;
const MAX_FIELD = 10_000;

/**
 * Plain object of the form's string fields (files ignored, long values cut). Anyone can post other
 * arguments to a server action (no form, a string, an object...): those carry no fields.
 */
export function formInput(formData: FormData): Record<string, string> {
  const out: Record<string, string> = {};
  if (!isFormData(formData)) return out;
  for (const [key, value] of formData.entries()) {
    if (key.startsWith("$ACTION") || typeof value !== "string") continue;
    out[key] = value.length > MAX_FIELD ? value.slice(0, MAX_FIELD) : value;
  }
  return out;
}

/** Every string value of a repeated field (e.g. checkboxes sharing a name); none when no form arrived. */
export function formList(formData: FormData, name: string): string[] {
  if (!isFormData(formData)) return [];
  return formData.getAll(name).filter((v): v is string => typeof v === "string").map((v) => (v.length > MAX_FIELD ? v.slice(0, MAX_FIELD) : v));
}

function isFormData(value: unknown): value is FormData {
  return typeof FormData !== "undefined" && value instanceof FormData;
}

function refill(input: Record<string, string>): Record<string, string> {
  return Object.fromEntries(Object.entries(input).filter(([k]) => !SECRET_FIELDS.test(k)));
}

/** A failed result as form state: the message and each field's error translated, values kept. */
export async function failureState(
  result: { ok: false; error: string; fieldErrors?: Record<string, string>; params?: Record<string, string | number> },
  input: Record<string, string>,
): Promise<FormState> {
  const t = await getT();
  const fieldErrors = result.fieldErrors
    ? Object.fromEntries(Object.entries(result.fieldErrors).map(([k, v]) => [k, translateDynamic(t, v)]))
    : undefined;
  const message = translateDynamic(t, result.error === "errors.validation" ? "errors.validation" : result.error, result.params);
  return { status: "error", message, fieldErrors, values: refill(input), nonce: Date.now() };
}

/** Runs a domain call that throws AppError on expected failure; returns form state. */
export async function attempt<T>(
  input: Record<string, string>,
  fn: () => Promise<T>,
): Promise<{ ok: true; data: T } | { ok: false; state: FormState }> {
  try {
    return { ok: true, data: await fn() };
  } catch (error) {
    if (isNextControlFlow(error)) throw error;
    return { ok: false, state: await failureState(toFailure(error), input) };
  }
}

/** Form state from an organisation operation's result. */
export async function resultState<T>(result: ActionResult<T>, input: Record<string, string>, okMessage?: string): Promise<FormState> {
  if (!result.ok) return failureState(result, input);
  return { status: "ok", message: okMessage, nonce: Date.now() };
}

/** redirect()/notFound() work by throwing; those must pass through untouched. */
export function isNextControlFlow(error: unknown): boolean {
  const digest = (error as { digest?: unknown } | null)?.digest;
  return typeof digest === "string" && (digest.startsWith("NEXT_REDIRECT") || digest.startsWith("NEXT_HTTP_ERROR_FALLBACK") || digest === "NEXT_NOT_FOUND");
}
