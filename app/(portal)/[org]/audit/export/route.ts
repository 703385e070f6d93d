// CSV export of the organisation's audit trail with the page's filters; owners and admins only.
import { getSessionUser } from "@/server/auth/session";
import { auditFilterSchema, exportAuditCsv } from "@/server/audit/queries";
import { getMembershipBySlug } from "@/server/orgs/queries";
import { can } from "@/server/permissions";

export async function GET(request: Request, { params }: { params: Promise<{ org: string }> }) {
  const user = await getSessionUser();
  if (!user) return new Response("Sign in required", { status: 401 });
  const { org } = await params;
  const membership = await getMembershipBySlug(user.userId, org);
  if (!membership || !can(membership.role, "audit.view")) return new Response("Not found", { status: 404 });
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
