// Times the usage dashboard on the data of `npm run usage:generate`:
//
//   npm run bench:usage -- [--runs 15] [--warmup 2] [--max-seconds 120] [--small bench-small-001]
//                          [--url http://127.0.0.1:3000] [--no-web | --web-only]
//
// 1. The report itself: usageReport() for typical filters, for bench-big and a small organisation, from the
//    rollups (daily for daily views, hourly for hourly ones) and from the raw records, as the page calls it (membership looked up like a request
//    does, so authorisation runs). Each scenario: warm-ups, then --runs timed runs (fewer if one source
//    needs more than --max-seconds for them); rollup and raw answers are compared.
// 2. The page: when a web server answers at --url, signs in as the bench-big owner through Auth.js and
//    times GET /bench-big/usage (default 30 days, and a year).
// Uses DATABASE_URL, or the database of `npm run dev` when it is not set. Results also go to bench-results/.
import { mkdirSync, writeFileSync } from "node:fs";
import * as os from "node:os";
import { Prisma } from "../generated/prisma/client";
import type { UsageFilterInput } from "../server/usage/filter";
import type { UsageReport, UsageSource } from "../server/usage/queries";
import { CookieJar, signIn } from "./lib/http-session";
import { BENCH_EMAIL, BENCH_PASSWORD, BIG_ORG_SLUG, intArg, parseArgs, smallOrgSlug, useDevDatabaseByDefault } from "./bench-accounts";

useDevDatabaseByDefault();
const args = parseArgs(process.argv.slice(2), {
  runs: "string",
  warmup: "string",
  "max-seconds": "string",
  small: "string",
  url: "string",
  "no-web": "boolean",
  "web-only": "boolean",
});
const RUNS = intArg(args, "runs", 15);
const WARMUP = intArg(args, "warmup", 2, 0);
const MAX_MS = intArg(args, "max-seconds", 120) * 1000;
const SMALL_SLUG = typeof args.small === "string" ? args.small : smallOrgSlug(1);
const WEB_URL = (typeof args.url === "string" ? args.url : "http://127.0.0.1:3000").replace(/\/+$/, "");

const { db } = await import("../server/db");
const { getMembershipBySlug } = await import("../server/orgs/queries");
const { usageReport } = await import("../server/usage/queries");
const { resolveFilter } = await import("../server/usage/filter");

type Membership = NonNullable<Awaited<ReturnType<typeof getMembershipBySlug>>>;
type Filter = ReturnType<typeof resolveFilter>;

const DAY_MS = 86_400_000;
const day = (offsetDays: number) => new Date(Date.now() + offsetDays * DAY_MS).toISOString().slice(0, 10);

// ---------------------------------------------------------------------------------------------
// Statistics and output
// ---------------------------------------------------------------------------------------------

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
}
/** Nearest-rank 95th percentile (with 15 runs: the slowest). */
function p95(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.max(0, Math.ceil(0.95 * s.length) - 1)]!;
}
const ms = (x: number) => (x >= 100 ? x.toFixed(0) : x.toFixed(1));
const fmt = (n: number) => n.toLocaleString("en-US");

function table(headers: string[], rows: string[][], rightFrom = 2): string {
  const widths = headers.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const line = (cells: string[]) => cells.map((c, i) => (i >= rightFrom ? c.padStart(widths[i]!) : c.padEnd(widths[i]!))).join("  ");
  return [line(headers), widths.map((w) => "-".repeat(w)).join("  "), ...rows.map(line)].join("\n");
}

// ---------------------------------------------------------------------------------------------
// 1. The report
// ---------------------------------------------------------------------------------------------

interface Scenario {
  name: string;
  input: UsageFilterInput;
}

async function membershipFor(email: string, slug: string): Promise<Membership> {
  const user = await db.user.findUnique({ where: { email }, select: { id: true } });
  const membership = user ? await getMembershipBySlug(user.id, slug) : null;
  if (!membership) throw new Error(`${email} is not a member of ${slug}: run npm run usage:generate first`);
  return membership;
}

