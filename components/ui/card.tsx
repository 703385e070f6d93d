// Surfaces and small layout pieces.
import clsx from "clsx";
import type { ReactNode } from "react";

export function Card({ children, className }: { children: ReactNode; className?: string }) {
  return (
    <section className={clsx("rounded-lg border border-slate-200 bg-white p-5 shadow-sm dark:border-slate-800 dark:bg-slate-900", className)}>
      {children}
    </section>
  );
}

export function PageHeader({ title, description, actions }: { title: string; description?: string; actions?: ReactNode }) {
  return (
    <div className="mb-6 flex flex-wrap items-end justify-between gap-4">
      <div>
        <h1 className="text-2xl font-semibold tracking-tight">{title}</h1>
        {description ? <p className="mt-1 max-w-3xl text-sm text-slate-600 dark:text-slate-300">{description}</p> : null}
      </div>
      {actions}
    </div>
  );
}

export function Notice({ tone = "info", children, title }: { tone?: "info" | "success" | "warning" | "error"; title?: string; children: ReactNode }) {
  return (
    <div
      className={clsx(
        "rounded-md border px-4 py-3 text-sm",
        tone === "info" && "border-sky-300 bg-sky-50 text-sky-950 dark:border-sky-800 dark:bg-sky-950 dark:text-sky-100",
        tone === "success" && "border-emerald-300 bg-emerald-50 text-emerald-950 dark:border-emerald-800 dark:bg-emerald-950 dark:text-emerald-100",
        tone === "warning" && "border-amber-300 bg-amber-50 text-amber-950 dark:border-amber-800 dark:bg-amber-950 dark:text-amber-100",
        tone === "error" && "border-red-300 bg-red-50 text-red-950 dark:border-red-800 dark:bg-red-950 dark:text-red-100",
      )}
    >
      {title ? <p className="font-semibold">{title}</p> : null}
      <div>{children}</div>
    </div>
  );
}

export function Badge({ children, tone = "neutral" }: { children: ReactNode; tone?: "neutral" | "success" | "warning" | "error" | "info" }) {
  return (
    <span
      className={clsx(
        "inline-flex items-center rounded-full px-2 py-0.5 text-xs font-medium",
        tone === "neutral" && "bg-slate-200 text-slate-800 dark:bg-slate-700 dark:text-slate-100",
        tone === "success" && "bg-emerald-100 text-emerald-900 dark:bg-emerald-900 dark:text-emerald-100",
        tone === "warning" && "bg-amber-100 text-amber-900 dark:bg-amber-900 dark:text-amber-100",
        tone === "error" && "bg-red-100 text-red-900 dark:bg-red-900 dark:text-red-100",
        tone === "info" && "bg-sky-100 text-sky-900 dark:bg-sky-900 dark:text-sky-100",
      )}
    >
      {children}
    </span>
  );
}
