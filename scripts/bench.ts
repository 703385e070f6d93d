// The portal's benchmarks, on a production build, printed as tables (and written to bench-results/):
//
//   npm run bench [-- --records 2000000] [--duration 15] [--connections 32] [--launches 30]
//                    [--processes 2] [--only lighthouse,load,launch] [--no-build]
//
// 1. Lighthouse (Debian's Chromium) for the landing page, sign-in, and the dashboard, GPU shapes,
//    notebooks, usage & carbon and invoice pages of the large organisation, signed in: performance
//    (mobile and desktop presets), accessibility, best practices, and the gzip bytes of JavaScript the
//    browser downloaded for that first load.
// 2. Load (autocannon on loopback, --connections at once for --duration seconds each): the signed-in
//    dashboard, notebooks list and usage page of the large organisation, each followed by a static page
//    served by the same server (public/maintenance.html); requests per second, p50/p95/p99 latency.
// 3. Launch: --launches notebook launches through the real server action, against the simulated
//    control plane; the action's round trip and the time until the notebook runs, p50/p95.
//
// Without DATABASE_URL it starts a throw-away PostgreSQL, migrates, seeds and generates --records usage
// records (90 % in the organisation bench-big); with DATABASE_URL it uses that database as it is (it
// must hold the seed, and usage from `npm run usage:generate` unless bench-big is to be generated).
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import autocannon from "autocannon";
import pg from "pg";
import { BENCH_EMAIL, BENCH_PASSWORD, BIG_ORG_SLUG, intArg, parseArgs } from "./bench-accounts";
import {
  ROOT,
  percentile,
  prepareHarness,
  runToEnd,
  sleep,
  startControlPlane,
  startWeb,
  startWorker,
  stopOnSignals,
  tsxNode,
  type Harness,
} from "./lib/harness";
import { signIn, type CookieJar } from "./lib/http-session";
import { CHROME_PATH, CHROMIUM_ARGS } from "./lib/chromium";

const args = parseArgs(process.argv.slice(2), {
  records: "string",
  duration: "string",
  connections: "string",
  launches: "string",
  processes: "string",
  only: "string",
  "no-build": "boolean",
});
const RECORDS = intArg(args, "records", 2_000_000);
const DURATION_S = intArg(args, "duration", 15);
const CONNECTIONS = intArg(args, "connections", 32);
const LAUNCHES = intArg(args, "launches", 30);
const PROCESSES = intArg(args, "processes", Math.max(1, os.availableParallelism()));
const ONLY = new Set(typeof args.only === "string" ? args.only.split(",") : ["lighthouse", "load", "launch"]);
for (const part of ONLY) if (!["lighthouse", "load", "launch"].includes(part)) throw new Error(`--only takes lighthouse, load, launch (not ${part})`);

const WEB_PORT = 3200;
const CP_PORT = 4210;
const PG_PORT = 54349;
const DIST_DIR = ".next-bench";
const CHROME_FLAGS = [...CHROMIUM_ARGS, "--disable-dev-shm-usage"];

const say = (message: string) => process.stderr.write(`[bench] ${message}\n`);
let harness: Harness | undefined;
stopOnSignals(() => harness);

// ---------------------------------------------------------------------------------------------
// Data
// ---------------------------------------------------------------------------------------------

/** Generates the large organisation's usage unless it is there, and closes recent months into invoices. */
async function ensureBenchData(h: Harness): Promise<{ records: number; orgRecords: number }> {
  const client = new pg.Client({ connectionString: h.databaseUrl });
  await client.connect();
  try {
    const count = async () =>
      (
        await client.query<{ total: string; org: string }>(
          `SELECT (SELECT count(*) FROM usage_record) AS total,
                  (SELECT count(*) FROM usage_record u JOIN organization o ON o.id = u.org_id WHERE o.slug = $1) AS org`,
          [BIG_ORG_SLUG],
        )
      ).rows[0]!;
    let counts = await count();
    if (Number(counts.org) === 0) {
      say(`generating ${RECORDS.toLocaleString("en-US")} usage records (npm run usage:generate)`);
      const [node, nodeArgs] = tsxNode("scripts/generate-usage.ts", true);
      await runToEnd("usage:generate", node, [...nodeArgs, "--records", String(RECORDS), "--small-orgs", "20"], { ...h.env });
      counts = await count();
    }
    const invoices = await client.query(`SELECT 1 FROM invoice i JOIN organization o ON o.id = i.org_id WHERE o.slug = $1 LIMIT 1`, [BIG_ORG_SLUG]);
    if (invoices.rowCount === 0) {
      const now = new Date();
      for (let back = 3; back >= 1; back--) {
        const month = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() - back, 1)).toISOString().slice(0, 7);
        say(`closing ${month} into invoices`);
        const [node, nodeArgs] = tsxNode("scripts/billing.ts", true);
        await runToEnd("billing close", node, [...nodeArgs, "close", month], { ...h.env });
      }
    }
    return { records: Number(counts.total), orgRecords: Number(counts.org) };
  } finally {
    await client.end();
  }
}

