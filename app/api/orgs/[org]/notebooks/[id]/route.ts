// Live state and event log of one notebook for polling; members of the organisation only.
import { getSessionUser } from "@/server/auth/session";
import { getMembershipBySlug } from "@/server/orgs/queries";
import { getNotebook } from "@/server/notebooks/queries";
import { AppError } from "@/server/errors";
import { can } from "@/server/permissions";

export async function GET(_request: Request, { params }: { params: Promise<{ org: string; id: string }> }) {
  const user = await getSessionUser();
  if (!user) return Response.json({ error: "unauthorized" }, { status: 401 });
  const { org, id } = await params;
  const membership = await getMembershipBySlug(user.userId, org);
  if (!membership || !can(membership.role, "notebooks.view")) return Response.json({ error: "not_found" }, { status: 404 });
  try {
    return Response.json(await getNotebook(membership, id), { headers: { "cache-control": "no-store" } });
  } catch (error) {
    if (error instanceof AppError) return Response.json({ error: "not_found" }, { status: 404 });
    throw error;
  }
}
