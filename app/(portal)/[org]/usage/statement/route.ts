// The annual energy and emissions statement for a year, as CSV or JSON.
import { getSessionUser } from "@/server/auth/session";
import { getMembershipBySlug } from "@/server/orgs/queries";
import { can } from "@/server/permissions";
import { annualStatement, statementCsv } from "@/server/usage/export";

export async function GET(request: Request, { params }: { params: Promise<{ org: string }> }) {
  const user = await getSessionUser();
  if (!user) return new Response("Sign in required", { status: 401 });
  const membership = await getMembershipBySlug(user.userId, (await params).org);
  if (!membership || !can(membership.role, "usage.view")) return new Response("Not found", { status: 404 });
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
