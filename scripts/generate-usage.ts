// Generates a large usage history for benchmarking the usage dashboards:
//
//   npm run usage:generate -- [--records 10000000] [--small-orgs 200] [--days 365] [--jobs 2] [--reset] [--remove]
//
// One big organisation (bench-big: members, ~100-200 workbenches across shapes, regions, projects and
// users) holds 90 % of the records, many small organisations (bench-small-NNN, 1-5 workbenches each) the
// rest. Records are 5-minute intervals ending now, generated inside PostgreSQL (INSERT ... SELECT over
// generate_series, one batch per organisation group and month), then rolled up into usage_hourly and usage_daily with the
// statements of server/usage/store.ts, and the tables vacuumed and analysed.
//
// Generated records and workbenches have ids starting with "gen-". A second run refuses while they exist;
// --reset first deletes them and their rollups (and recomputes the rollups of the affected workbenches
// from whatever raw records remain), --remove only does that. Organisations and users are kept and reused.
// Uses DATABASE_URL, or the database of `npm run dev` when it is not set. Benchmark data only.
import { randomBytes } from "node:crypto";
import pg from "pg";
import { IMAGES, REGIONS, SHAPES, type ShapeSpec } from "../control-plane/catalogue";
import { SHAPE_OFFERS } from "../prisma/catalogue-seed";
import { DPA_VERSION } from "../server/orgs/dpa";
import { rollupSql } from "../server/usage/store";
import { rng } from "./lib/random";
import { mod11CheckDigit } from "../server/validation/org-number";
import {
  BENCH_EMAIL,
  BENCH_PASSWORD,
  BIG_ORG_SLUG,
  GENERATED_PREFIX,
  INTERVAL_SECONDS,
  intArg,
  parseArgs,
  smallOrgSlug,
  useDevDatabaseByDefault,
} from "./bench-accounts";

const url = useDevDatabaseByDefault();
const args = parseArgs(process.argv.slice(2), {
  records: "string",
  "small-orgs": "string",
  days: "string",
  jobs: "string",
  reset: "boolean",
  remove: "boolean",
});
const RECORDS = intArg(args, "records", 10_000_000);
const SMALL_ORGS = intArg(args, "small-orgs", 200, 0);
const DAYS = intArg(args, "days", 365);
const JOBS = intArg(args, "jobs", 2);
const BIG_SHARE = SMALL_ORGS > 0 ? 0.9 : 1;

const SLOTS_PER_DAY = 86_400 / INTERVAL_SECONDS;
const GEN_LIKE = `${GENERATED_PREFIX}%`;
const started = performance.now();

// ---------------------------------------------------------------------------------------------
// Output helpers
// ---------------------------------------------------------------------------------------------

const fmt = (n: number) => n.toLocaleString("en-US");
const secs = (ms: number) => `${(ms / 1000).toFixed(1)} s`;
function clock(ms: number): string {
  const s = Math.round(ms / 1000);
  return `${Math.floor(s / 60)}:${String(s % 60).padStart(2, "0")}`;
}
const say = (message: string) => console.log(`[${clock(performance.now() - started)}] ${message}`);

async function timed<T>(label: string, fn: () => Promise<T>): Promise<T> {
  const t0 = performance.now();
  const result = await fn();
  say(`${label}: ${secs(performance.now() - t0)}`);
  return result;
}

function redact(raw: string): string {
  try {
    const u = new URL(raw);
    if (u.password) u.password = "***";
    return u.toString();
  } catch {
    return "(DATABASE_URL)";
  }
}

// ---------------------------------------------------------------------------------------------
// Deterministic randomness, so the same parameters give the same data
// ---------------------------------------------------------------------------------------------

const rand = rng(20261128);
const between = (lo: number, hi: number) => lo + rand() * (hi - lo);
const intBetween = (lo: number, hi: number) => Math.floor(between(lo, hi + 1));
function pick<T>(items: readonly T[]): T {
  return items[Math.floor(rand() * items.length)]!;
}
function weighted<T>(items: ReadonlyArray<readonly [T, number]>): T {
  let x = rand() * items.reduce((s, [, w]) => s + w, 0);
  for (const [item, w] of items) if ((x -= w) < 0) return item;
  return items[items.length - 1]![0];
}
const newId = () => `c${randomBytes(12).toString("hex")}`;

/** Splits `total` over the weights (proportionally, each at most `cap`); the parts add up exactly. */
function split(total: number, weights: number[], cap: number): number[] {
  if (total > cap * weights.length) throw new Error(`cannot fit ${fmt(total)} records into ${weights.length} workbenches of ${fmt(cap)} intervals`);
  const parts = weights.map(() => 0);
  let remaining = total;
  while (remaining > 0) {
    const open = parts.map((_, i) => i).filter((i) => parts[i]! < cap);
    const w = open.reduce((s, i) => s + weights[i]!, 0);
    let given = 0;
    for (const i of open) {
      const add = Math.min(cap - parts[i]!, Math.floor((remaining * weights[i]!) / w));
      parts[i]! += add;
      given += add;
    }
    if (given === 0) {
      for (const i of open) {
        if (given === remaining) break;
        parts[i]! += 1;
        given += 1;
      }
    }
    remaining -= given;
  }
  return parts;
}

