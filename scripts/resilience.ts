// Resilience tests of the whole stack on loopback: a production build served by server/http/serve.ts,
// the simulated control plane, the worker and a throw-away PostgreSQL (or DATABASE_URL).
//
//   npm run test:resilience                      full form: 5-minute soak with 16 users, then the rest
//   npm run test:resilience -- --short           CI form (< 8 minutes with the build on 2 cores)
//   npm run test:resilience -- --only soak       one scenario (repeat --only, or a comma list)
//   npm run test:resilience -- --minutes 10      length of the soak
//   npm run test:resilience -- --reuse-build     skip `next build` when .next-resilience is complete
//
// Scenarios: fuzz (bad input to every action and route), soak (users browsing and launching),
// control-plane-kill (SIGKILL mid-launch, and a crash right after create), postgres-restart (the
// database stopped under load and started again). Prints a table, writes
// bench-results/resilience-<timestamp>.json, exits 1 when any requirement failed.
import * as fs from "node:fs/promises";
import * as path from "node:path";
import { prepareHarness, ROOT, startWeb, stopOnSignals, type Harness } from "./lib/harness";
import { createContext, DIST_DIR, PORTS, WEB_ENV, type ScenarioContext, type ScenarioOutcome } from "./resilience/context";
import { controlPlaneKill } from "./resilience/control-plane-kill";
import { fuzz } from "./resilience/fuzz";
import { postgresRestart } from "./resilience/postgres-restart";
import { soak } from "./resilience/soak";

const SCENARIOS: Record<string, (ctx: ScenarioContext) => Promise<ScenarioOutcome>> = {
  // Fuzz first: it compares database snapshots, so it wants the quiet database of a fresh seed.
  fuzz,
  soak,
  "control-plane-kill": controlPlaneKill,
  "postgres-restart": postgresRestart,
};

interface Args {
  short: boolean;
  only: string[];
  minutes?: number;
  reuseBuild: boolean;
  echo: boolean;
}

function parseArgs(argv: string[]): Args {
  const args: Args = { short: false, only: [], reuseBuild: false, echo: false };
  for (let i = 0; i < argv.length; i++) {
    const [flag, inline] = argv[i]!.split("=", 2) as [string, string | undefined];
    const value = () => {
      const v = inline ?? argv[++i];
      if (v === undefined) throw new Error(`${flag} needs a value`);
      return v;
    };
    if (flag === "--short") args.short = true;
    else if (flag === "--reuse-build") args.reuseBuild = true;
    else if (flag === "--echo") args.echo = true;
    else if (flag === "--only") args.only.push(...value().split(",").map((s) => s.trim()).filter(Boolean));
    else if (flag === "--minutes") {
      const n = Number(value());
      if (!Number.isFinite(n) || n <= 0) throw new Error("--minutes needs a positive number");
      args.minutes = n;
    } else throw new Error(`unknown argument ${argv[i]}; expected --short, --only <scenario>, --minutes N, --reuse-build, --echo`);
  }
  for (const name of args.only) {
    if (!SCENARIOS[name]) throw new Error(`unknown scenario "${name}"; one of: ${Object.keys(SCENARIOS).join(", ")}`);
  }
  return args;
}

interface ScenarioReport extends ScenarioOutcome {
  name: string;
  ok: boolean;
  seconds: number;
}