// ---------------------------------------------------------------------------------------------
// 1. Lighthouse
// ---------------------------------------------------------------------------------------------

interface LighthouseRow {
  page: string;
  path: string;
  performanceMobile: number;
  performanceDesktop: number;
  accessibility: number;
  bestPractices: number;
  scriptBytes: number;
  scriptRequests: number;
  lcpMobileMs: number;
  tbtMobileMs: number;
  failedAudits: string[];
}

const PAGES: { page: string; path: string; signedIn: boolean }[] = [
  { page: "landing", path: "/", signedIn: false },
  { page: "sign-in", path: "/sign-in", signedIn: false },
  { page: "dashboard", path: `/${BIG_ORG_SLUG}`, signedIn: true },
  { page: "GPU shapes", path: `/${BIG_ORG_SLUG}/shapes`, signedIn: true },
  { page: "notebooks", path: `/${BIG_ORG_SLUG}/notebooks`, signedIn: true },
  { page: "usage & carbon", path: `/${BIG_ORG_SLUG}/usage`, signedIn: true },
  { page: "invoices", path: `/${BIG_ORG_SLUG}/invoices`, signedIn: true },
];

async function runLighthouse(base: string, jar: CookieJar): Promise<LighthouseRow[]> {
  const { default: lighthouse } = await import("lighthouse");
  const { default: desktopConfig } = await import("lighthouse/core/config/desktop-config.js");
  const chromeLauncher = await import("chrome-launcher");
  const userDataDir = mkdtempSync(path.join(os.tmpdir(), "bench-chrome-"));
  const chrome = await chromeLauncher.launch({
    chromePath: CHROME_PATH,
    chromeFlags: CHROME_FLAGS,
    userDataDir,
    logLevel: "silent",
  });
  const rows: LighthouseRow[] = [];
  try {
    for (const page of PAGES) {
      const url = `${base}${page.path}`;
      const flags = {
        port: chrome.port,
        output: "json" as const,
        logLevel: "error" as const,
        onlyCategories: ["performance", "accessibility", "best-practices"],
        ...(page.signedIn ? { extraHeaders: { Cookie: jar.header() } } : {}),
      };
      // One unmeasured load warms the server's code paths for this page.
      await fetch(url, { headers: page.signedIn ? { cookie: jar.header() } : {} }).then((r) => r.arrayBuffer());
      // Lighthouse now and then fails to record a trace (NO_NAVSTART and the like): try up to three times.
      const audit = async (config?: typeof desktopConfig) => {
        for (let attempt = 1; ; attempt++) {
          const result = await lighthouse(url, flags, config);
          const error = result?.lhr ? result.lhr.runtimeError : { message: "no result" };
          if (!error) return result!.lhr;
          if (attempt === 3) throw new Error(`Lighthouse failed on ${url}: ${error.message}`);
          say(`lighthouse ${page.page}: ${error.message.slice(0, 80)}; trying again`);
        }
      };
      const lhr = await audit();
      const desktop = { lhr: await audit(desktopConfig) };
      if (lhr.finalDisplayedUrl && new URL(lhr.finalDisplayedUrl).pathname !== page.path) {
        throw new Error(`${url} ended at ${lhr.finalDisplayedUrl} (not signed in?)`);
      }
      const requests = (lhr.audits["network-requests"]?.details as { items?: { resourceType?: string; transferSize?: number }[] } | undefined)?.items ?? [];
      const scripts = requests.filter((r) => r.resourceType === "Script");
      const score = (l: typeof lhr, id: string) => Math.round((l.categories[id]?.score ?? 0) * 100);
      const failedAudits = Object.values(lhr.audits)
        .filter((a) => a.score !== null && a.score < 1 && (a.scoreDisplayMode === "binary" || a.scoreDisplayMode === "numeric") && isCategoryAudit(lhr, a.id, ["accessibility", "best-practices"]))
        .map((a) => {
          const items = ((a.details as { items?: { node?: { snippet?: string }; description?: string }[] } | undefined)?.items ?? []).map((i) => i.node?.snippet ?? i.description).filter(Boolean);
          return items.length > 0 ? `${a.id} (${items.slice(0, 3).join(" ")})` : a.id;
        });
      rows.push({
        page: page.page,
        path: page.path,
        performanceMobile: score(lhr, "performance"),
        performanceDesktop: score(desktop.lhr, "performance"),
        accessibility: score(lhr, "accessibility"),
        bestPractices: score(lhr, "best-practices"),
        scriptBytes: scripts.reduce((sum, r) => sum + (r.transferSize ?? 0), 0),
        scriptRequests: scripts.length,
        lcpMobileMs: Math.round(lhr.audits["largest-contentful-paint"]?.numericValue ?? 0),
        tbtMobileMs: Math.round(lhr.audits["total-blocking-time"]?.numericValue ?? 0),
        failedAudits,
      });
      say(`lighthouse ${page.page}: perf ${rows.at(-1)!.performanceMobile}/${rows.at(-1)!.performanceDesktop}, a11y ${rows.at(-1)!.accessibility}`);
    }
  } finally {
    chrome.kill();
    rmSync(userDataDir, { recursive: true, force: true });
  }
  return rows;
}

