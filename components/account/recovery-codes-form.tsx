"use client";
// Asks for an authenticator code, then shows the recovery codes the action answers with (once).
// Used to confirm two-factor enrolment and to make new recovery codes.
import { useActionState, useEffect, useId, useRef, useState } from "react";
import { useRouter } from "next/navigation";
import clsx from "clsx";
import { useFormStatus } from "react-dom";
import type { RecoveryCodesState } from "@/server/auth/recovery-codes-state";
import { buttonClass } from "@/components/ui/button";
import { inputClass } from "@/components/ui/input-class";

export interface RecoveryCodesText {
  formLabel: string;
  codeLabel: string;
  codeHint: string;
  submit: string;
  working: string;
  codesTitle: string;
  codesLead: string;
  codesListLabel: string;
  done: string;
}

export function RecoveryCodesForm({
  action,
  text,
  doneHref,
}: {
  action: (state: RecoveryCodesState, formData: FormData) => Promise<RecoveryCodesState>;
  text: RecoveryCodesText;
  /** Where "I have saved my recovery codes" leads; the page is refreshed so it shows the new state. */
  doneHref: string;
}) {
  const [state, formAction] = useActionState(action, { status: "idle" });
  const id = useId();
  const headingRef = useRef<HTMLHeadingElement>(null);
  const router = useRouter();
  const [dismissed, setDismissed] = useState<number | undefined>();
  const codes = state.recoveryCodes && state.nonce !== dismissed ? state.recoveryCodes : undefined;

  useEffect(() => {
    // Move focus to the codes so screen-reader and keyboard users land on them.
    if (codes) headingRef.current?.focus();
  }, [codes]);

  if (codes) {
    return (
      <div className="mt-4 rounded-md border border-emerald-300 bg-emerald-50 p-4 text-emerald-950 dark:border-emerald-800 dark:bg-emerald-950 dark:text-emerald-50">
        <h3 ref={headingRef} tabIndex={-1} className="text-base font-semibold">
          {text.codesTitle}
        </h3>
        <p className="mt-1 text-sm">{text.codesLead}</p>
        <ol aria-label={text.codesListLabel} className="mt-3 grid grid-cols-2 gap-x-6 gap-y-1 font-mono text-base" data-testid="recovery-codes">
          {codes.map((code) => (
            <li key={code}>{code}</li>
          ))}
        </ol>
        <a
          href={doneHref}
          className={buttonClass("primary", "mt-4")}
          onClick={(event) => {
            event.preventDefault();
            setDismissed(state.nonce);
            router.push(doneHref);
            router.refresh();
          }}
        >
          {text.done}
        </a>
      </div>
    );
  }

  const error = state.fieldErrors?.code;
  const describedBy = [`${id}-hint`, error ? `${id}-error` : null].filter(Boolean).join(" ");
  return (
    <form action={formAction} noValidate aria-label={text.formLabel} className="mt-3 space-y-3">
      {state.status === "error" && state.message && !error ? (
        <p role="alert" className="rounded-md border border-red-300 bg-red-50 px-3 py-2 text-sm text-red-900 dark:border-red-800 dark:bg-red-950 dark:text-red-100">
          {state.message}
        </p>
      ) : null}
      <div>
        <label htmlFor={id} className="mb-1 block text-sm font-medium">
          {text.codeLabel}
          <span aria-hidden="true" className="text-red-700 dark:text-red-300"> *</span>
        </label>
        <input
          key={state.nonce ?? 0}
          id={id}
          name="code"
          type="text"
          inputMode="numeric"
          autoComplete="one-time-code"
          maxLength={7}
          required
          aria-required
          aria-invalid={error ? true : undefined}
          aria-describedby={describedBy}
          className={clsx(inputClass, "max-w-48 font-mono tracking-widest", error && "border-red-600 dark:border-red-400")}
        />
        <p id={`${id}-hint`} className="mt-1 text-xs text-slate-600 dark:text-slate-300">
          {text.codeHint}
        </p>
        {error ? (
          <p id={`${id}-error`} role="alert" className="mt-1 text-sm text-red-700 dark:text-red-300">
            {error}
          </p>
        ) : null}
      </div>
      <Submit label={text.submit} working={text.working} />
    </form>
  );
}

function Submit({ label, working }: { label: string; working: string }) {
  const { pending } = useFormStatus();
  return (
    <button type="submit" disabled={pending} aria-disabled={pending} className={buttonClass("primary")}>
      {pending ? working : label}
    </button>
  );
}
