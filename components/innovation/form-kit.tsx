"use client";
// Forms of the joint-innovation pages, bound to server actions: multi-line fields, radio groups, and an
// optional second action on its own button (save a draft or submit, from the same fields). The outcome
// is announced, typed values are kept after an error, and each field's error sits next to it (linked
// with aria-describedby). Works before hydration as a plain POST.
import { FormOutcome } from "@/components/forms/action-form";
import { createContext, useActionState, useContext, useId, type ReactNode } from "react";
import clsx from "clsx";
import type { FormState } from "@/server/actions/form-state";
import { buttonClass, type ButtonVariant } from "@/components/ui/button";
import { inputClass } from "@/components/ui/input-class";

type Action = (state: FormState, formData: FormData) => Promise<FormState>;

const IDLE: FormState = { status: "idle" };
const keep: Action = async (state) => state;

interface KitState {
  state: FormState;
  secondary: ((formData: FormData) => void) | null;
  pending: { primary: boolean; secondary: boolean };
}

const KitContext = createContext<KitState>({ state: IDLE, secondary: null, pending: { primary: false, secondary: false } });

/** A form with one action, or two (the second on `SecondaryButton`); the latest outcome is shown. */
export function StateForm({
  action,
  secondaryAction,
  hidden,
  label,
  className,
  resetOnSuccess = false,
  children,
}: {
  action: Action;
  secondaryAction?: Action;
  hidden?: Record<string, string>;
  label: string;
  className?: string;
  resetOnSuccess?: boolean;
  children: ReactNode;
}) {
  const [primaryState, primary, primaryPending] = useActionState(action, IDLE);
  const [secondaryState, secondary, secondaryPending] = useActionState(secondaryAction ?? keep, IDLE);
  const state = (secondaryState.nonce ?? 0) > (primaryState.nonce ?? 0) ? secondaryState : primaryState;
  const statusId = useId();
  return (
    <KitContext.Provider value={{ state, secondary: secondaryAction ? secondary : null, pending: { primary: primaryPending, secondary: secondaryPending } }}>
      <form
        action={primary}
        noValidate
        aria-label={label}
        aria-describedby={state.message ? statusId : undefined}
        className={clsx("space-y-4", className)}
        key={resetOnSuccess && state.status === "ok" ? `ok-${state.nonce}` : "form"}
      >
        {hidden ? Object.entries(hidden).map(([name, value]) => <input key={name} type="hidden" name={name} value={value} />) : null}
        <FormOutcome id={statusId} state={state} />
        {children}
      </form>
    </KitContext.Provider>
  );
}

function useField(name: string) {
  const { state } = useContext(KitContext);
  return { error: state.fieldErrors?.[name], refill: state.values?.[name], nonce: state.nonce ?? 0 };
}

function Label({ htmlFor, children, required }: { htmlFor: string; children: ReactNode; required?: boolean }) {
  return (
    <label htmlFor={htmlFor} className="mb-1 block text-sm font-medium">
      {children}
      {required ? <span aria-hidden="true" className="text-red-700 dark:text-red-300"> *</span> : null}
    </label>
  );
}

function HintAndError({ id, hint, error }: { id: string; hint?: string; error?: string }) {
  return (
    <>
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
    </>
  );
}

const describedBy = (id: string, hint?: string, error?: string) => [hint ? `${id}-hint` : null, error ? `${id}-error` : null].filter(Boolean).join(" ") || undefined;

export function TextField({
  name,
  label,
  hint,
  defaultValue,
  required,
  type = "text",
  maxLength,
  inputMode,
  autoComplete,
  className,
}: {
  name: string;
  label: string;
  hint?: string;
  defaultValue?: string;
  required?: boolean;
  type?: "text" | "email" | "date";
  maxLength?: number;
  inputMode?: "numeric" | "decimal" | "text" | "email";
  autoComplete?: string;
  className?: string;
}) {
  const id = useId();
  const { error, refill, nonce } = useField(name);
  return (
    <div className={className}>
      <Label htmlFor={id} required={required}>
        {label}
      </Label>
      <input
        key={`${name}-${nonce}`}
        id={id}
        name={name}
        type={type}
        defaultValue={refill ?? defaultValue}
        maxLength={maxLength}
        inputMode={inputMode}
        autoComplete={autoComplete}
        aria-required={required || undefined}
        aria-invalid={error ? true : undefined}
        aria-describedby={describedBy(id, hint, error)}
        className={clsx(inputClass, error && "border-red-600 dark:border-red-400")}
      />
      <HintAndError id={id} hint={hint} error={error} />
    </div>
  );
}

