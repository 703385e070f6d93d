// Number formatting shared by server and client components.
export type UiLocale = "en" | "nb";

const tag = (locale: UiLocale) => (locale === "nb" ? "nb-NO" : "en-GB");

/** Øre as NOK: "1 234,50 kr" in bokmål, "NOK 1,234.50" in English. */
export function formatNok(ore: number, locale: UiLocale): string {
  const kroner = ore / 100;
  if (locale === "nb") {
    return `${new Intl.NumberFormat("nb-NO", { minimumFractionDigits: 2, maximumFractionDigits: 2 }).format(kroner)} kr`;
  }
  return `NOK ${new Intl.NumberFormat("en-GB", { minimumFractionDigits: 2, maximumFractionDigits: 2 }).format(kroner)}`;
}

export function formatNumber(value: number, locale: UiLocale, digits = 1): string {
  return new Intl.NumberFormat(tag(locale), { minimumFractionDigits: digits, maximumFractionDigits: digits }).format(value);
}

export function formatDateTime(iso: string | Date, locale: UiLocale): string {
  return new Intl.DateTimeFormat(tag(locale), { dateStyle: "medium", timeStyle: "medium", timeZone: "Europe/Oslo" }).format(new Date(iso));
}

export function formatTime(iso: string | Date, locale: UiLocale): string {
  return new Intl.DateTimeFormat(tag(locale), { timeStyle: "medium", timeZone: "Europe/Oslo" }).format(new Date(iso));
}
