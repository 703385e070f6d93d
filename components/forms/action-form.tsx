"use client";
// A form bound to a server action: shows the translated outcome, keeps typed values after an
// error, and puts each field's error next to it. Works before hydration as a plain POST.
import { createContext, useActionState, useContext, useId, type ReactNode } from "react";
import { useFormStatus } from "react-dom";
import clsx from "clsx";
import type { FormState } from "@/server/actions/form-state";
import { buttonClass, type ButtonVariant } from "@/components/ui/button";
import { inputClass } from "@/components/ui/input-class";

type Action = (state: FormState, formData: FormData) => Promise<FormState>;

const FormStateContext = createContext<FormState>({ status: "idle" });

export function ActionForm({
  action,
  children,
  className,
  hidden,
  resetOnSuccess = true,
  label,
}: {
  action: Action;
  children: ReactNode;
  className?: string;
  hidden?: Record<string, string>;
  resetOnSuccess?: boolean;
  label?: string;
}) {
  const [state, formAction] = useActionState(action, { status: "idle" });
  const statusId = useId();
  return (
    <FormStateContext.Provider value={state}>
      <form
        action={formAction}
        className={clsx("space-y-4", className)}
        noValidate
        aria-label={label}
        aria-describedby={state.message ? statusId : undefined}
        key={resetOnSuccess && state.status === "ok" ? `ok-${state.nonce}` : "form"}
      >
        {hidden ? Object.entries(hidden).map(([name, value]) => <input key={name} type="hidden" name={name} value={value} />) : null}
        <FormOutcome id={statusId} state={state} />
        {children}
      </form>
    </FormStateContext.Provider>
  );
}


/** The translated outcome of the last submission: an alert for errors, a status message for success. */
export function FormOutcome({ id, state }: { id: string; state: FormState }) {
  if (!state.message) return null;
  return (
    <p
      id={id}
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
  );
}

function useField(name: string) {
  const state = useContext(FormStateContext);
  return { error: state.fieldErrors?.[name], refill: state.values?.[name], nonce: state.nonce ?? 0 };
}

export function Field({
  name,
  label,
  type = "text",
  hint,
  defaultValue,
  autoComplete,
  required,
  inputMode,
  maxLength,
  readOnly,
}: {
  name: string;
  label: string;
  type?: "text" | "email" | "password" | "tel" | "date" | "search";
  hint?: string;
  defaultValue?: string;
  autoComplete?: string;
  required?: boolean;
  inputMode?: "numeric" | "text" | "email";
  maxLength?: number;
  readOnly?: boolean;
}) {
  const id = useId();
  const { error, refill, nonce } = useField(name);
  const describedBy = [hint ? `${id}-hint` : null, error ? `${id}-error` : null].filter(Boolean).join(" ") || undefined;
  return (
    <div>
      <label htmlFor={id} className="mb-1 block text-sm font-medium">
        {label}
        {required ? <span aria-hidden="true" className="text-red-700 dark:text-red-300"> *</span> : null}
      </label>
      <input
        key={`${name}-${nonce}`}
        id={id}
        name={name}
        type={type}
        defaultValue={type === "password" ? undefined : (refill ?? defaultValue)}
        autoComplete={autoComplete}
        required={required}
        aria-required={required}
        inputMode={inputMode}
        maxLength={maxLength}
        readOnly={readOnly}
        aria-invalid={error ? true : undefined}
        aria-describedby={describedBy}
        className={clsx(inputClass, error && "border-red-600 dark:border-red-400", readOnly && "bg-slate-100 dark:bg-slate-800")}
      />
      {hint ? (
        <p id={`${id}-hint`} className="mt-1 text-xs text-slate-600 dark:text-slate-300">
          {hint}
        </p>
      ) : null}
      {error ? (
        <p id={`${id}-error`} className="mt-1 text-sm text-red-700 dark:text-red-300">
          {error}
        </p>
      ) : null}
    </div>
  );
}

export function SelectField({
  name,
  label,
  options,
  defaultValue,
  required,
  hint,
}: {
  name: string;
  label: string;
  options: Array<{ value: string; label: string }>;
  defaultValue?: string;
  required?: boolean;
  hint?: string;
}) {
  const id = useId();
  const { error, refill, nonce } = useField(name);
  const describedBy = [hint ? `${id}-hint` : null, error ? `${id}-error` : null].filter(Boolean).join(" ") || undefined;
  return (
    <div>
      <label htmlFor={id} className="mb-1 block text-sm font-medium">
        {label}
        {required ? <span aria-hidden="true" className="text-red-700 dark:text-red-300"> *</span> : null}
      </label>
      <select
        key={`${name}-${nonce}`}
        id={id}
        name={name}
        defaultValue={refill ?? defaultValue}
        aria-required={required}
        aria-invalid={error ? true : undefined}
        aria-describedby={describedBy}
        className={clsx(inputClass, error && "border-red-600 dark:border-red-400")}
      >
        {options.map((o) => (
          <option key={o.value} value={o.value}>
            {o.label}
          </option>
        ))}
      </select>
      {hint ? (
        <p id={`${id}-hint`} className="mt-1 text-xs text-slate-600 dark:text-slate-300">
          {hint}
        </p>
      ) : null}
      {error ? (
        <p id={`${id}-error`} className="mt-1 text-sm text-red-700 dark:text-red-300">
          {error}
        </p>
      ) : null}
    </div>
  );
}

export function CheckboxField({ name, label, required, defaultChecked = false }: { name: string; label: ReactNode; required?: boolean; defaultChecked?: boolean }) {
  const id = useId();
  const { error, refill, nonce } = useField(name);
  // After a failed submission the box shows what was sent (absent = unticked); before, its default.
  const submitted = useContext(FormStateContext).values !== undefined;
  return (
    <div>
      <div className="flex items-start gap-2">
        <input
          key={`${name}-${nonce}`}
          id={id}
          name={name}
          type="checkbox"
          defaultChecked={submitted ? refill === "on" : defaultChecked}
          aria-required={required}
          aria-invalid={error ? true : undefined}
          aria-describedby={error ? `${id}-error` : undefined}
          className="mt-0.5 size-4 accent-brand-700"
        />
        <label htmlFor={id} className="text-sm">
          {label}
        </label>
      </div>
      {error ? (
        <p id={`${id}-error`} className="mt-1 text-sm text-red-700 dark:text-red-300">
          {error}
        </p>
      ) : null}
    </div>
  );
}

export function SubmitButton({ children, variant = "primary", pendingLabel, className }: { children: ReactNode; variant?: ButtonVariant; pendingLabel?: string; className?: string }) {
  const { pending } = useFormStatus();
  return (
    <button type="submit" disabled={pending} aria-disabled={pending} className={buttonClass(variant, className)}>
      {pending && pendingLabel ? pendingLabel : children}
    </button>
  );
}
