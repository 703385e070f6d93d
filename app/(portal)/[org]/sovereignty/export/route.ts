// ZIP export of everything the organisation owns (JSON and CSV per table); owners and admins only.
import { memberForRoute } from "@/server/route-auth";
import { clientIp } from "@/server/request-ip";
import { exportOrganisationData } from "@/server/sovereignty/export";

export async function GET(request: Request, { params }: { params: Promise<{ org: string }> }) {
  const { org } = await params;
  const access = await memberForRoute(org, "data.export");
  if ("response" in access) return access.response;
  const { filename, stream } = exportOrganisationData(access.membership, {
    ip: clientIp(request.headers),
    userAgent: (request.headers.get("user-agent") ?? "").slice(0, 512),
  });
  return new Response(stream, {
    headers: {
      "content-type": "application/zip",
      "content-disposition": `attachment; filename="${filename}"`,
      "cache-control": "no-store",
      "x-content-type-options": "nosniff",
    },
  });
}