function isCategoryAudit(lhr: { categories: Record<string, { auditRefs: { id: string; weight: number }[] } | undefined> }, id: string, categories: string[]): boolean {
  return categories.some((c) => lhr.categories[c]?.auditRefs.some((ref) => ref.id === id && ref.weight > 0));
}

// ---------------------------------------------------------------------------------------------
// 2. Load
// ---------------------------------------------------------------------------------------------

interface LoadRow {
  target: string;
  path: string;
  requests: number;
  rps: number;
  p50: number;
  p95: number;
  p99: number;
  errors: number;
  bytesPerRequest: number;
}

function load(base: string, urlPath: string, headers: Record<string, string>, seconds: number): Promise<LoadRow> {
  const times: number[] = [];
  let bad = 0;
  return new Promise((resolve, reject) => {
    const instance = autocannon(
      { url: `${base}${urlPath}`, connections: CONNECTIONS, duration: seconds, headers, timeout: 30 },
      (error, result) => {
        if (error) return reject(error);
        resolve({
          target: "",
          path: urlPath,
          requests: times.length,
          rps: times.length / seconds,
          p50: percentile(times, 50),
          p95: percentile(times, 95),
          p99: percentile(times, 99),
          errors: bad + result.errors + result.timeouts,
          bytesPerRequest: result.requests.total > 0 ? Math.round(result.throughput.total / result.requests.total) : 0,
        });
      },
    );
    instance.on("response", (_client: unknown, statusCode: number, _bytes: number, responseTime: number) => {
      times.push(responseTime);
      if (statusCode !== 200) bad++;
    });
  });
}

async function runLoad(base: string, jar: CookieJar): Promise<{ rows: LoadRow[]; statics: LoadRow[] }> {
  const cookie = { cookie: jar.header() };
  const targets = [
    { target: "dashboard", path: `/${BIG_ORG_SLUG}` },
    { target: "notebooks list", path: `/${BIG_ORG_SLUG}/notebooks` },
    { target: "usage (large org)", path: `/${BIG_ORG_SLUG}/usage` },
  ];
  const rows: LoadRow[] = [];
  const statics: LoadRow[] = [];
  // Warm-up: every target briefly, so the first measured one does not pay for compilation.
  for (const t of targets) await load(base, t.path, cookie, 3);
  await load(base, "/maintenance.html", {}, 2);
  for (const t of targets) {
    const row = await load(base, t.path, cookie, DURATION_S);
    rows.push({ ...row, target: t.target });
    say(`load ${t.target}: ${row.rps.toFixed(1)} req/s, p95 ${row.p95} ms, errors ${row.errors}`);
    await sleep(1_000);
    const stat = await load(base, "/maintenance.html", {}, DURATION_S);
    statics.push({ ...stat, target: "static page" });
    say(`load static page: ${stat.rps.toFixed(1)} req/s, p95 ${stat.p95} ms`);
    await sleep(1_000);
  }
  return { rows, statics };
}

