"use client";
// A button that opens an accessible dialog explaining what will happen, with a multi-line note, before
// running a server action (deletion requests and the operators' decisions on them). The outcome is
// announced in the dialog and the note's error shown next to it.
import { FormOutcome } from "@/components/forms/action-form";
import { useActionState, useEffect, useId, useState, type ReactNode } from "react";
import * as Dialog from "@radix-ui/react-dialog";
import clsx from "clsx";
import type { FormState } from "@/server/actions/form-state";
import { buttonClass, type ButtonVariant } from "@/components/ui/button";
import { inputClass } from "@/components/ui/input-class";

export function NoteDialog({
  action,
  hidden,
  trigger,
  triggerVariant = "secondary",
  title,
  description,
  noteName,
  noteLabel,
  noteHint,
  noteRequired = false,
  noteMaxLength = 1000,
  confirmLabel,
  cancelLabel,
  pendingLabel,
  confirmVariant = "danger",
}: {
  action: (state: FormState, formData: FormData) => Promise<FormState>;
  hidden: Record<string, string>;
  trigger: string;
  triggerVariant?: ButtonVariant;
  title: string;
  description: ReactNode;
  noteName: string;
  noteLabel: string;
  noteHint?: string;
  noteRequired?: boolean;
  noteMaxLength?: number;
  confirmLabel: string;
  cancelLabel: string;
  pendingLabel: string;
  confirmVariant?: ButtonVariant;
}) {
  const [open, setOpen] = useState(false);
  const [state, formAction, pending] = useActionState(action, { status: "idle" });
  const id = useId();
  const error = state.fieldErrors?.[noteName];
  const describedBy = [noteHint ? `${id}-hint` : null, error ? `${id}-error` : null].filter(Boolean).join(" ") || undefined;
  // Done: close the dialog and say so next to the button (the page usually re-renders around it too).
  useEffect(() => {
    if (state.status === "ok") setOpen(false);
  }, [state.status, state.nonce]);
  return (
    <Dialog.Root open={open} onOpenChange={setOpen}>
      <Dialog.Trigger className={buttonClass(triggerVariant, "px-3 py-1.5")}>{trigger}</Dialog.Trigger>
      {state.status === "ok" && state.message ? (
        <p role="status" className="text-sm text-emerald-800 dark:text-emerald-200">
          {state.message}
        </p>
      ) : null}
      <Dialog.Portal>
        <Dialog.Overlay className="fixed inset-0 z-40 bg-slate-950/50" />
        <Dialog.Content className="fixed left-1/2 top-1/2 z-50 max-h-[90vh] w-[min(92vw,34rem)] -translate-x-1/2 -translate-y-1/2 overflow-y-auto rounded-lg bg-white p-6 text-slate-900 shadow-xl dark:bg-slate-900 dark:text-slate-100">
          <Dialog.Title className="text-lg font-semibold">{title}</Dialog.Title>
          <Dialog.Description asChild>
            <div className="mt-2 space-y-2 text-sm text-slate-700 dark:text-slate-300">{description}</div>
          </Dialog.Description>
          <form action={formAction} className="mt-5 space-y-4" noValidate aria-describedby={state.message ? `${id}-status` : undefined}>
            {Object.entries(hidden).map(([name, value]) => (
              <input key={name} type="hidden" name={name} value={value} />
            ))}
            <FormOutcome id={`${id}-status`} state={state} />
            <div>
              <label htmlFor={`${id}-note`} className="mb-1 block text-sm font-medium">
                {noteLabel}
                {noteRequired ? <span aria-hidden="true" className="text-red-700 dark:text-red-300"> *</span> : null}
              </label>
              <textarea
                key={`note-${state.nonce ?? 0}`}
                id={`${id}-note`}
                name={noteName}
                rows={3}
                maxLength={noteMaxLength}
                defaultValue={state.status === "error" ? state.values?.[noteName] : undefined}
                aria-required={noteRequired || undefined}
                aria-invalid={error ? true : undefined}
                aria-describedby={describedBy}
                className={clsx(inputClass, error && "border-red-600 dark:border-red-400")}
              />
              {noteHint ? (
                <p id={`${id}-hint`} className="mt-1 text-xs text-slate-600 dark:text-slate-300">
                  {noteHint}
                </p>
              ) : null}
              {error ? (
                <p id={`${id}-error`} className="mt-1 text-sm text-red-700 dark:text-red-300">
                  {error}
                </p>
              ) : null}
            </div>
            <div className="flex flex-wrap justify-end gap-2">
              <Dialog.Close className={buttonClass("secondary")}>{cancelLabel}</Dialog.Close>
              <button type="submit" disabled={pending} aria-disabled={pending} className={buttonClass(confirmVariant)}>
                {pending ? pendingLabel : confirmLabel}
              </button>
            </div>
          </form>
        </Dialog.Content>
      </Dialog.Portal>
    </Dialog.Root>
  );
}
