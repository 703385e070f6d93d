// The annual energy and emissions statement for a year, as CSV or JSON.
import { memberForRoute } from "@/server/route-auth";
import { annualStatement, statementCsv } from "@/server/usage/export";

export async function GET(request: Request, { params }: { params: Promise<{ org: string }> }) {
  const access = await memberForRoute((await params).org, "usage.view");
  if ("response" in access) return access.response;
  const { membership } = access;
  const search = new URL(request.url).searchParams;
  const year = Number(search.get("year"));
  if (!Number.isInteger(year) || year < 2020 || year > 2100) return new Response("year must be a year between 2020 and 2100", { status: 400 });
  const statement = await annualStatement(membership, year);
  const name = `emissions-statement-${membership.org.slug}-${year}`;
  if (search.get("format") === "json") {
    return new Response(JSON.stringify(statement, null, 2), {
      headers: { "content-type": "application/json; charset=utf-8", "content-disposition": `attachment; filename="${name}.json"` },
    });
  }
  return new Response(statementCsv(statement), {
    headers: { "content-type": "text/csv; charset=utf-8", "content-disposition": `attachment; filename="${name}.csv"` },
  });
}