// ---------------------------------------------------------------------------------------------
// 3. Launch
// ---------------------------------------------------------------------------------------------

interface LaunchResult {
  launches: number;
  actionP50: number;
  actionP95: number;
  runningP50: number;
  runningP95: number;
  failures: string[];
}

async function runLaunches(h: Harness, base: string, jar: CookieJar): Promise<LaunchResult> {
  const { callFormAction, findActionId } = await import("./lib/server-actions");
  const launchId = findActionId(DIST_DIR, "launchNotebookAction");
  const deleteId = findActionId(DIST_DIR, "deleteNotebookAction");
  const client = new pg.Client({ connectionString: h.databaseUrl });
  await client.connect();
  const action: number[] = [];
  const running: number[] = [];
  const failures: string[] = [];
  try {
    const org = (await client.query<{ id: string }>(`SELECT id FROM organization WHERE slug = $1`, [BIG_ORG_SLUG])).rows[0];
    if (!org) throw new Error(`${BIG_ORG_SLUG} is missing`);
    const run = Date.now().toString(36);
    for (let i = 0; i < LAUNCHES; i++) {
      const name = `bench-launch-${run}-${i}`;
      const started = performance.now();
      const result = await callFormAction({
        baseUrl: base,
        cookie: jar.header(),
        pagePath: `/${BIG_ORG_SLUG}/notebooks/new`,
        distDir: DIST_DIR,
        actionId: launchId,
        fields: { orgId: org.id, displayName: name, project: "bench", imageId: "jupyter-minimal-2025.2", shapeId: "cpu-8", regionId: "no-osl-1", storageGb: "20", idleTimeoutMinutes: "60" },
      });
      const actionMs = performance.now() - started;
      const id = /\/notebooks\/([^/?]+)/.exec(result.redirect?.location ?? "")?.[1];
      if (!id) {
        failures.push(`launch ${i}: HTTP ${result.status}, no redirect to the notebook (${JSON.stringify(result.state ?? result.error ?? result.text ?? "").slice(0, 200)})`);
        continue;
      }
      action.push(actionMs);
      // Until the portal's own notebook API (what the notebook page polls) reports it running.
      const deadline = Date.now() + 60_000;
      let status = "";
      while (Date.now() < deadline) {
        const response = await fetch(`${base}/api/orgs/${BIG_ORG_SLUG}/notebooks/${id}`, { headers: { cookie: jar.header() } });
        status = response.ok ? (((await response.json()) as { notebook?: { status?: string } }).notebook?.status ?? "") : `HTTP ${response.status}`;
        if (status === "RUNNING") break;
        await sleep(25);
      }
      if (status === "RUNNING") running.push(performance.now() - started);
      else failures.push(`launch ${i}: not running after 60 s (${status})`);
      const removed = await callFormAction({ baseUrl: base, cookie: jar.header(), pagePath: `/${BIG_ORG_SLUG}/notebooks/${id}`, distDir: DIST_DIR, actionId: deleteId, fields: { orgId: org.id, workbenchId: id } });
      if (removed.status !== 200 || (removed.state as { status?: string } | undefined)?.status === "error") failures.push(`delete ${i}: HTTP ${removed.status}`);
    }
  } finally {
    await client.end();
  }
  return {
    launches: action.length,
    actionP50: percentile(action, 50),
    actionP95: percentile(action, 95),
    runningP50: percentile(running, 50),
    runningP95: percentile(running, 95),
    failures,
  };
}

// ---------------------------------------------------------------------------------------------
// Report
// ---------------------------------------------------------------------------------------------

function table(headers: string[], rows: (string | number)[][]): string {
  const cells = [headers, ...rows.map((r) => r.map(String))];
  const widths = headers.map((_, i) => Math.max(...cells.map((r) => r[i]!.length)));
  const line = (r: string[]) => `| ${r.map((c, i) => (i === 0 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join(" | ")} |`;
  return [line(headers), `|${widths.map((w, i) => (i === 0 ? "-".repeat(w + 2) : `${"-".repeat(w + 1)}:`)).join("|")}|`, ...cells.slice(1).map(line)].join("\n");
}

const ms = (n: number) => (Number.isFinite(n) ? n.toFixed(n < 10 ? 1 : 0) : "-");
const kb = (n: number) => (n / 1024).toFixed(1);

