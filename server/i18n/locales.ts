// Supported UI languages and message lookup, shared by server and client code.
import en from "@/messages/en.json";
import nb from "@/messages/nb.json";

export const LOCALES = ["en", "nb"] as const;
export type Locale = (typeof LOCALES)[number];
export const DEFAULT_LOCALE: Locale = "en";
export const LOCALE_COOKIE = "locale";

export type Messages = typeof en;
const CATALOGS: Record<Locale, Messages> = { en, nb };

type Join<K, P> = K extends string ? (P extends string ? `${K}.${P}` : never) : never;
type Paths<T> = T extends string ? never : { [K in keyof T]: T[K] extends string ? K : Join<K, Paths<T[K]>> }[keyof T];
export type MessageKey = Paths<Messages> & string;
export type TranslateParams = Record<string, string | number>;
export type Translate = (key: MessageKey, params?: TranslateParams) => string;

export function isLocale(value: unknown): value is Locale {
  return typeof value === "string" && (LOCALES as readonly string[]).includes(value);
}

function lookup(catalog: unknown, key: string): string | undefined {
  let node: unknown = catalog;
  for (const part of key.split(".")) {
    if (node === null || typeof node !== "object") return undefined;
    node = (node as Record<string, unknown>)[part];
  }
  return typeof node === "string" ? node : undefined;
}

/** A translate function for one locale; falls back to English, then to the key itself. */
export function translator(locale: Locale): Translate {
  return (key, params) => {
    const template = lookup(CATALOGS[locale], key) ?? lookup(CATALOGS.en, key) ?? key;
    if (!params) return template;
    return template.replace(/\{(\w+)\}/g, (match, name: string) =>
      name in params ? String(params[name]) : match,
    );
  };
}

/** Translate a key that arrives as data (e.g. an error code); unknown keys fall back to a generic text. */
export function translateDynamic(t: Translate, key: string, params?: TranslateParams): string {
  const value = t(key as MessageKey, params);
  return value === key ? t("errors.unexpected") : value;
}

/** Picks the best supported locale from an Accept-Language header. */
export function negotiateLocale(acceptLanguage: string | null | undefined): Locale {
  if (!acceptLanguage) return DEFAULT_LOCALE;
  const wanted = acceptLanguage
    .split(",")
    .map((part) => {
      const [tag = "", q] = part.trim().split(";q=");
      return { tag: tag.toLowerCase(), q: q ? Number(q) : 1 };
    })
    .sort((a, b) => b.q - a.q);
  for (const { tag } of wanted) {
    if (tag.startsWith("nb") || tag.startsWith("no") || tag.startsWith("nn")) return "nb";
    if (tag.startsWith("en")) return "en";
  }
  return DEFAULT_LOCALE;
}
