// Fingerprints of every table of the portal's database (row count and a hash of all rows in a stable
// order), to prove that a run of requests changed nothing. Left out on purpose, because they change
// when a request is refused or merely read: audit events of refused attempts (outcome DENIED, logged
// by design), the sign-in rate-limit bookkeeping, the sessions' last-seen timestamps, and Prisma's
// migration history. Tables are discovered from the catalogue, so a new table is covered at once.
import pg from "pg";

export interface SnapshotOptions {
  /** PostgreSQL schema of the portal's tables (the simulated control plane keeps its own). */
  schema?: string;
}

/** Tables left out entirely. */
const SKIPPED_TABLES = new Set(["_prisma_migrations", "sign_in_attempt"]);
/** Rows that do not count, per table (an SQL condition on the row alias `r`). */
const COUNTED_ROWS: Record<string, string> = { audit_event: "r.outcome <> 'DENIED'" };
/** Columns that do not count, per table. */
const SKIPPED_COLUMNS: Record<string, string[]> = { user_session: ["last_seen_at"] };

type Query = (sql: string, params?: unknown[]) => Promise<{ rows: Array<Record<string, unknown>> }>;

/** The SQL that fingerprints one table: `<rows>:<md5 of the rows' JSON, sorted>`. */
function tableSql(schema: string, table: string): string {
  const name = `${pg.escapeIdentifier(schema)}.${pg.escapeIdentifier(table)}`;
  const dropped = (SKIPPED_COLUMNS[table] ?? []).map((c) => pg.escapeLiteral(c)).join(", ");
  const row = dropped ? `(to_jsonb(r) - ARRAY[${dropped}]::text[])::text` : "to_jsonb(r)::text";
  const where = COUNTED_ROWS[table] ? ` WHERE ${COUNTED_ROWS[table]}` : "";
  return `SELECT ${pg.escapeLiteral(table)} AS t, count(*)::text || ':' || md5(coalesce(string_agg(j, E'\\n' ORDER BY j), '')) AS h
    FROM (SELECT ${row} AS j FROM ${name} r${where}) s`;
}

/** The one query that fingerprints every table of the schema (null when it has none). */
async function snapshotSql(query: Query, schema: string): Promise<string | null> {
  const { rows: tables } = await query(
    "SELECT table_name FROM information_schema.tables WHERE table_schema = $1 AND table_type = 'BASE TABLE' ORDER BY table_name",
    [schema],
  );
  const names = tables.map((t) => String(t.table_name)).filter((t) => !SKIPPED_TABLES.has(t));
  return names.length === 0 ? null : names.map((t) => tableSql(schema, t)).join("\nUNION ALL\n");
}

async function runSnapshot(query: Query, sql: string | null): Promise<Map<string, string>> {
  if (!sql) return new Map();
  const { rows } = await query(sql);
  return new Map(rows.map((row) => [String(row.t), String(row.h)] as [string, string]).sort(([a], [b]) => a.localeCompare(b)));
}

/** Fingerprints every table through `query` (any client: pg, or Prisma's `$queryRawUnsafe`). */
export async function snapshotWith(query: Query, options: SnapshotOptions = {}): Promise<Map<string, string>> {
  return runSnapshot(query, await snapshotSql(query, options.schema ?? "public"));
}

/** A reusable connection for repeated snapshots (tests take one after every call); the table list is read once. */
export async function openSnapshotter(databaseUrl: string, options: SnapshotOptions = {}) {
  const client = new pg.Client({ connectionString: databaseUrl });
  client.on("error", () => undefined);
  await client.connect();
  const query: Query = (sql, params) => client.query(sql, params);
  const sql = await snapshotSql(query, options.schema ?? "public");
  return {
    snapshot: () => runSnapshot(query, sql),
    close: () => client.end(),
  };
}

/** Table -> fingerprint of all its rows, for the database at `databaseUrl`. */
export async function snapshotDatabase(databaseUrl: string, options: SnapshotOptions = {}): Promise<Map<string, string>> {
  const snapshotter = await openSnapshotter(databaseUrl, options);
  try {
    return await snapshotter.snapshot();
  } finally {
    await snapshotter.close();
  }
}

/** What differs between two snapshots, one line per table ("workbench: 3 -> 4 rows"); empty when equal. */
export function diffSnapshots(a: Map<string, string>, b: Map<string, string>): string[] {
  const out: string[] = [];
  for (const table of [...new Set([...a.keys(), ...b.keys()])].sort()) {
    const before = a.get(table);
    const after = b.get(table);
    if (before === after) continue;
    if (before === undefined) out.push(`${table}: table appeared`);
    else if (after === undefined) out.push(`${table}: table disappeared`);
    else {
      const [n1] = before.split(":");
      const [n2] = after.split(":");
      out.push(n1 === n2 ? `${table}: ${n1} rows, contents changed` : `${table}: ${n1} -> ${n2} rows`);
    }
  }
  return out;
}
