"use client";
// Disputing an invoice: a reason in a multi-line field (the action forms' fields are single-line),
// with the outcome announced and the field's error next to it. Works before hydration as a plain POST.
import { useActionState, useId } from "react";
import clsx from "clsx";
import type { FormState } from "@/server/actions/form-state";
import { buttonClass } from "@/components/ui/button";
import { inputClass } from "@/components/ui/input-class";

export function DisputeForm({
  action,
  orgId,
  invoiceId,
  open,
  text,
}: {
  action: (state: FormState, formData: FormData) => Promise<FormState>;
  orgId: string;
  invoiceId: string;
  /** False once the invoice can no longer be disputed: the outcome of a submission stays visible. */
  open: boolean;
  text: { label: string; hint: string; submit: string; working: string; formLabel: string; closed: string };
}) {
  const [state, formAction, pending] = useActionState(action, { status: "idle" });
  const id = useId();
  const error = state.fieldErrors?.reason;
  const describedBy = [`${id}-hint`, error ? `${id}-error` : null].filter(Boolean).join(" ");
  const outcome = state.message ? (
    <p
      id={`${id}-status`}
      role={state.status === "error" ? "alert" : "status"}
      className={clsx(
        "rounded-md border px-3 py-2 text-sm",
        state.status === "error"
          ? "border-red-300 bg-red-50 text-red-900 dark:border-red-800 dark:bg-red-950 dark:text-red-100"
          : "border-emerald-300 bg-emerald-50 text-emerald-900 dark:border-emerald-800 dark:bg-emerald-950 dark:text-emerald-100",
      )}
    >
      {state.message}
    </p>
  ) : null;
  if (!open) {
    return (
      <div className="space-y-3">
        {outcome}
        <p className="text-sm text-slate-700 dark:text-slate-300">{text.closed}</p>
      </div>
    );
  }
  return (
    <form action={formAction} className="space-y-4" noValidate aria-label={text.formLabel} aria-describedby={state.message ? `${id}-status` : undefined}>
      <input type="hidden" name="orgId" value={orgId} />
      <input type="hidden" name="invoiceId" value={invoiceId} />
      {outcome}
      <div>
        <label htmlFor={id} className="mb-1 block text-sm font-medium">
          {text.label}
          <span aria-hidden="true" className="text-red-700 dark:text-red-300"> *</span>
        </label>
        <textarea
          key={state.status === "ok" ? `ok-${state.nonce}` : `reason-${state.nonce ?? 0}`}
          id={id}
          name="reason"
          rows={4}
          maxLength={2000}
          required
          aria-required
          defaultValue={state.status === "ok" ? "" : state.values?.reason}
          aria-invalid={error ? true : undefined}
          aria-describedby={describedBy}
          className={clsx(inputClass, error && "border-red-600 dark:border-red-400")}
        />
        <p id={`${id}-hint`} className="mt-1 text-xs text-slate-600 dark:text-slate-300">
          {text.hint}
        </p>
        {error ? (
          <p id={`${id}-error`} className="mt-1 text-sm text-red-700 dark:text-red-300">
            {error}
          </p>
        ) : null}
      </div>
      <button type="submit" disabled={pending} aria-disabled={pending} className={buttonClass("danger")}>
        {pending ? text.working : text.submit}
      </button>
    </form>
  );
}