// ---------------------------------------------------------------------------------------------
// What to generate
// ---------------------------------------------------------------------------------------------

/** How a workbench is used: office-hours notebooks, multi-hour training jobs, or an always-on service. */
const Pattern = { Interactive: 0, Training: 1, Service: 2 } as const;
type Pattern = (typeof Pattern)[keyof typeof Pattern];

interface OrgPlan {
  slug: string;
  name: string;
  sector: string;
  city: string;
  postalCode: string;
  members: Array<{ email: string; name: string; role: "OWNER" | "ADMIN" | "DATA_SCIENTIST" | "PROCUREMENT" | "VIEWER" }>;
}

interface WorkbenchPlan {
  key: string;
  id: string;
  orgSlug: string;
  creatorEmail: string;
  name: string;
  displayName: string;
  project: string;
  shape: ShapeSpec;
  regionId: string;
  imageId: string;
  storageGb: number;
  pricePerHourOre: number;
  pattern: Pattern;
  seed: number;
  /** First interval (absolute: seconds since the epoch / 300) and the number of consecutive intervals. */
  firstSlot: number;
  count: number;
}

const FIRST_NAMES = ["Ingrid", "Ola", "Sara", "Per", "Kari", "Magnus", "Aisha", "Jonas", "Nora", "Emil", "Maja", "Henrik", "Sofie", "Lars", "Amir", "Thea", "Sindre", "Mari", "Tobias", "Ida", "Elias", "Hanna", "Mohammed", "Silje", "Andreas", "Vilde", "Kristian", "Linnea"];
const LAST_NAMES = ["Solberg", "Nordmann", "Haugen", "Olsen", "Berg", "Lie", "Rahman", "Vik", "Hansen", "Johansen", "Larsen", "Andersen", "Pedersen", "Nilsen", "Kristiansen", "Jensen", "Karlsen", "Dahl", "Bakke", "Moen"];
const BIG_PROJECTS = ["Imaging", "LLM fine-tuning", "Forecasting", "Speech", "Document AI", "Anomaly detection", "Recommender", "Research sandbox", "General", "Vision QA"];
const SMALL_PROJECTS = ["General", "Pilot", "Research"];
const CITIES: Array<[string, string]> = [["Oslo", "0150"], ["Bergen", "5003"], ["Trondheim", "7010"], ["Stavanger", "4006"], ["Tromsø", "9008"], ["Kristiansand", "4610"], ["Ålesund", "6002"], ["Bodø", "8006"]];
const SECTORS = ["PUBLIC_SECTOR", "INDUSTRY", "HEALTH", "FINANCE", "RESEARCH", "OTHER"];
const SMALL_NAMES = ["Analyse", "Data", "Innsikt", "Robotikk", "Helse", "Energi", "Havbruk", "Logistikk", "Finans", "Forskning"];

const SHAPE_MIX: Array<readonly [string, number]> = [
  ["h100-mig-1g10gb", 20],
  ["h100-mig-3g40gb", 15],
  ["h100-1x", 20],
  ["h100-2x", 10],
  ["h100-4x", 7],
  ["h100-8x", 5],
  ["l40s-1x", 13],
  ["cpu-8", 10],
];

function patternFor(shape: ShapeSpec): Pattern {
  if (shape.gpuCount >= 4) return rand() < 0.85 ? Pattern.Training : Pattern.Interactive;
  if (shape.id.startsWith("h100-1x") || shape.id.startsWith("h100-2x")) return rand() < 0.5 ? Pattern.Training : Pattern.Interactive;
  if (shape.gpuModel === null || shape.id.startsWith("l40s")) return rand() < 0.3 ? Pattern.Service : Pattern.Interactive;
  return Pattern.Interactive;
}

function imageFor(shape: ShapeSpec): string {
  const candidates = IMAGES.filter((i) => (shape.gpuModel ? i.gpu : !i.gpu));
  return pick(candidates.length ? candidates : IMAGES).id;
}

function personName(i: number): string {
  return `${FIRST_NAMES[i % FIRST_NAMES.length]} ${LAST_NAMES[(i * 7 + Math.floor(i / FIRST_NAMES.length)) % LAST_NAMES.length]}`;
}

/** Organisation numbers: 9xxxxxxxx with a valid MOD11 check digit, not used by any organisation yet. */
function orgNumberPicker(taken: Set<string>): (n: number) => string {
  return (n) => {
    for (let base = 93_000_000 + n * 37; ; base++) {
      const check = mod11CheckDigit(String(base));
      const number = `${base}${check}`;
      if (check !== null && !taken.has(number)) {
        taken.add(number);
        return number;
      }
    }
  };
}

