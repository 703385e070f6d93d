// Invoice figures as people read them: calendar dates and months of the billing period, exact
// quantities and unit prices (decimal strings, never floats). Shared by server and client components.
import { oreDecimalToKroner } from "@/server/billing/money";
import type { UiLocale } from "@/components/format";

const tag = (locale: UiLocale) => (locale === "nb" ? "nb-NO" : "en-GB");
/** Grouping uses a no-break space in bokmål, as Intl does, so an amount never wraps. */
const NBSP = "\u00a0";

/** A calendar date "YYYY-MM-DD" as "28 Nov 2026" / "28. nov. 2026"; read as UTC so no time zone shifts it. */
export function formatDay(ymd: string, locale: UiLocale): string {
  return new Intl.DateTimeFormat(tag(locale), { dateStyle: "medium", timeZone: "UTC" }).format(new Date(`${ymd}T00:00:00Z`));
}

/** The billing month of a period start "YYYY-MM-DD": "November 2026" / "november 2026". */
export function formatMonth(ymd: string, locale: UiLocale): string {
  return new Intl.DateTimeFormat(tag(locale), { month: "long", year: "numeric", timeZone: "UTC" }).format(new Date(`${ymd}T00:00:00Z`));
}

/** An instant as date and time in Norway: "3 Dec 2026, 01:00" / "3. des. 2026, 01:00". */
export function formatMoment(iso: string, locale: UiLocale): string {
  return new Intl.DateTimeFormat(tag(locale), { dateStyle: "medium", timeStyle: "short", timeZone: "Europe/Oslo" }).format(new Date(iso));
}

/** The Norwegian calendar date of an instant: "3 Dec 2026" / "3. des. 2026". */
export function formatMomentDate(iso: string, locale: UiLocale): string {
  return new Intl.DateTimeFormat(tag(locale), { dateStyle: "medium", timeZone: "Europe/Oslo" }).format(new Date(iso));
}

/** Today's date in Norway as "YYYY-MM-DD" (due dates are Norwegian calendar days). */
export function todayInNorway(now = new Date()): string {
  return new Intl.DateTimeFormat("en-CA", { timeZone: "Europe/Oslo", year: "numeric", month: "2-digit", day: "2-digit" }).format(now);
}

/**
 * A decimal string in the locale's notation, exactly: trailing zeros dropped down to `minDecimals`,
 * thousands grouped. "1234.500000" -> en "1,234.5", nb "1 234,5".
 */
export function formatDecimal(value: string, locale: UiLocale, minDecimals = 0): string {
  const match = /^(-?)(\d+)(?:\.(\d+))?$/.exec(value.trim());
  if (!match) return value;
  const [, sign = "", whole = "0", fraction = ""] = match;
  let decimals = fraction.replace(/0+$/, "");
  if (decimals.length < minDecimals) decimals = decimals.padEnd(minDecimals, "0");
  const [group, point] = locale === "nb" ? [NBSP, ","] : [",", "."];
  const grouped = whole.replace(/^0+(?=\d)/, "").replace(/\B(?=(\d{3})+$)/g, group);
  const zero = /^0*$/.test(whole) && /^0*$/.test(decimals);
  const minus = sign && !zero ? (locale === "nb" ? "\u2212" : "-") : ""; // as Intl writes it
  return `${minus}${grouped}${decimals ? point + decimals : ""}`;
}

/** A unit price given in øre (decimals allowed, e.g. "0.1500") as kroner, exactly: "NOK 0.0015" / "0,0015 kr". */
export function formatUnitPrice(unitPriceOre: string, locale: UiLocale): string {
  const kroner = formatDecimal(oreDecimalToKroner(unitPriceOre), locale, 2);
  return locale === "nb" ? `${kroner}${NBSP}kr` : `NOK${NBSP}${kroner}`;
}
