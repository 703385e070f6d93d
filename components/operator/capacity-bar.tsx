// A utilisation bar whose text says everything: the bar and its colour only repeat the words.
import type { ReactNode } from "react";
import clsx from "clsx";
import type { UiLocale } from "@/components/format";

/** Numbers with up to `digits` decimals in the UI language ("0.14", "0,14"). */
export function formatAmount(value: number, locale: UiLocale, digits = 2): string {
  return new Intl.NumberFormat(locale === "nb" ? "nb-NO" : "en-GB", { maximumFractionDigits: digits }).format(value);
}

/** Share of a whole as a rounded percentage; null when there is no whole to share. */
export function percentOf(part: number, whole: number): number | null {
  if (whole <= 0) return null;
  return Math.round((part / whole) * 100);
}

export function CapacityBar({ percent, text, children }: { percent: number | null; text: string; children?: ReactNode }) {
  const width = Math.max(0, Math.min(100, percent ?? 0));
  return (
    <div className="flex flex-wrap items-center gap-x-3 gap-y-1">
      <div aria-hidden="true" className="h-2.5 w-28 shrink-0 overflow-hidden rounded-full bg-slate-200 dark:bg-slate-700">
        <div
          className={clsx(
            "h-full rounded-full",
            width >= 90 ? "bg-red-600 dark:bg-red-400" : width >= 70 ? "bg-amber-500 dark:bg-amber-300" : "bg-emerald-600 dark:bg-emerald-400",
          )}
          style={{ width: `${width}%` }}
        />
      </div>
      <span className="tabular-nums">{text}</span>
      {children}
    </div>
  );
}
