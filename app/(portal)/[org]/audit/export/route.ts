// CSV export of the organisation's audit trail with the page's filters; owners and admins only.
import { memberForRoute } from "@/server/route-auth";
import { auditFilterSchema, exportAuditCsv } from "@/server/audit/queries";

export async function GET(request: Request, { params }: { params: Promise<{ org: string }> }) {
  const { org } = await params;
  const access = await memberForRoute(org, "audit.view");
  if ("response" in access) return access.response;
  const { membership } = access;
  const filter = auditFilterSchema.parse(Object.fromEntries(new URL(request.url).searchParams));
  const rows = exportAuditCsv(membership, filter);
  const stream = new ReadableStream<Uint8Array>({
    async pull(controller) {
      const next = await rows.next();
      if (next.done) controller.close();
      else controller.enqueue(new TextEncoder().encode(next.value));
    },
  });
  const stamp = new Date().toISOString().slice(0, 10);
  return new Response(stream, {
    headers: {
      "content-type": "text/csv; charset=utf-8",
      "content-disposition": `attachment; filename="audit-${membership.org.slug}-${stamp}.csv"`,
      "cache-control": "no-store",
    },
  });
}
