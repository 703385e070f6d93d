// CSV or JSON export of exactly the usage report the page shows for the same filters.
import { memberForRoute } from "@/server/route-auth";
import { resolveFilter, usageFilterSchema } from "@/server/usage/filter";
import { usageReport } from "@/server/usage/queries";
import { reportCsv } from "@/server/usage/export";

export async function GET(request: Request, { params }: { params: Promise<{ org: string }> }) {
  const access = await memberForRoute((await params).org, "usage.view");
  if ("response" in access) return access.response;
  const { membership } = access;
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