/** The organisation's busiest project, user and workbench of the last 30 days, for the filtered scenarios. */
async function scenariosFor(membership: Membership): Promise<Scenario[]> {
  const since = resolveFilter({ granularity: "day" }).fromDate;
  const top = async (column: "project" | "user_id" | "workbench_id") => {
    const rows = await db.$queryRaw<Array<{ key: string }>>`
      SELECT ${Prisma.raw(column)} AS key FROM usage_hourly WHERE org_id = ${membership.org.id} AND hour >= ${since}
      GROUP BY 1 ORDER BY sum(reserved_seconds * price_per_hour_ore) DESC LIMIT 1`;
    return rows[0]?.key;
  };
  const [project, user, workbench] = await Promise.all([top("project"), top("user_id"), top("workbench_id")]);
  const scenarios: Scenario[] = [
    { name: "30 days, daily", input: { granularity: "day" } },
    { name: "365 days, daily", input: { from: day(-364), to: day(0), granularity: "day" } },
    { name: "7 days, hourly", input: { from: day(-6), to: day(0), granularity: "hour" } },
  ];
  if (project) scenarios.push({ name: "30 days, one project", input: { granularity: "day", project } });
  if (user) scenarios.push({ name: "30 days, one user", input: { granularity: "day", user } });
  if (workbench) scenarios.push({ name: "30 days, one workbench", input: { granularity: "day", workbench } });
  return scenarios;
}

/** How many source rows the report aggregates (the same conditions as the report's WHERE). */
async function sourceRows(orgId: string, filter: Filter, source: UsageSource): Promise<number> {
  const [table, column] = source === "raw" ? ["usage_record", "interval_start"] : filter.granularity === "day" ? ["usage_daily", "day"] : ["usage_hourly", "hour"];
  const time = Prisma.raw(column);
  const parts = [Prisma.sql`org_id = ${orgId}`, Prisma.sql`${time} >= ${filter.fromDate}`, Prisma.sql`${time} < ${filter.toDate}`];
  if (filter.project) parts.push(Prisma.sql`project = ${filter.project}`);
  if (filter.user) parts.push(Prisma.sql`user_id = ${filter.user}`);
  if (filter.workbench) parts.push(Prisma.sql`workbench_id = ${filter.workbench}`);
  if (filter.shape) parts.push(Prisma.sql`shape_id = ${filter.shape}`);
  const [row] = await db.$queryRaw<Array<{ n: bigint }>>`
    SELECT count(*) AS n FROM ${Prisma.raw(table)} WHERE ${Prisma.join(parts, " AND ")}`;
  return Number(row?.n ?? 0);
}

/** Differences between the rollup's and the raw records' answers (empty when they agree). */
function compare(a: UsageReport, b: UsageReport): string[] {
  const problems: string[] = [];
  if (a.totals.costOre !== b.totals.costOre) problems.push(`cost ${a.totals.costOre} vs ${b.totals.costOre}`);
  for (const k of ["reservedSeconds", "gpuSeconds", "energyWh", "storageGbHours"] as const) {
    if (Math.abs(a.totals[k] - b.totals[k]) > 1e-9 * Math.max(1, Math.abs(b.totals[k]))) problems.push(`${k} ${a.totals[k]} vs ${b.totals[k]}`);
  }
  if (a.series.length !== b.series.length) problems.push(`series ${a.series.length} vs ${b.series.length} buckets`);
  if (a.workbenches.length !== b.workbenches.length) problems.push(`${a.workbenches.length} vs ${b.workbenches.length} workbenches`);
  return problems;
}

interface Result {
  org: string;
  scenario: string;
  source: UsageSource;
  runs: number;
  medianMs: number;
  p95Ms: number;
  sourceRows: number;
  series: number;
  workbenches: number;
}

