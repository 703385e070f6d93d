// Live notebook list for polling; members of the organisation only.
import { getSessionUser } from "@/server/auth/session";
import { getMembershipBySlug } from "@/server/orgs/queries";
import { listNotebooks } from "@/server/notebooks/queries";
import { can } from "@/server/permissions";

export async function GET(_request: Request, { params }: { params: Promise<{ org: string }> }) {
  const user = await getSessionUser();
  if (!user) return Response.json({ error: "unauthorized" }, { status: 401 });
  const membership = await getMembershipBySlug(user.userId, (await params).org);
  if (!membership || !can(membership.role, "notebooks.view")) return Response.json({ error: "not_found" }, { status: 404 });
  return Response.json({ notebooks: await listNotebooks(membership) }, { headers: { "cache-control": "no-store" } });
}