function plan(prices: Map<string, number>, endSlot: number) {
  const totalSlots = DAYS * SLOTS_PER_DAY;
  const shapes = new Map(SHAPES.filter((s) => prices.has(s.id)).map((s) => [s.id, s]));
  const mix = SHAPE_MIX.filter(([id]) => shapes.has(id));
  if (mix.length === 0) throw new Error("no shape has a price in shape_offer: run the seed (npm run dev) first");
  const bigRecords = Math.round(RECORDS * BIG_SHARE);
  const smallRecords = RECORDS - bigRecords;

  const orgs: OrgPlan[] = [];
  const workbenches: WorkbenchPlan[] = [];
  const place = (count: number, recent: boolean) => (recent ? endSlot - count : endSlot - totalSlots + Math.floor(rand() * (totalSlots - count + 1)));
  const workbench = (org: OrgPlan, key: string, n: number, creatorEmail: string, project: string, count: number, recent: boolean): WorkbenchPlan => {
    const shape = shapes.get(weighted(mix))!;
    const display = `${project} ${String(n).padStart(3, "0")}`;
    return {
      key,
      id: `${GENERATED_PREFIX}wb-${key}`,
      orgSlug: org.slug,
      creatorEmail,
      name: `bench-${key}`,
      displayName: display,
      project,
      shape,
      regionId: rand() < 0.6 ? REGIONS[0]!.id : (REGIONS[1] ?? REGIONS[0]!).id,
      imageId: imageFor(shape),
      storageGb: pick([20, 50, 100, 100, 200, 500]),
      pricePerHourOre: prices.get(shape.id)!,
      pattern: patternFor(shape),
      seed: workbenches.length + 1,
      firstSlot: place(count, recent),
      count,
    };
  };

  // The big organisation: an owner (the benchmark's sign-in), an admin, procurement, a viewer, data scientists.
  const scientists = 24;
  const big: OrgPlan = {
    slug: BIG_ORG_SLUG,
    name: "Benchmark Stor Organisasjon AS",
    sector: "RESEARCH",
    city: "Oslo",
    postalCode: "0150",
    members: [
      { email: BENCH_EMAIL, name: "Bench Owner", role: "OWNER" },
      { email: "admin@bench-big.example", name: personName(0), role: "ADMIN" },
      { email: "procurement@bench-big.example", name: personName(1), role: "PROCUREMENT" },
      { email: "viewer@bench-big.example", name: personName(2), role: "VIEWER" },
      ...Array.from({ length: scientists }, (_, i) => ({ email: `ds${String(i + 1).padStart(2, "0")}@bench-big.example`, name: personName(i + 3), role: "DATA_SCIENTIST" as const })),
    ],
  };
  orgs.push(big);
  const bigCount = Math.max(120, Math.ceil(bigRecords / (0.6 * totalSlots)));
  const bigParts = split(bigRecords, Array.from({ length: bigCount }, () => between(0.35, 1)), totalSlots);
  bigParts.forEach((count, i) => {
    const creator = i % 10 === 0 ? BENCH_EMAIL : big.members[4 + (i % scientists)]!.email;
    workbenches.push(workbench(big, `b${String(i + 1).padStart(3, "0")}`, i + 1, creator, BIG_PROJECTS[i % BIG_PROJECTS.length]!, count, rand() < 0.4));
  });

  // Small organisations: an owner who runs 1-5 workbenches.
  const smallSizes = Array.from({ length: SMALL_ORGS }, () => intBetween(1, 5));
  const smallWeights = smallSizes.flatMap((size) => Array.from({ length: size }, () => between(0.2, 1)));
  const smallParts = smallWeights.length ? split(smallRecords, smallWeights, totalSlots) : [];
  let k = 0;
  smallSizes.forEach((size, o) => {
    const slug = smallOrgSlug(o + 1);
    const [city, postalCode] = CITIES[o % CITIES.length]!;
    const org: OrgPlan = {
      slug,
      name: `${SMALL_NAMES[o % SMALL_NAMES.length]} ${city} ${String(o + 1).padStart(3, "0")} AS`,
      sector: SECTORS[o % SECTORS.length]!,
      city,
      postalCode,
      members: [{ email: `owner@${slug}.example`, name: personName(o + 11), role: "OWNER" }],
    };
    orgs.push(org);
    for (let j = 0; j < size; j++) {
      const key = `s${String(o + 1).padStart(3, "0")}-${j + 1}`;
      // The first small organisation is always in use lately, so the benchmark finds data in every period.
      workbenches.push(workbench(org, key, j + 1, org.members[0]!.email, SMALL_PROJECTS[j % SMALL_PROJECTS.length]!, smallParts[k++]!, o === 0 || rand() < 0.3));
    }
  });
  return { orgs, workbenches };
}

// ---------------------------------------------------------------------------------------------
// Database steps
// ---------------------------------------------------------------------------------------------

