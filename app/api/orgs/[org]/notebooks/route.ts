// Live notebook list for polling; members of the organisation only.
import { memberForRoute } from "@/server/route-auth";
import { listNotebooks } from "@/server/notebooks/queries";

export async function GET(_request: Request, { params }: { params: Promise<{ org: string }> }) {
  const access = await memberForRoute((await params).org, "notebooks.view");
  if ("response" in access) return access.response;
  const { membership } = access;
  return Response.json({ notebooks: await listNotebooks(membership) }, { headers: { "cache-control": "no-store" } });
}
