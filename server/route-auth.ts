// Route handlers' entry check: a signed-in member of the organisation whose role grants the permission.
import "server-only";
import { getSessionUser } from "./auth/session";
import { getMembershipBySlug, type OrgMembership } from "./orgs/queries";
import { can, type Permission } from "./permissions";

/** The caller's membership, or the response to send instead (401 signed out, 404 otherwise). */
export async function memberForRoute(slug: string, permission: Permission): Promise<{ membership: OrgMembership } | { response: Response }> {
  const user = await getSessionUser();
  if (!user) return { response: Response.json({ error: "unauthorized" }, { status: 401 }) };
  const membership = await getMembershipBySlug(user.userId, slug);
  if (!membership || !can(membership.role, permission)) return { response: Response.json({ error: "not_found" }, { status: 404 }) };
  return { membership };
}
