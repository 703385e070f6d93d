// Everything a portal page needs to render its shell, loaded once per request.
import "server-only";
import { cache } from "react";
import { notFound, redirect } from "next/navigation";
import { requireSessionUser } from "./auth/session";
import { getLocale, getT } from "./i18n/server";
import { currentPath } from "./current-path";
import { getMembershipBySlug, listMyOrganisations } from "./orgs/queries";
import { can, type Permission } from "./permissions";
import { twoFactorGap } from "./auth/two-factor-policy";
import { db } from "./db";
import { isOperator } from "./operator/role";
import { ACCESS_TTL_MS, ttlCache } from "./cache/ttl";

/** Whether this session meets an organisation's two-factor requirement, reused for a few seconds (server/cache/ttl.ts). */
const twoFactorGaps = ttlCache<Awaited<ReturnType<typeof twoFactorGap>>>({ ttlMs: ACCESS_TTL_MS, max: 10_000 });

/** Signed-in user, language, path and organisations; redirects to sign-in when signed out. */
export const portalContext = cache(async () => {
  const path = await currentPath();
  const user = await requireSessionUser(path);
  const [t, locale, orgs, operator] = await Promise.all([getT(), getLocale(), listMyOrganisations(user.userId), isOperator(user.userId)]);
  return { user, t, locale, path, orgs, operator };
});

/**
 * The portal context plus the caller's membership in this organisation; 404 when not a member.
 * An organisation that requires two-factor authentication sends a session without it to the
 * account page, which explains what to do.
 */
export const orgContext = cache(async (slug: string) => {
  const base = await portalContext();
  const membership = await getMembershipBySlug(base.user.userId, slug);
  if (!membership) notFound();
  const gap = await twoFactorGaps.get(`${base.user.userId}\u0000${base.user.sessionId ?? ""}\u0000${membership.org.id}`, () => twoFactorGap(db, base.user, membership.org.id));
  if (gap) redirect(`/account?twoFactorFor=${encodeURIComponent(membership.org.slug)}#two-factor`);
  return { ...base, membership };
});

/** Like orgContext, and 404 unless the role grants the permission (hidden, not just disabled). */
export async function orgPageContext(slug: string, permission: Permission) {
  const ctx = await orgContext(slug);
  if (!can(ctx.membership.role, permission)) notFound();
  return ctx;
}