async function timeReport(membership: Membership, filter: Filter, source: UsageSource): Promise<{ times: number[]; report: UsageReport }> {
  let report = await usageReport(membership, filter, { source });
  for (let i = 1; i < WARMUP; i++) report = await usageReport(membership, filter, { source });
  const times: number[] = [];
  const started = performance.now();
  for (let i = 0; i < RUNS; i++) {
    const t0 = performance.now();
    report = await usageReport(membership, filter, { source });
    times.push(performance.now() - t0);
    if (performance.now() - started > MAX_MS && times.length >= 3) break;
  }
  return { times, report };
}

async function benchReports(): Promise<Result[]> {
  const orgs: Array<[string, Membership]> = [
    [BIG_ORG_SLUG, await membershipFor(BENCH_EMAIL, BIG_ORG_SLUG)],
    [SMALL_SLUG, await membershipFor(`owner@${SMALL_SLUG}.example`, SMALL_SLUG)],
  ];
  const results: Result[] = [];
  for (const [slug, membership] of orgs) {
    for (const scenario of await scenariosFor(membership)) {
      const filter = resolveFilter(scenario.input);
      const reports: Partial<Record<UsageSource, UsageReport>> = {};
      for (const source of ["rollup", "raw"] as const) {
        const { times, report } = await timeReport(membership, filter, source);
        reports[source] = report;
        const r: Result = {
          org: slug,
          scenario: scenario.name,
          source,
          runs: times.length,
          medianMs: median(times),
          p95Ms: p95(times),
          sourceRows: await sourceRows(membership.org.id, filter, source),
          series: report.series.length,
          workbenches: report.workbenches.length,
        };
        results.push(r);
        console.log(
          `  ${slug.padEnd(16)} ${scenario.name.padEnd(24)} ${source.padEnd(6)} median ${ms(r.medianMs).padStart(7)} ms  p95 ${ms(r.p95Ms).padStart(7)} ms  (${r.runs} runs, ${fmt(r.sourceRows)} rows)`,
        );
      }
      const problems = compare(reports.rollup!, reports.raw!);
      if (problems.length) console.log(`  !! rollup and raw records disagree for ${slug} / ${scenario.name}: ${problems.join("; ")}`);
    }
  }
  return results;
}

// ---------------------------------------------------------------------------------------------
// 2. The page, through the web server
// ---------------------------------------------------------------------------------------------

interface PageResult {
  page: string;
  runs: number;
  ttfbMedianMs: number;
  ttfbP95Ms: number;
  medianMs: number;
  p95Ms: number;
  bytes: number;
}

async function timePage(base: string, jar: CookieJar, path: string): Promise<PageResult> {
  const once = async () => {
    const t0 = performance.now();
    const response = await fetch(`${base}${path}`, { headers: { cookie: jar.header() }, redirect: "manual", signal: AbortSignal.timeout(300_000) });
    const ttfb = performance.now() - t0;
    const body = await response.text();
    const total = performance.now() - t0;
    if (response.status !== 200 || !body.includes('data-testid="usage-totals"')) {
      throw new Error(`GET ${path} answered ${response.status}${response.headers.get("location") ? ` -> ${response.headers.get("location")}` : ""}, not the usage page`);
    }
    return { ttfb, total, bytes: body.length };
  };
  for (let i = 0; i < WARMUP; i++) await once();
  const ttfbs: number[] = [];
  const totals: number[] = [];
  let bytes = 0;
  const started = performance.now();
  for (let i = 0; i < RUNS; i++) {
    const r = await once();
    ttfbs.push(r.ttfb);
    totals.push(r.total);
    bytes = r.bytes;
    if (performance.now() - started > MAX_MS && totals.length >= 3) break;
  }
  return { page: path, runs: totals.length, ttfbMedianMs: median(ttfbs), ttfbP95Ms: p95(ttfbs), medianMs: median(totals), p95Ms: p95(totals), bytes };
}

