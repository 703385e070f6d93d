"use client";
// A button that opens an accessible confirmation dialog before running a server action.
import { useState, type ReactNode } from "react";
import * as Dialog from "@radix-ui/react-dialog";
import type { FormState } from "@/server/actions/form-state";
import { buttonClass, type ButtonVariant } from "@/components/ui/button";
import { ActionForm, SubmitButton } from "./action-form";

export function ConfirmAction({
  action,
  hidden,
  trigger,
  triggerVariant = "secondary",
  title,
  description,
  confirmLabel,
  cancelLabel,
  confirmVariant = "danger",
}: {
  action: (state: FormState, formData: FormData) => Promise<FormState>;
  hidden: Record<string, string>;
  trigger: ReactNode;
  triggerVariant?: ButtonVariant;
  title: string;
  description: ReactNode;
  confirmLabel: string;
  cancelLabel: string;
  confirmVariant?: ButtonVariant;
}) {
  const [open, setOpen] = useState(false);
  return (
    <Dialog.Root open={open} onOpenChange={setOpen}>
      <Dialog.Trigger className={buttonClass(triggerVariant, "px-3 py-1.5")}>{trigger}</Dialog.Trigger>
      <Dialog.Portal>
        <Dialog.Overlay className="fixed inset-0 bg-slate-950/50" />
        <Dialog.Content className="fixed left-1/2 top-1/2 w-[min(92vw,28rem)] -translate-x-1/2 -translate-y-1/2 rounded-lg bg-white p-6 shadow-xl dark:bg-slate-900">
          <Dialog.Title className="text-lg font-semibold">{title}</Dialog.Title>
          <Dialog.Description className="mt-2 text-sm text-slate-700 dark:text-slate-300">{description}</Dialog.Description>
          <ActionForm action={action} hidden={hidden} className="mt-5">
            <div className="flex justify-end gap-2">
              <Dialog.Close className={buttonClass("secondary")}>{cancelLabel}</Dialog.Close>
              <SubmitButton variant={confirmVariant}>{confirmLabel}</SubmitButton>
            </div>
          </ActionForm>
        </Dialog.Content>
      </Dialog.Portal>
    </Dialog.Root>
  );
}