async function connect(): Promise<pg.Client> {
  const client = new pg.Client({ connectionString: url });
  client.on("error", (error) => console.error("database connection error:", error.message));
  await client.connect();
  // Whole hours in UTC, as the rollups are; long statements are expected; the data can be regenerated.
  await client.query("SET TIME ZONE 'UTC'; SET statement_timeout = 0; SET synchronous_commit = off; SET work_mem = '256MB'");
  return client;
}

async function generatedState(c: pg.Client) {
  const { rows } = await c.query<{ records: boolean; rollups: boolean; workbenches: number }>(
    `SELECT EXISTS (SELECT 1 FROM usage_record WHERE id LIKE $1) AS records,
            EXISTS (SELECT 1 FROM usage_hourly WHERE workbench_id LIKE $1) AS rollups,
            (SELECT count(*)::int FROM workbench WHERE id LIKE $1) AS workbenches`,
    [GEN_LIKE],
  );
  return rows[0]!;
}

/**
 * Deletes the rows matching `where` from the table. When they are most of it, the other rows are set aside and
 * the table truncated instead: much faster than deleting millions of rows, and the space (and the index
 * bloat) is gone at once. Runs inside the caller's transaction, which holds the table lock.
 */
async function purge(c: pg.Client, table: string, where: string, params: unknown[]): Promise<number> {
  const { rows } = await c.query<{ matching: string; other: string }>(
    `SELECT count(*) FILTER (WHERE ${where}) AS matching, count(*) FILTER (WHERE NOT (${where})) AS other FROM ${table}`,
    params,
  );
  const matching = Number(rows[0]!.matching);
  const other = Number(rows[0]!.other);
  if (matching === 0) return 0;
  if (other <= Math.max(100_000, matching / 4)) {
    await c.query(`CREATE TEMP TABLE keep_rows ON COMMIT DROP AS SELECT * FROM ${table} WHERE NOT (${where})`, params);
    await c.query(`TRUNCATE ${table}`);
    await c.query(`INSERT INTO ${table} SELECT * FROM keep_rows`);
    await c.query("DROP TABLE keep_rows");
  } else {
    await c.query(`DELETE FROM ${table} WHERE ${where}`, params);
  }
  return matching;
}

/** Deletes generated records, their rollups and workbenches; rollups of the affected workbenches are rebuilt from what remains. */
async function removeGenerated(c: pg.Client): Promise<void> {
  await c.query("BEGIN");
  try {
    // Ingestion waits meanwhile, so no rollup row is changed between reading and truncating.
    await c.query("LOCK TABLE usage_record, usage_hourly, usage_daily IN ACCESS EXCLUSIVE MODE");
    const records = await purge(c, "usage_record", "id LIKE $1", [GEN_LIKE]);
    await c.query(
      `CREATE TEMP TABLE affected_workbench ON COMMIT DROP AS
       SELECT id FROM workbench WHERE id LIKE $1 UNION SELECT DISTINCT workbench_id FROM usage_hourly WHERE workbench_id LIKE $1`,
      [GEN_LIKE],
    );
    const rollups = await purge(c, "usage_hourly", "workbench_id IN (SELECT id FROM affected_workbench)", []);
    await purge(c, "usage_daily", "workbench_id IN (SELECT id FROM affected_workbench)", []);
    // Normally no records remain for these workbenches; if some do, their rollups are recomputed exactly.
    for (const table of ["usage_hourly", "usage_daily"] as const) {
      await c.query(rollupSql(table, "usage_record", "WHERE workbench_id IN (SELECT id FROM affected_workbench)"));
    }
    const { rowCount: wbs } = await c.query(`DELETE FROM workbench WHERE id LIKE $1`, [GEN_LIKE]);
    await c.query("COMMIT");
    say(`removed ${fmt(records)} generated records, ${fmt(rollups)} hourly rollups, ${fmt(wbs ?? 0)} workbenches`);
  } catch (error) {
    await c.query("ROLLBACK");
    throw error;
  }
}