async function benchPages(): Promise<PageResult[] | string> {
  if (args["no-web"]) return "skipped (--no-web)";
  try {
    const probe = await fetch(`${WEB_URL}/api/auth/csrf`, { signal: AbortSignal.timeout(120_000) });
    await probe.body?.cancel();
  } catch {
    return `skipped: nothing answers at ${WEB_URL} (start npm run dev, or pass --url)`;
  }
  const jar = await signIn(WEB_URL, BENCH_EMAIL, BENCH_PASSWORD, `/${BIG_ORG_SLUG}/usage`);
  const results: PageResult[] = [];
  for (const path of [`/${BIG_ORG_SLUG}/usage`, `/${BIG_ORG_SLUG}/usage?from=${day(-364)}&to=${day(0)}`]) {
    const r = await timePage(WEB_URL, jar, path);
    results.push(r);
    console.log(`  GET ${path.padEnd(50)} median ${ms(r.medianMs).padStart(7)} ms  p95 ${ms(r.p95Ms).padStart(7)} ms  (${r.runs} runs)`);
  }
  return results;
}

// ---------------------------------------------------------------------------------------------
// Main
// ---------------------------------------------------------------------------------------------

async function main(): Promise<void> {
  const [counts] = await db.$queryRaw<Array<{ records: bigint; rollups: bigint; daily: bigint }>>`
    SELECT (SELECT reltuples::bigint FROM pg_class WHERE relname = 'usage_record' AND relkind = 'r') AS records,
           (SELECT reltuples::bigint FROM pg_class WHERE relname = 'usage_hourly' AND relkind = 'r') AS rollups,
           (SELECT reltuples::bigint FROM pg_class WHERE relname = 'usage_daily' AND relkind = 'r') AS daily`;
  const machine = `${os.cpus().length} CPU (${os.cpus()[0]?.model.trim() ?? "?"}), ${Math.round(os.totalmem() / 2 ** 30)} GB RAM, Node ${process.version}`;
  console.log(`usage dashboard benchmark: ~${fmt(Number(counts?.records ?? 0))} usage records, ~${fmt(Number(counts?.rollups ?? 0))} hourly and ~${fmt(Number(counts?.daily ?? 0))} daily rollups; ${machine}`);
  console.log(`${WARMUP} warm-up(s), then ${RUNS} timed runs per line (fewer when they take over ${MAX_MS / 1000} s)\n`);

  let reports: Result[] = [];
  if (!args["web-only"]) {
    console.log("usageReport():");
    reports = await benchReports();
    console.log(
      "\n" +
        table(
          ["organisation", "scenario", "source", "runs", "median ms", "p95 ms", "rows", "buckets", "workbenches"],
          reports.map((r) => [r.org, r.scenario, r.source, String(r.runs), ms(r.medianMs), ms(r.p95Ms), fmt(r.sourceRows), String(r.series), String(r.workbenches)]),
          3,
        ) +
        "\n(rows: rollup or raw rows the report aggregates; buckets: points of the series)\n",
    );
  }

  console.log(`The page at ${WEB_URL}:`);
  const pages = await benchPages();
  if (typeof pages === "string") console.log(`  ${pages}`);
  else {
    console.log(
      "\n" +
        table(
          ["page (signed in as the bench-big owner)", "runs", "median ms", "p95 ms", "first byte median ms", "HTML bytes"],
          pages.map((p) => [p.page, String(p.runs), ms(p.medianMs), ms(p.p95Ms), ms(p.ttfbMedianMs), fmt(p.bytes)]),
          1,
        ) +
        "\n(times to the whole HTML answer)\n",
    );
  }

  mkdirSync("bench-results", { recursive: true });
  const file = `bench-results/usage-${new Date().toISOString().replace(/[:.]/g, "-")}.json`;
  writeFileSync(file, JSON.stringify({ at: new Date().toISOString(), machine, records: Number(counts?.records ?? 0), reports, pages }, null, 2));
  console.log(`results written to ${file}`);
}

try {
  await main();
  await db.$disconnect();
  process.exit(0);
} catch (error) {
  console.error(error instanceof Error ? error.message : error);
  await db.$disconnect().catch(() => {});
  process.exit(1);
}
