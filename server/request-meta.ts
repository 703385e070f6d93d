// What the domain needs to know about the request: where it came from, and how to build links.
import type { Locale } from "./i18n/locales";

export interface RequestMeta {
  ip: string;
  userAgent: string;
  /** Absolute origin for links in e-mails, e.g. http://localhost:3000 */
  baseUrl: string;
  locale: Locale;
}
