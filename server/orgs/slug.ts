// URL slugs for organisations; never collide with the portal's own top-level routes.
const RESERVED = new Set([
  "api", "sign-in", "sign-up", "sign-out", "verify-email", "forgot-password", "reset-password", "invite",
  "dev", "orgs", "account", "dpa", "operator", "operators", "methodology", "_next", "static", "public", "favicon.ico",
]);

/** Lower-case ASCII slug from an organisation name ("Helse Nord RHF" -> "helse-nord-rhf"). */
export function slugify(name: string): string {
  const base = name
    .toLowerCase()
    .replace(/æ/g, "ae")
    .replace(/ø/g, "o")
    .replace(/å/g, "a")
    .normalize("NFKD")
    .replace(/[\u0300-\u036f]/g, "")
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/^-+|-+$/g, "")
    .slice(0, 40)
    .replace(/-+$/g, "");
  const slug = base.length >= 2 ? base : `org-${base}`;
  return RESERVED.has(slug) ? `${slug}-org` : slug;
}
