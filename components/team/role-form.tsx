"use client";
// Inline role change for one member: a labelled select and a save button.
import { useActionState, useId } from "react";
import type { FormState } from "@/server/actions/form-state";
import { buttonClass } from "@/components/ui/button";

export function RoleForm({
  action,
  orgId,
  membershipId,
  current,
  options,
  label,
  saveLabel,
}: {
  action: (state: FormState, formData: FormData) => Promise<FormState>;
  orgId: string;
  membershipId: string;
  current: string;
  options: Array<{ value: string; label: string }>;
  label: string;
  saveLabel: string;
}) {
  const [state, formAction, pending] = useActionState(action, { status: "idle" });
  const id = useId();
  return (
    <form action={formAction} className="flex flex-wrap items-center gap-2">
      <input type="hidden" name="orgId" value={orgId} />
      <input type="hidden" name="membershipId" value={membershipId} />
      <label htmlFor={id} className="sr-only">
        {label}
      </label>
      <select
        id={id}
        name="role"
        defaultValue={current}
        key={state.nonce ?? 0}
        className="rounded-md border border-slate-400 bg-white px-2 py-1 text-sm dark:border-slate-500 dark:bg-slate-950"
      >
        {options.map((o) => (
          <option key={o.value} value={o.value}>
            {o.label}
          </option>
        ))}
      </select>
      <button type="submit" disabled={pending} className={buttonClass("secondary", "px-3 py-1")}>
        {saveLabel}
      </button>
      {state.message ? (
        <p role={state.status === "error" ? "alert" : "status"} className={state.status === "error" ? "w-full text-sm text-red-700 dark:text-red-300" : "w-full text-sm text-emerald-800 dark:text-emerald-300"}>
          {state.message}
        </p>
      ) : null}
    </form>
  );
}