export function TextAreaField({
  name,
  label,
  hint,
  defaultValue,
  required,
  rows = 5,
  maxLength,
}: {
  name: string;
  label: string;
  hint?: string;
  defaultValue?: string;
  required?: boolean;
  rows?: number;
  maxLength?: number;
}) {
  const id = useId();
  const { error, refill, nonce } = useField(name);
  return (
    <div>
      <Label htmlFor={id} required={required}>
        {label}
      </Label>
      <textarea
        key={`${name}-${nonce}`}
        id={id}
        name={name}
        rows={rows}
        maxLength={maxLength}
        defaultValue={refill ?? defaultValue}
        aria-required={required || undefined}
        aria-invalid={error ? true : undefined}
        aria-describedby={describedBy(id, hint, error)}
        className={clsx(inputClass, error && "border-red-600 dark:border-red-400")}
      />
      <HintAndError id={id} hint={hint} error={error} />
    </div>
  );
}

export function SelectField({
  name,
  label,
  options,
  hint,
  defaultValue,
  required,
  className,
}: {
  name: string;
  label: string;
  options: Array<{ value: string; label: string }>;
  hint?: string;
  defaultValue?: string;
  required?: boolean;
  className?: string;
}) {
  const id = useId();
  const { error, refill, nonce } = useField(name);
  return (
    <div className={className}>
      <Label htmlFor={id} required={required}>
        {label}
      </Label>
      <select
        key={`${name}-${nonce}`}
        id={id}
        name={name}
        defaultValue={refill ?? defaultValue}
        aria-required={required || undefined}
        aria-invalid={error ? true : undefined}
        aria-describedby={describedBy(id, hint, error)}
        className={clsx(inputClass, error && "border-red-600 dark:border-red-400")}
      >
        {options.map((o) => (
          <option key={o.value} value={o.value}>
            {o.label}
          </option>
        ))}
      </select>
      <HintAndError id={id} hint={hint} error={error} />
    </div>
  );
}

/** A group of radio buttons in a fieldset; each option may carry a description. */
export function RadioGroupField({
  name,
  legend,
  hint,
  options,
  defaultValue,
  required,
}: {
  name: string;
  legend: string;
  hint?: string;
  options: Array<{ value: string; label: string; description?: string }>;
  defaultValue?: string;
  required?: boolean;
}) {
  const id = useId();
  const { error, refill, nonce } = useField(name);
  const checked = refill ?? defaultValue;
  return (
    <fieldset aria-describedby={describedBy(id, hint, error)}>
      <legend className="mb-1 text-sm font-medium">
        {legend}
        {required ? <span aria-hidden="true" className="text-red-700 dark:text-red-300"> *</span> : null}
      </legend>
      {hint ? (
        <p id={`${id}-hint`} className="mb-2 text-xs text-slate-600 dark:text-slate-300">
          {hint}
        </p>
      ) : null}
      <div className="grid gap-2 sm:grid-cols-2">
        {options.map((o) => (
          <div key={`${o.value}-${nonce}`} className="flex items-start gap-2 rounded-md border border-slate-300 p-3 dark:border-slate-600">
            <input
              id={`${id}-${o.value}`}
              type="radio"
              name={name}
              value={o.value}
              defaultChecked={checked === o.value}
              aria-describedby={o.description ? `${id}-${o.value}-description` : undefined}
              className="mt-0.5 size-4 accent-brand-700"
            />
            <div>
              <label htmlFor={`${id}-${o.value}`} className="text-sm font-medium">
                {o.label}
              </label>
              {o.description ? (
                <p id={`${id}-${o.value}-description`} className="text-xs text-slate-600 dark:text-slate-300">
                  {o.description}
                </p>
              ) : null}
            </div>
          </div>
        ))}
      </div>
      {error ? (
        <p id={`${id}-error`} className="mt-1 text-sm text-red-700 dark:text-red-300">
          {error}
        </p>
      ) : null}
    </fieldset>
  );
}

/** Submits with the form's own action. */
export function PrimaryButton({ children, pendingLabel, variant = "primary" }: { children: ReactNode; pendingLabel: string; variant?: ButtonVariant }) {
  const { pending } = useContext(KitContext);
  const busy = pending.primary || pending.secondary;
  return (
    <button type="submit" disabled={busy} aria-disabled={busy} className={buttonClass(variant)}>
      {pending.primary ? pendingLabel : children}
    </button>
  );
}

/** Submits the same fields with the form's second action. */
export function SecondaryButton({ children, pendingLabel, variant = "primary" }: { children: ReactNode; pendingLabel: string; variant?: ButtonVariant }) {
  const { pending, secondary } = useContext(KitContext);
  const busy = pending.primary || pending.secondary;
  if (!secondary) return null;
  return (
    <button type="submit" formAction={secondary} disabled={busy} aria-disabled={busy} className={buttonClass(variant)}>
      {pending.secondary ? pendingLabel : children}
    </button>
  );
}