async function ensureOrganisations(c: pg.Client, orgs: OrgPlan[], passwordHash: string): Promise<{ orgIds: Map<string, string>; userIds: Map<string, string> }> {
  const taken = new Set((await c.query<{ org_number: string }>("SELECT org_number FROM organization")).rows.map((r) => r.org_number));
  const orgNumber = orgNumberPicker(taken);
  const orgIds = new Map<string, string>();
  const userIds = new Map<string, string>();
  await c.query("BEGIN");
  try {
    const o = orgs.map((org, i) => ({ ...org, id: newId(), number: orgNumber(i), ref: `BENCH-${String(i).padStart(4, "0")}` }));
    const { rows: orgRows } = await c.query<{ id: string; slug: string }>(
      `INSERT INTO organization (id, slug, name, org_number, sector, status, billing_street, billing_postal_code, billing_city,
                                 buyer_reference, gpu_quota, approved_at, updated_at)
       SELECT id, slug, name, num, sector::"Sector", 'ACTIVE', 'Benchmarkveien 1', postal, city, ref, quota, now(), now()
       FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[], $8::text[], $9::int[])
            AS t(id, slug, name, num, sector, postal, city, ref, quota)
       ON CONFLICT (slug) DO UPDATE SET status = 'ACTIVE', approved_at = coalesce(organization.approved_at, now()), updated_at = now()
       RETURNING id, slug`,
      [o.map((x) => x.id), o.map((x) => x.slug), o.map((x) => x.name), o.map((x) => x.number), o.map((x) => x.sector),
        o.map((x) => x.postalCode), o.map((x) => x.city), o.map((x) => x.ref), o.map((x) => (x.slug === BIG_ORG_SLUG ? 512 : 8))],
    );
    for (const r of orgRows) orgIds.set(r.slug, r.id);

    const users = [...new Map(orgs.flatMap((org) => org.members).map((m) => [m.email, m])).values()];
    const { rows: userRows } = await c.query<{ id: string; email: string }>(
      `INSERT INTO "user" (id, email, name, password_hash, email_verified_at, updated_at)
       SELECT id, email, name, $4, now(), now() FROM unnest($1::text[], $2::text[], $3::text[]) AS t(id, email, name)
       ON CONFLICT (email) DO UPDATE SET password_hash = excluded.password_hash,
         email_verified_at = coalesce("user".email_verified_at, now()), updated_at = now()
       RETURNING id, email`,
      [users.map(() => newId()), users.map((u) => u.email), users.map((u) => u.name), passwordHash],
    );
    for (const r of userRows) userIds.set(r.email, r.id);

    const memberships = orgs.flatMap((org) => org.members.map((m) => ({ orgId: orgIds.get(org.slug)!, userId: userIds.get(m.email)!, role: m.role })));
    await c.query(
      `INSERT INTO membership (id, org_id, user_id, role, updated_at)
       SELECT id, org_id, user_id, role::"Role", now() FROM unnest($1::text[], $2::text[], $3::text[], $4::text[]) AS t(id, org_id, user_id, role)
       ON CONFLICT (org_id, user_id) DO NOTHING`,
      [memberships.map(() => newId()), memberships.map((m) => m.orgId), memberships.map((m) => m.userId), memberships.map((m) => m.role)],
    );
    const owners = memberships.filter((m) => m.role === "OWNER");
    await c.query(
      `INSERT INTO dpa_acceptance (id, org_id, user_id, version, ip, user_agent)
       SELECT id, org_id, user_id, $4, '127.0.0.1', 'usage-generator' FROM unnest($1::text[], $2::text[], $3::text[]) AS t(id, org_id, user_id)
       WHERE NOT EXISTS (SELECT 1 FROM dpa_acceptance d WHERE d.org_id = t.org_id)`,
      [owners.map(() => newId()), owners.map((m) => m.orgId), owners.map((m) => m.userId), DPA_VERSION],
    );
    await c.query("COMMIT");
  } catch (error) {
    await c.query("ROLLBACK");
    throw error;
  }
  return { orgIds, userIds };
}

async function insertWorkbenches(c: pg.Client, wbs: WorkbenchPlan[], orgIds: Map<string, string>, userIds: Map<string, string>): Promise<void> {
  const col = <T>(f: (w: WorkbenchPlan) => T) => wbs.map(f);
  await c.query(
    `INSERT INTO workbench (id, org_id, created_by_id, name, display_name, project, image_id, shape_id, region_id, storage_gb,
                            idle_timeout_minutes, gpu_milli, price_per_hour_ore, desired_state, status, created_at, updated_at)
     SELECT id, org_id, created_by, name, display, project, image, shape, region, storage, 60, gpu_milli, price,
            'DELETED', 'DELETED', to_timestamp(first_slot * ${INTERVAL_SECONDS}), to_timestamp(end_slot * ${INTERVAL_SECONDS})
     FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[], $8::text[], $9::text[],
                 $10::int[], $11::int[], $12::int[], $13::bigint[], $14::bigint[])
          AS t(id, org_id, created_by, name, display, project, image, shape, region, storage, gpu_milli, price, first_slot, end_slot)`,
    [
      col((w) => w.id), col((w) => orgIds.get(w.orgSlug)!), col((w) => userIds.get(w.creatorEmail)!), col((w) => w.name),
      col((w) => w.displayName), col((w) => w.project), col((w) => w.imageId), col((w) => w.shape.id), col((w) => w.regionId),
      col((w) => w.storageGb),
      // As a launch records it: thousandths of a GPU (MIG slices by their fraction).
      col((w) => Math.round((w.shape.gpuCount > 0 ? w.shape.gpuCount : w.shape.gpuFraction) * 1000)),
      col((w) => w.pricePerHourOre), col((w) => w.firstSlot), col((w) => w.firstSlot + w.count),
    ],
  );
}

