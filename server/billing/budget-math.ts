// Pure budget arithmetic: the UTC month, the linear run-rate forecast, thresholds and the amount a
// person types in NOK. All in integer øre (BigInt where a product could grow), never floats for money.

/** Alert thresholds, in percent of the monthly budget. */
export const BUDGET_THRESHOLDS = [80, 100] as const;
export type BudgetThreshold = (typeof BUDGET_THRESHOLDS)[number];

/** No forecast until this much of the month has passed: one day of spend says too little. */
export const FORECAST_MIN_ELAPSED_MS = 24 * 3600_000;

/** The largest monthly budget accepted: NOK 100 million. */
export const MAX_BUDGET_ORE = 10_000_000_000;

export type BudgetState = "ok" | "warning" | "exceeded";

/** The UTC calendar month `at` falls in: its first instant and the first instant of the next. */
export function monthOf(at: Date): { start: Date; end: Date } {
  const start = new Date(Date.UTC(at.getUTCFullYear(), at.getUTCMonth(), 1));
  const end = new Date(Date.UTC(at.getUTCFullYear(), at.getUTCMonth() + 1, 1));
  return { start, end };
}

/**
 * Spend forecast for the whole month at the current rate: spent / elapsed fraction of the month,
 * rounded half up to whole øre. Null until 24 hours of the month have passed; after the month it is
 * the spend itself.
 */
export function forecastOre(spentOre: number, now: Date, month = monthOf(now)): number | null {
  const elapsed = now.getTime() - month.start.getTime();
  const length = month.end.getTime() - month.start.getTime();
  if (elapsed < FORECAST_MIN_ELAPSED_MS) return null;
  if (elapsed >= length) return spentOre;
  const num = BigInt(spentOre) * BigInt(length);
  const den = BigInt(elapsed);
  const quotient = num / den;
  return Number(2n * (num % den) >= den ? quotient + 1n : quotient);
}

/** True when `amountOre` is at least `threshold` percent of the budget (exact). */
export function reaches(amountOre: number, budgetOre: number, threshold: number): boolean {
  return BigInt(amountOre) * 100n >= BigInt(budgetOre) * BigInt(threshold);
}

/** Percent of the budget, rounded down to one decimal (99.96 % shows as 99.9 %, not 100 %). */
export function percentOf(amountOre: number, budgetOre: number): number {
  if (budgetOre <= 0) return 0;
  return Number((BigInt(amountOre) * 1000n) / BigInt(budgetOre)) / 10;
}

/** Exceeded at 100 % of actual spend; warning at 80 % of actual or forecast spend; else ok. */
export function budgetState(spentOre: number, forecast: number | null, budgetOre: number): BudgetState {
  if (reaches(spentOre, budgetOre, 100)) return "exceeded";
  if (reaches(spentOre, budgetOre, 80) || (forecast !== null && reaches(forecast, budgetOre, 80))) return "warning";
  return "ok";
}

/** The alerts a budget has reached: each threshold, for actual spend and for the forecast. */
export function reachedAlerts(spentOre: number, forecast: number | null, budgetOre: number): Array<{ threshold: BudgetThreshold; kind: "ACTUAL" | "FORECAST" }> {
  const out: Array<{ threshold: BudgetThreshold; kind: "ACTUAL" | "FORECAST" }> = [];
  for (const threshold of BUDGET_THRESHOLDS) {
    if (reaches(spentOre, budgetOre, threshold)) out.push({ threshold, kind: "ACTUAL" });
    if (forecast !== null && reaches(forecast, budgetOre, threshold)) out.push({ threshold, kind: "FORECAST" });
  }
  return out;
}

/** Severity order for choosing which of several new alerts to e-mail: higher first. */
export function alertSeverity(alert: { threshold: number; kind: "ACTUAL" | "FORECAST" }): number {
  return alert.threshold * 10 + (alert.kind === "ACTUAL" ? 1 : 0);
}

export type NokParse = { ok: true; ore: number } | { ok: false; error: "errors.budgetAmountInvalid" | "errors.budgetAmountDecimals" | "errors.budgetAmountPositive" | "errors.budgetAmountTooLarge" };

/**
 * A NOK amount as typed ("12500", "12 500,50", "12500.5", "kr 1 000") in whole øre, exactly.
 * Spaces (also no-break) group thousands; a comma or a point starts at most two decimals.
 */
export function parseNokAmount(text: string): NokParse {
  const cleaned = text
    .trim()
    .replace(/^(kr\.?|nok)\s*/i, "")
    .replace(/\s*(kr\.?|nok)$/i, "")
    .replace(/[\s\u00a0\u202f]/g, "");
  if (/^-\d/.test(cleaned)) return { ok: false, error: "errors.budgetAmountPositive" };
  const match = /^(\d+)(?:[.,](\d+))?$/.exec(cleaned);
  if (!match) return { ok: false, error: "errors.budgetAmountInvalid" };
  const fraction = match[2] ?? "";
  if (fraction.length > 2) return { ok: false, error: "errors.budgetAmountDecimals" };
  const integer = (match[1] ?? "0").replace(/^0+(?=\d)/, "");
  if (integer.length > 12) return { ok: false, error: "errors.budgetAmountTooLarge" };
  const ore = BigInt(integer) * 100n + BigInt(fraction.padEnd(2, "0") || "0");
  if (ore <= 0n) return { ok: false, error: "errors.budgetAmountPositive" };
  if (ore > BigInt(MAX_BUDGET_ORE)) return { ok: false, error: "errors.budgetAmountTooLarge" };
  return { ok: true, ore: Number(ore) };
}

/** Øre as the plain NOK text a form field shows: 1250050 -> "12500.50", 1250000 -> "12500". */
export function oreToAmountInput(ore: number): string {
  const kroner = Math.floor(ore / 100);
  const cents = ore % 100;
  return cents === 0 ? String(kroner) : `${kroner}.${String(cents).padStart(2, "0")}`;
}