async function main(): Promise<void> {
  const started = Date.now();
  harness = await prepareHarness({ webPort: WEB_PORT, controlPlanePort: CP_PORT, pgPort: PG_PORT, distDir: DIST_DIR, build: !args["no-build"], seed: !process.env.DATABASE_URL, log: say });
  const h = harness;
  const data = await ensureBenchData(h);
  await startControlPlane(h, CP_PORT);
  startWorker(h);
  await startWeb(h, WEB_PORT, { WEB_CONCURRENCY: String(PROCESSES) });
  const base = h.webUrl;
  const jar = await signIn(base, BENCH_EMAIL, BENCH_PASSWORD, `/${BIG_ORG_SLUG}`);

  const machine = `${os.cpus()[0]?.model.trim() ?? "cpu"}, ${os.availableParallelism()} cores, ${Math.round(os.totalmem() / 2 ** 30)} GB RAM, Node ${process.version}, ${PROCESSES} web process(es)`;
  const out: string[] = [`Benchmarks of ${new Date().toISOString()} on ${machine}`, `Data: ${data.records.toLocaleString("en-US")} usage records, ${data.orgRecords.toLocaleString("en-US")} in ${BIG_ORG_SLUG}`, ""];
  const results: Record<string, unknown> = { machine, data, connections: CONNECTIONS, durationSeconds: DURATION_S };

  if (ONLY.has("lighthouse")) {
    say("lighthouse");
    const rows = await runLighthouse(base, jar);
    results.lighthouse = rows;
    out.push(
      "Lighthouse (targets: performance >= 95, accessibility 100; JS: gzip bytes of scripts on a first load, target <= 180 kB)",
      table(
        ["page", "perf mobile", "perf desktop", "a11y", "best pr.", "JS kB gz", "scripts", "LCP mobile ms", "TBT mobile ms"],
        rows.map((r) => [r.page, r.performanceMobile, r.performanceDesktop, r.accessibility, r.bestPractices, kb(r.scriptBytes), r.scriptRequests, r.lcpMobileMs, r.tbtMobileMs]),
      ),
      ...rows.filter((r) => r.failedAudits.length > 0).map((r) => `  ${r.page}: audits below full score: ${r.failedAudits.join(", ")}`),
      "",
    );
  }
  if (ONLY.has("load")) {
    say("load");
    const { rows, statics } = await runLoad(base, jar);
    results.load = { rows, statics };
    out.push(
      `Load: ${CONNECTIONS} connections, ${DURATION_S} s each, latency in ms (target: p95 < 150 ms); each page is followed by the static page`,
      table(
        ["page", "req/s", "p50", "p95", "p99", "errors", "static req/s", "static p95", "static/page req/s"],
        rows.map((r, i) => [r.target, r.rps.toFixed(1), ms(r.p50), ms(r.p95), ms(r.p99), r.errors, statics[i]!.rps.toFixed(0), ms(statics[i]!.p95), `${(statics[i]!.rps / r.rps).toFixed(1)}x`]),
      ),
      "",
    );
  }
  if (ONLY.has("launch")) {
    say("launch");
    const launch = await runLaunches(h, base, jar);
    results.launch = launch;
    out.push(
      `Launch through the server action, simulated control plane (CP_SIM_SPEED=20), ${launch.launches} launches, ms`,
      table(["measure", "p50", "p95"], [
        ["server action round trip (recorded + control plane called)", ms(launch.actionP50), ms(launch.actionP95)],
        ["until the notebook API reports RUNNING", ms(launch.runningP50), ms(launch.runningP95)],
      ]),
      ...launch.failures.map((f) => `  failure: ${f}`),
      "",
    );
  }
  out.push(`Total time ${((Date.now() - started) / 1000).toFixed(0)} s`);
  const report = out.join("\n");
  process.stdout.write(`\n${report}\n`);
  mkdirSync(path.join(ROOT, "bench-results"), { recursive: true });
  const stamp = new Date().toISOString().replace(/[:.]/g, "-");
  writeFileSync(path.join(ROOT, "bench-results", `bench-${stamp}.json`), JSON.stringify(results, null, 2));
  writeFileSync(path.join(ROOT, "bench-results", `bench-${stamp}.md`), `${report}\n`);
  await h.stop();
  const launchFailures = (results.launch as LaunchResult | undefined)?.failures.length ?? 0;
  process.exit(launchFailures > 0 ? 1 : 0);
}

main().catch(async (error: unknown) => {
  say(error instanceof Error ? (error.stack ?? error.message) : String(error));
  await harness?.stop();
  process.exit(1);
});