/**
 * One batch: every interval of the given workbenches within [lo, hi), generated in time order.
 * Running or not follows the workbench's pattern (a deterministic hash of workbench and time); while running
 * an interval reserves 300 s, holds the shape's GPU share, draws between idle and max watts after a simulated
 * utilisation, carries the workbench's price per hour; storage accrues all the time.
 */
const BATCH_SQL = `
  WITH p AS MATERIALIZED (
    SELECT * FROM unnest($3::text[], $4::text[], $5::text[], $6::text[], $7::text[], $8::text[], $9::text[], $10::bigint[], $11::bigint[],
                         $12::int[], $13::bigint[], $14::numeric[], $15::float8[], $16::float8[], $17::numeric[], $18::int[])
      AS t(key, org_id, wb_id, user_id, project, shape_id, region_id, first_slot, end_slot, pattern, seed, gpu_s, idle_w, max_w, storage_gbh, price)
  )
  INSERT INTO usage_record (id, org_id, workbench_id, user_id, project, shape_id, region_id, interval_start, interval_end,
                            reserved_seconds, gpu_seconds, energy_wh, storage_gb_hours, price_per_hour_ore, ingested_at)
  SELECT '${GENERATED_PREFIX}' || w.key || '-' || s.slot, w.org_id, w.wb_id, w.user_id, w.project, w.shape_id, w.region_id,
         to_timestamp(s.slot * ${INTERVAL_SECONDS}), to_timestamp((s.slot + 1) * ${INTERVAL_SECONDS}),
         CASE WHEN x.run THEN ${INTERVAL_SECONDS} ELSE 0 END,
         CASE WHEN x.run THEN w.gpu_s ELSE 0 END,
         CASE WHEN x.run THEN round(((w.idle_w + x.u * (w.max_w - w.idle_w)) * ${INTERVAL_SECONDS} / 3600.0)::numeric, 6) ELSE 0 END,
         w.storage_gbh,
         w.price,
         to_timestamp((s.slot + 1) * ${INTERVAL_SECONDS} + 20 + (s.slot % 40))
  FROM generate_series($1::bigint, $2::bigint - 1) AS s(slot)
  CROSS JOIN LATERAL (SELECT * FROM p WHERE s.slot >= p.first_slot AND s.slot < p.end_slot) AS w
  CROSS JOIN LATERAL (
    SELECT s.slot / ${SLOTS_PER_DAY} AS day, s.slot % ${SLOTS_PER_DAY} AS slot_of_day,
           (hashint8(w.seed * 1000099 + s.slot) & 65535)::float8 / 65536 AS r
  ) AS t
  CROSS JOIN LATERAL (
    SELECT CASE w.pattern
             -- office hours: Monday-Friday on ~80 % of days, from 06:30-09:05 to 15:00-17:35 UTC
             WHEN 0 THEN (t.day + 3) % 7 < 5
                     AND (hashint8(w.seed * 1000003 + t.day) & 1023) < 820
                     AND t.slot_of_day >= 78 + (hashint8(w.seed * 1000033 + t.day) & 31)
                     AND t.slot_of_day < 180 + (hashint8(w.seed * 1000037 + t.day) & 31)
             -- training jobs: 6-hour blocks, about two thirds of them busy
             WHEN 1 THEN (hashint8(w.seed * 1000039 + s.slot / 72) & 1023) < 680
             -- a service: always on except a few maintenance days
             ELSE (hashint8(w.seed * 1000081 + t.day) & 1023) < 1000
           END AS run,
           CASE w.pattern
             WHEN 0 THEN CASE WHEN t.r < 0.7 THEN 0.35 + 0.6 * (t.r / 0.7) ELSE 0.03 END
             WHEN 1 THEN 0.7 + 0.28 * t.r
             ELSE 0.25 + 0.5 * t.r
           END AS u
  ) AS x`;

interface Batch {
  label: string;
  lo: number;
  hi: number;
  workbenches: WorkbenchPlan[];
  expected: number;
}

