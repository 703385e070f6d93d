// Live state and event log of one notebook for polling; members of the organisation only.
import { memberForRoute } from "@/server/route-auth";
import { getNotebook } from "@/server/notebooks/queries";
import { AppError } from "@/server/errors";

export async function GET(_request: Request, { params }: { params: Promise<{ org: string; id: string }> }) {
  const { org, id } = await params;
  const access = await memberForRoute(org, "notebooks.view");
  if ("response" in access) return access.response;
  const { membership } = access;
  try {
    return Response.json(await getNotebook(membership, id), { headers: { "cache-control": "no-store" } });
  } catch (error) {
    if (error instanceof AppError) return Response.json({ error: "not_found" }, { status: 404 });
    throw error;
  }
}
