import type { ReactNode } from "react";

/** Narrow centred card for the sign-in, sign-up and account pages. */
export function AuthCard({ title, lead, children, wide }: { title: string; lead?: ReactNode; children: ReactNode; wide?: boolean }) {
  return (
    <div className={`mx-auto px-4 py-10 ${wide ? "max-w-2xl" : "max-w-md"}`}>
      <div className="rounded-lg border border-slate-200 bg-white p-6 shadow-sm dark:border-slate-800 dark:bg-slate-900">
        <h1 className="text-2xl font-semibold tracking-tight">{title}</h1>
        {lead ? <div className="mt-2 text-sm text-slate-700 dark:text-slate-300">{lead}</div> : null}
        <div className="mt-6">{children}</div>
      </div>
    </div>
  );
}
