// CSV or JSON export of exactly the usage report the page shows for the same filters.
import { getSessionUser } from "@/server/auth/session";
import { getMembershipBySlug } from "@/server/orgs/queries";
import { can } from "@/server/permissions";
import { resolveFilter, usageFilterSchema } from "@/server/usage/filter";
import { usageReport } from "@/server/usage/queries";
import { reportCsv } from "@/server/usage/export";

export async function GET(request: Request, { params }: { params: Promise<{ org: string }> }) {
  const user = await getSessionUser();
  if (!user) return new Response("Sign in required", { status: 401 });
  const membership = await getMembershipBySlug(user.userId, (await params).org);
  if (!membership || !can(membership.role, "usage.view")) return new Response("Not found", { status: 404 });
  const query = Object.fromEntries(new URL(request.url).searchParams);
  const filter = resolveFilter(usageFilterSchema.parse(query));
  const report = await usageReport(membership, filter);
  const name = `usage-${membership.org.slug}-${filter.fromDate.toISOString().slice(0, 10)}`;
  if (query.format === "json") {
    return new Response(JSON.stringify(report, null, 2), {
      headers: { "content-type": "application/json; charset=utf-8", "content-disposition": `attachment; filename="${name}.json"`, "cache-control": "no-store" },
    });
  }
  return new Response(reportCsv(report), {
    headers: { "content-type": "text/csv; charset=utf-8", "content-disposition": `attachment; filename="${name}.csv"`, "cache-control": "no-store" },
  });
}