function batches(wbs: WorkbenchPlan[], startSlot: number, endSlot: number): Batch[] {
  // Calendar months (UTC) of the period, so progress reads naturally.
  const bounds: number[] = [startSlot];
  const d = new Date(startSlot * INTERVAL_SECONDS * 1000);
  for (let m = new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + 1, 1)); m.getTime() / 1000 / INTERVAL_SECONDS < endSlot; m.setUTCMonth(m.getUTCMonth() + 1)) {
    bounds.push(m.getTime() / 1000 / INTERVAL_SECONDS);
  }
  bounds.push(endSlot);
  // The big organisation's months are split into one part per job, so that every connection has work.
  const big = wbs.filter((w) => w.orgSlug === BIG_ORG_SLUG);
  const parts = Math.max(1, JOBS);
  const groups: Array<[string, WorkbenchPlan[]]> = [
    ...Array.from({ length: parts }, (_, i) => [parts > 1 ? `${BIG_ORG_SLUG} ${i + 1}/${parts}` : BIG_ORG_SLUG, big.filter((_, j) => j % parts === i)] as [string, WorkbenchPlan[]]),
    [`small orgs (${SMALL_ORGS})`, wbs.filter((w) => w.orgSlug !== BIG_ORG_SLUG)],
  ];
  const out: Batch[] = [];
  for (let i = 0; i + 1 < bounds.length; i++) {
    const lo = bounds[i]!;
    const hi = bounds[i + 1]!;
    const month = new Date(lo * INTERVAL_SECONDS * 1000).toISOString().slice(0, 7);
    for (const [name, group] of groups) {
      const overlapping = group.filter((w) => w.firstSlot < hi && w.firstSlot + w.count > lo);
      const expected = overlapping.reduce((s, w) => s + Math.min(hi, w.firstSlot + w.count) - Math.max(lo, w.firstSlot), 0);
      if (expected > 0) out.push({ label: `${name}, ${month}`, lo, hi, workbenches: overlapping, expected });
    }
  }
  return out;
}

async function runBatch(c: pg.Client, b: Batch, orgIds: Map<string, string>, userIds: Map<string, string>): Promise<number> {
  const w = b.workbenches;
  const col = <T>(f: (x: WorkbenchPlan) => T) => w.map(f);
  const result = await c.query(BATCH_SQL, [
    b.lo, b.hi,
    col((x) => x.key), col((x) => orgIds.get(x.orgSlug)!), col((x) => x.id), col((x) => userIds.get(x.creatorEmail)!), col((x) => x.project),
    col((x) => x.shape.id), col((x) => x.regionId), col((x) => x.firstSlot), col((x) => x.firstSlot + x.count), col((x) => x.pattern),
    col((x) => x.seed),
    // GPU share x 300 s, to the millisecond like the control plane's records.
    col((x) => (Math.round((x.shape.gpuCount > 0 ? x.shape.gpuCount : x.shape.gpuFraction) * INTERVAL_SECONDS * 1000) / 1000).toFixed(3)),
    col((x) => x.shape.powerIdleW), col((x) => x.shape.powerMaxW),
    col((x) => ((x.storageGb * INTERVAL_SECONDS) / 3600).toFixed(6)),
    col((x) => x.pricePerHourOre),
  ]);
  return result.rowCount ?? 0;
}

async function sizes(c: pg.Client) {
  const { rows } = await c.query<{ name: string; rows: string; heap: string; indexes: string; total: string }>(
    `SELECT c.relname AS name, c.reltuples::bigint AS rows, pg_size_pretty(pg_table_size(c.oid)) AS heap,
            pg_size_pretty(pg_indexes_size(c.oid)) AS indexes, pg_size_pretty(pg_total_relation_size(c.oid)) AS total
     FROM pg_class c WHERE c.relname IN ('usage_record', 'usage_hourly', 'usage_daily') AND c.relkind = 'r' ORDER BY 1`,
  );
  for (const r of rows) say(`  ${r.name.padEnd(13)} ~${fmt(Number(r.rows)).padStart(11)} rows  table ${r.heap.padStart(8)}  indexes ${r.indexes.padStart(8)}  total ${r.total}`);
}

// ---------------------------------------------------------------------------------------------
// Main
// ---------------------------------------------------------------------------------------------

