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

/** Grams of CO2e in g, kg or t, whichever reads best. */
export function formatMass(grams: number, locale: UiLocale): string {
  if (Math.abs(grams) >= 1_000_000) return `${formatNumber(grams / 1_000_000, locale, 2)} t`;
  if (Math.abs(grams) >= 1000) return `${formatNumber(grams / 1000, locale, 2)} kg`;
  return `${formatNumber(grams, locale, grams < 10 ? 2 : 1)} g`;
}

/** Energy from Wh: "12.34 Wh" below 1 kWh, else kWh with three decimals. */
export function formatEnergy(wh: number, locale: UiLocale): string {
  if (Math.abs(wh) < 1000) return `${formatNumber(wh, locale, 2)} Wh`;
  return `${formatNumber(wh / 1000, locale, 3)} kWh`;
}
