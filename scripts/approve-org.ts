// Approves a pending organisation: `npm run org:approve -- <org number or slug> [operator name]`.
// Uses DATABASE_URL, or the database of `npm run dev` when it is not set.
export {};
process.env.DATABASE_URL ??= `postgresql://postgres:postgres@127.0.0.1:${process.env.PG_PORT ?? "54329"}/portal`;

const [key, operator = process.env.USER ?? "operator"] = process.argv.slice(2);
if (!key) {
  console.error("usage: npm run org:approve -- <organisation number or slug> [operator name]");
  process.exit(2);
}
const { approveOrganisation } = await import("../server/orgs/approval");
try {
  const org = await approveOrganisation(key, operator);
  console.log(org.changed ? `approved: ${org.name} (${org.orgNumber}) is now ACTIVE` : `${org.name} (${org.orgNumber}) was already ACTIVE`);
  process.exit(0);
} catch (error) {
  console.error(error instanceof Error && error.message === "errors.notFound" ? `no organisation with number or slug "${key}"` : error);
  process.exit(1);
}