async function main(): Promise<void> {
  say(`database ${redact(url)}`);
  const c = await connect();
  try {
    const state = await generatedState(c);
    const present = state.records || state.rollups || state.workbenches > 0;
    if (args.remove) {
      if (present) await timed("removed the generated data", () => removeGenerated(c));
      else say("no generated data to remove");
      await timed("VACUUM (ANALYZE) usage tables", () => c.query("VACUUM (ANALYZE) usage_record, usage_hourly, usage_daily"));
      return;
    }
    if (present && !args.reset) {
      console.error(
        `The database already holds generated usage (${state.workbenches} generated workbenches${state.records ? ", records" : ""}${state.rollups ? ", rollups" : ""}).\n` +
          "Run again with --reset to replace it (or --remove to delete it); a second run would otherwise count it twice.",
      );
      process.exitCode = 1;
      return;
    }
    const prices = new Map<string, number>(SHAPE_OFFERS.map((o) => [o.shapeId, o.pricePerHourOre]));
    for (const r of (await c.query<{ shape_id: string; price_per_hour_ore: number }>("SELECT shape_id, price_per_hour_ore FROM shape_offer")).rows) {
      prices.set(r.shape_id, r.price_per_hour_ore);
    }
    const endSlot = Math.floor(Date.now() / 1000 / INTERVAL_SECONDS);
    const startSlot = endSlot - DAYS * SLOTS_PER_DAY;
    const { orgs, workbenches } = plan(prices, endSlot);
    const bigWbs = workbenches.filter((w) => w.orgSlug === BIG_ORG_SLUG);
    say(
      `plan: ${fmt(RECORDS)} records of ${INTERVAL_SECONDS / 60} minutes over ${DAYS} days ` +
        `(${new Date(startSlot * INTERVAL_SECONDS * 1000).toISOString().slice(0, 16)}Z .. ${new Date(endSlot * INTERVAL_SECONDS * 1000).toISOString().slice(0, 16)}Z); ` +
        `${BIG_ORG_SLUG}: ${bigWbs.length} workbenches, ${fmt(bigWbs.reduce((s, w) => s + w.count, 0))} records; ` +
        `${SMALL_ORGS} small organisations: ${workbenches.length - bigWbs.length} workbenches, ${fmt(workbenches.filter((w) => w.orgSlug !== BIG_ORG_SLUG).reduce((s, w) => s + w.count, 0))} records`,
    );

    if (present) await timed("--reset: removed the previous generated data", () => removeGenerated(c));

    const { hashPassword } = await import("../server/auth/password");
    const passwordHash = await hashPassword(BENCH_PASSWORD);
    const { orgIds, userIds } = await timed(`organisations (${orgs.length}) and users`, () => ensureOrganisations(c, orgs, passwordHash));
    await timed(`workbenches (${workbenches.length})`, () => insertWorkbenches(c, workbenches, orgIds, userIds));

    // Raw records: batches per organisation group and month, on JOBS connections at once.
    const todo = batches(workbenches, startSlot, endSlot);
    const clients = [c, ...(await Promise.all(Array.from({ length: Math.max(0, JOBS - 1) }, connect)))];
    const t0 = performance.now();
    let done = 0;
    let rows = 0;
    let next = 0;
    let failed = false;
    try {
      await Promise.all(
        clients.map(async (client) => {
          while (next < todo.length && !failed) {
            const b = todo[next++]!;
            const tb = performance.now();
            const n = await runBatch(client, b, orgIds, userIds).catch((error: unknown) => {
              failed = true;
              throw error;
            });
            if (n !== b.expected) {
              failed = true;
              throw new Error(`${b.label}: inserted ${n} rows, expected ${b.expected}; run again with --reset`);
            }
            rows += n;
            done++;
            const elapsed = performance.now() - t0;
            const rate = rows / (elapsed / 1000);
            say(
              `[${String(done).padStart(2)}/${todo.length}] ${b.label.padEnd(28)} ${fmt(n).padStart(9)} rows in ${secs(performance.now() - tb).padStart(7)}` +
                ` | ${fmt(rows).padStart(11)} / ${fmt(RECORDS)} (${((100 * rows) / RECORDS).toFixed(1).padStart(5)} %), ${fmt(Math.round(rate))} rows/s, ETA ${clock(((RECORDS - rows) / rate) * 1000)}`,
            );
          }
        }),
      );
    } finally {
      await Promise.all(clients.slice(1).map((x) => x.end()));
    }
    say(`raw records: ${fmt(rows)} in ${secs(performance.now() - t0)}`);

    // Rollups: the rollup statement of store.ts over every generated record at once.
    for (const table of ["usage_hourly", "usage_daily"] as const) {
      const rollups = await timed(`${table} rollups (one INSERT ... SELECT ... GROUP BY)`, async () => {
        const r = await c.query(rollupSql(table, "usage_record", "WHERE id LIKE $1"), [GEN_LIKE]);
        return r.rowCount ?? 0;
      });
      say(`  ${fmt(rollups)} rows`);
    }
    // The notebook pages show each workbench's accumulated energy, GPU time and running time.
    await timed("workbench totals", () =>
      c.query(
        `UPDATE workbench w SET energy_wh = t.energy_wh, gpu_seconds = t.gpu_seconds, run_seconds_before = t.reserved_seconds
         FROM (SELECT workbench_id, sum(energy_wh)::float8 AS energy_wh, sum(gpu_seconds)::float8 AS gpu_seconds, sum(reserved_seconds)::float8 AS reserved_seconds
               FROM usage_hourly WHERE workbench_id LIKE $1 GROUP BY 1) t
         WHERE w.id = t.workbench_id`,
        [GEN_LIKE],
      ),
    );
    await timed("VACUUM (ANALYZE) usage_record, usage_hourly, usage_daily", () => c.query("VACUUM (ANALYZE) usage_record, usage_hourly, usage_daily"));
    await timed("ANALYZE workbench, organization, membership, user", () => c.query(`ANALYZE workbench, organization, membership, "user"`));
    await sizes(c);
    say(`done in ${clock(performance.now() - started)}. Sign in as ${BENCH_EMAIL} / ${BENCH_PASSWORD} and open /${BIG_ORG_SLUG}/usage, or run npm run bench:usage`);
  } finally {
    await c.end();
  }
}

main().then(
  () => process.exit(process.exitCode ?? 0),
  (error: unknown) => {
    console.error(error);
    process.exit(1);
  },
);
