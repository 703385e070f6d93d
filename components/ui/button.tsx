// Button and link styles shared by server and client components.
import clsx from "clsx";
import type { ButtonHTMLAttributes } from "react";

export type ButtonVariant = "primary" | "secondary" | "danger" | "ghost";

export function buttonClass(variant: ButtonVariant = "primary", extra?: string) {
  return clsx(
    "inline-flex items-center justify-center gap-2 rounded-md px-4 py-2 text-sm font-medium no-underline transition-colors disabled:cursor-not-allowed disabled:opacity-60 hover:no-underline",
    variant === "primary" && "bg-brand-700 text-white hover:bg-brand-800 dark:bg-sky-500 dark:text-slate-950 dark:hover:bg-sky-400",
    variant === "secondary" && "border border-slate-300 bg-white text-slate-900 hover:bg-slate-100 dark:border-slate-600 dark:bg-slate-900 dark:text-slate-100 dark:hover:bg-slate-800",
    variant === "danger" && "bg-red-700 text-white hover:bg-red-800 dark:bg-red-500 dark:text-slate-950 dark:hover:bg-red-400",
    variant === "ghost" && "text-slate-700 hover:bg-slate-200 dark:text-slate-200 dark:hover:bg-slate-800",
    extra,
  );
}

export function Button({ variant = "primary", className, ...props }: ButtonHTMLAttributes<HTMLButtonElement> & { variant?: ButtonVariant }) {
  return <button className={buttonClass(variant, className)} {...props} />;
}