async function main(): Promise<number> {
  const args = parseArgs(process.argv.slice(2));
  const started = Date.now();
  const stamp = () => `${((Date.now() - started) / 1000).toFixed(1).padStart(6)}s`;
  const log = (line: string) => process.stderr.write(`${stamp()} ${line}\n`);
  const selected = args.only.length > 0 ? Object.keys(SCENARIOS).filter((n) => args.only.includes(n)) : Object.keys(SCENARIOS);
  log(`resilience (${args.short ? "short" : "full"} form): ${selected.join(", ")}`);

  let harness: Harness | undefined;
  stopOnSignals(() => harness);
  const reports: ScenarioReport[] = [];
  let setupSeconds = 0;
  let setupError: string | undefined;
  try {
    harness = await prepareHarness({
      webPort: PORTS.web,
      controlPlanePort: PORTS.controlPlane,
      pgPort: PORTS.postgres,
      distDir: DIST_DIR,
      build: !args.reuseBuild,
      seed: true,
      log,
      echo: args.echo,
    });
    const ctx = createContext(harness, { short: args.short, minutes: args.minutes }, log);
    await ctx.startControlPlane();
    await startWeb(harness, PORTS.web, WEB_ENV);
    ctx.startWorker();
    setupSeconds = (Date.now() - started) / 1000;
    log(`stack ready: web ${harness.webUrl} (pid ${harness.web?.child.pid}), control plane ${harness.controlPlaneUrl}, ${harness.database ? "embedded" : "external"} PostgreSQL`);

    for (const name of selected) {
      log(`--- ${name}`);
      const t0 = Date.now();
      let outcome: ScenarioOutcome;
      try {
        await ctx.ensureStack();
        outcome = await SCENARIOS[name]!(ctx);
      } catch (error) {
        outcome = { figures: {}, failures: [`the scenario itself failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`], notes: [] };
      }
      const report: ScenarioReport = { name, ok: outcome.failures.length === 0, seconds: Math.round((Date.now() - t0) / 100) / 10, ...outcome };
      reports.push(report);
      log(`--- ${name}: ${report.ok ? "ok" : "FAILED"} in ${report.seconds} s`);
      for (const line of outcome.failures) log(`    ${line}`);
    }
    await ctx.db.end().catch(() => {});
  } catch (error) {
    setupError = error instanceof Error ? (error.stack ?? error.message) : String(error);
    log(`setup failed: ${setupError}`);
  } finally {
    await harness?.stop();
  }

  const totalSeconds = Math.round((Date.now() - started) / 100) / 10;
  printTable(reports, setupSeconds, totalSeconds, setupError);
  const file = await writeReport(args, reports, setupSeconds, totalSeconds, setupError);
  process.stderr.write(`results: ${path.relative(ROOT, file)}\n`);
  const ok = !setupError && reports.length === selected.length && reports.every((r) => r.ok);
  return ok ? 0 : 1;
}

function printTable(reports: ScenarioReport[], setupSeconds: number, totalSeconds: number, setupError?: string) {
  const rows = reports.map((r) => [r.name, r.ok ? "ok" : "FAILED", `${r.seconds} s`, headline(r)]);
  const widths = [0, 1, 2].map((i) => Math.max(...[["scenario", "result", "time"][i]!.length, ...rows.map((row) => row[i]!.length)]));
  const line = (cells: string[]) => cells.map((c, i) => (i < 3 ? c.padEnd(widths[i]!) : c)).join("  ");
  const out = ["", line(["scenario", "result", "time", "figures"]), line(widths.map((w) => "-".repeat(w)).concat("-------"))];
  for (const row of rows) out.push(line(row));
  out.push("", `setup (database, migrations, seed, build, processes): ${Math.round(setupSeconds)} s; total ${totalSeconds} s`);
  if (setupError) out.push(`SETUP FAILED: ${setupError.split("\n")[0]}`);
  for (const r of reports) {
    if (r.failures.length === 0 && r.notes.length === 0) continue;
    out.push("", `${r.name}:`);
    for (const f of r.failures) out.push(`  FAIL ${f}`);
    for (const n of r.notes) out.push(`  note ${n}`);
  }
  process.stdout.write(`${out.join("\n")}\n`);
}

/** One line of the most telling figures of a scenario. */
function headline(r: ScenarioReport): string {
  const f = r.figures as Record<string, unknown>;
  const parts: string[] = [];
  if (typeof f.requests === "number") parts.push(`${f.requests} requests`);
  if (typeof f.unexpected === "number") parts.push(`${f.unexpected} unexpected`);
  const rss = f.rss as { startMb?: number; endMb?: number; growthMb?: number } | undefined;
  if (rss) parts.push(`RSS ${rss.startMb} -> ${rss.endMb} MB (steady ${rss.growthMb! >= 0 ? "+" : ""}${rss.growthMb} MB)`);
  if (typeof f.headline === "string") parts.push(f.headline);
  return parts.join(", ");
}

async function writeReport(args: Args, reports: ScenarioReport[], setupSeconds: number, totalSeconds: number, setupError?: string): Promise<string> {
  const dir = path.join(ROOT, "bench-results");
  await fs.mkdir(dir, { recursive: true });
  const file = path.join(dir, `resilience-${new Date().toISOString().replace(/[:.]/g, "-")}.json`);
  const body = {
    form: args.short ? "short" : "full",
    arguments: process.argv.slice(2),
    startedAt: new Date(Date.now() - totalSeconds * 1000).toISOString(),
    machine: { cpus: (await import("node:os")).availableParallelism(), node: process.version },
    setupSeconds: Math.round(setupSeconds),
    totalSeconds,
    ok: !setupError && reports.every((r) => r.ok),
    setupError,
    scenarios: reports,
  };
  await fs.writeFile(file, `${JSON.stringify(body, null, 2)}\n`);
  return file;
}

const code = await main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  return 1;
});
process.exit(code); // keep-alive sockets and pools must not hold the process open
