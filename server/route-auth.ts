// Route handlers' entry check: a signed-in member of the organisation whose role grants the permission.
import "server-only";
import { getSessionUser } from "./auth/session";
import { twoFactorGap } from "./auth/two-factor-policy";
import { db } from "./db";
import { getMembershipBySlug, type OrgMembership } from "./orgs/queries";
import { can, type Permission } from "./permissions";
import { isDatabaseUnavailable } from "./db-errors";

/**
 * The caller's membership, or the response to send instead: 401 signed out, 404 not a member or
 * not allowed, 403 when the organisation requires two-factor authentication this session lacks.
 */
export async function memberForRoute(slug: string, permission: Permission): Promise<{ membership: OrgMembership } | { response: Response }> {
  try {
    return await checkMember(slug, permission);
  } catch (error) {
    if (isDatabaseUnavailable(error)) return { response: unavailableResponse() };
    throw error;
  }
}

/** 503 with a retry hint: the database is away for a moment. */
export function unavailableResponse(): Response {
  return Response.json({ error: "unavailable" }, { status: 503, headers: { "retry-after": "5", "cache-control": "no-store" } });
}

async function checkMember(slug: string, permission: Permission): Promise<{ membership: OrgMembership } | { response: Response }> {
  const user = await getSessionUser();
  if (!user) return { response: Response.json({ error: "unauthorized" }, { status: 401 }) };
  const membership = await getMembershipBySlug(user.userId, slug);
  if (!membership || !can(membership.role, permission)) return { response: Response.json({ error: "not_found" }, { status: 404 }) };
  if (await twoFactorGap(db, user, membership.org.id)) return { response: Response.json({ error: "two_factor_required" }, { status: 403 }) };
  return { membership };
}
