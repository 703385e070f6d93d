// Bad input to every server action and route handler (fuzz-http.ts), signed in as the owner of one
// organisation and aimed at another organisation's ids. Requirements: never a 5xx (nor a hang or a
// broken answer), and the database exactly as before (snapshots of every table, db-snapshot.ts).
// The worker is paused meanwhile: it changes records on its own (reconciling, ingesting usage).
import { DEMO_PASSWORD } from "../../prisma/demo-accounts";
import { signIn } from "../lib/http-session";
import { alive, round, stopIfRunning, watchErrors, type ScenarioContext, type ScenarioOutcome } from "./context";
import { diffSnapshots, snapshotDatabase } from "./db-snapshot";
import { fuzzHttp } from "./fuzz-http";

const OWN = { slug: "helse-fjord", email: "owner@helse-fjord.example" };
const OTHER = "nordvik-robotics";
/** Audit events that record a read (a download, an operator opening a page): a valid request writes them by design. */
const AUDITED_READS = new Set(["data.exported", "invoice.downloaded", "operator.viewed_organisation", "operator.viewed_innovation_request"]);
/** At most this many ids of the other organisation per table. */
const IDS_PER_TABLE = 3;

export async function fuzz(ctx: ScenarioContext): Promise<ScenarioOutcome> {
  const failures: string[] = [];
  const notes: string[] = [];
  const runs = ctx.options.short ? 2 : 5;

  const jar = await signIn(ctx.baseUrl, OWN.email, DEMO_PASSWORD);
  const otherIds = await idsOf(ctx, OTHER);
  ctx.log(`fuzz: signed in as ${OWN.email}; ${otherIds.length} ids of ${OTHER}; ${runs} runs per action and route`);

  await stopIfRunning(ctx.harness.worker);
  const webErrors = watchErrors(ctx.harness.web);
  const started = Date.now();
  let result: Awaited<ReturnType<typeof fuzzHttp>> | undefined;
  let diff: string[] = [];
  let changedRows: string[] = [];
  let auditedReadsOnly = false;
  try {
    const before = await snapshotDatabase(ctx.harness.databaseUrl);
    result = await fuzzHttp({
      baseUrl: ctx.baseUrl,
      distDir: ctx.distDir,
      cookie: jar.header(),
      orgSlug: OWN.slug,
      otherOrg: { slug: OTHER, ids: otherIds },
      runs,
      log: (line) => ctx.log(`fuzz: ${line}`),
    });
    const after = await snapshotDatabase(ctx.harness.databaseUrl);
    diff = diffSnapshots(before, after);
    if (diff.length > 0) {
      changedRows = await rowsChangedSince(ctx, diff, new Date(started));
      auditedReadsOnly = diff.every((d) => d.startsWith("audit_event:")) && (await auditedActionsSince(ctx, new Date(started))).every((a) => AUDITED_READS.has(a));
    }
  } finally {
    webErrors.stop();
    ctx.startWorker();
  }
  const seconds = (Date.now() - started) / 1000;

  const serverErrors = Object.entries(result.byStatus)
    .filter(([status]) => Number(status) >= 500)
    .reduce((n, [, count]) => n + count, 0);
  // Failures per target and way of calling it ("setLocaleAction (server/auth/actions.ts), raw body"), most first.
  const groups = new Map<string, { count: number; statuses: Set<string>; example: string }>();
  for (const line of result.failures) {
    // "<(framework: ...) >METHOD /path [target]: status ..." (the path and the target may hold brackets)
    const parsed = /^(?:\(framework: [^)]*\) )?([A-Z]+) .*? \[(.+?)\]: (\d{3}|no answer|took)/.exec(line);
    const target = parsed ? `${parsed[1]} ${parsed[2]}` : "other";
    const status = parsed?.[3] ?? "?";
    const group = groups.get(target) ?? { count: 0, statuses: new Set<string>(), example: line };
    group.count++;
    group.statuses.add(status);
    groups.set(target, group);
  }
  const grouped = [...groups].sort(([, a], [, b]) => b.count - a.count);
  const webStacks = webErrors.lines.filter((l) => !/"event":"request_failed"/.test(l));
  if (result.failures.length > 0) {
    const kinds: Array<[string, (target: string) => boolean]> = [
      ["arguments encoded as a browser does", (t) => /Action \(/.test(t) && !/, (raw body|no-JS form|malformed no-JS form)$/.test(t)],
      ["raw bodies no encoder produces", (t) => t.endsWith(", raw body")],
      ["no-JS form posts", (t) => /no-JS form$/.test(t) || t.includes("unknown action id")],
      ["route handlers", (t) => / \//.test(t)],
    ];
    const lines: string[] = [];
    for (const [kind, test] of kinds) {
      const hit = grouped.filter(([t]) => test(t));
      if (hit.length === 0) continue;
      const names = [...new Set(hit.map(([t]) => t.replace(/^POST /, "").replace(/ \(server\/[^)]*\)/, "").replace(/, (raw body|no-JS form|malformed no-JS form)$/, "")))];
      lines.push(`  ${kind}: ${hit.reduce((n, [, g]) => n + g.count, 0)} requests to ${names.length} targets: ${names.slice(0, 12).join(", ")}${names.length > 12 ? ", ..." : ""}`);
    }
    const framework = result.failures.filter((f) => f.startsWith("(framework:")).length;
    const messages = new Map<string, number>();
    for (const line of webStacks) {
      const m = /(\w*Error: .{0,70})/.exec(line)?.[1]?.replace(/"[^"]*"/g, '"..."');
      if (m) messages.set(m, (messages.get(m) ?? 0) + 1);
    }
    failures.push(
      `${result.failures.length} failed requests (5xx, no answer, slow or broken body); ${framework} of them the fuzzer ascribes to Next.js itself:`,
      ...lines,
      `  exceptions in the web log: ${[...messages].sort(([, a], [, b]) => b - a).slice(0, 8).map(([m, n]) => `${n} x ${m}`).join("; ")}`,
    );
  }
  if (diff.length > 0 && auditedReadsOnly) {
    notes.push(
      `the database changed only by audit events of successful reads (${diff.join("; ")}): a request the fuzzer garbled still made a valid download, which the portal audits by design; db-snapshot.ts could leave out ${[...AUDITED_READS].join(", ")}`,
      ...changedRows.slice(0, 3),
    );
  } else if (diff.length > 0) {
    failures.push("the database changed:", ...diff.map((d) => `  ${d}`), ...changedRows.slice(0, 10).map((r) => `    ${r}`));
  }
  if (!alive(ctx.harness.web)) failures.push("the web process exited");
  if (webErrors.count() > serverErrors) notes.push(`the web process logged ${webErrors.count()} error lines for ${serverErrors} 5xx answers, e.g. ${webErrors.lines.slice(0, 2).join(" | ")}`);
  ctx.log(`fuzz: ${result.requests} requests in ${round(seconds)} s, by status ${JSON.stringify(result.byStatus)}, ${result.failures.length} failures, ${diff.length} tables changed`);
  return {
    figures: {
      headline: `by status ${JSON.stringify(result.byStatus)}; ${diff.length} tables changed`,
      requests: result.requests,
      seconds: round(seconds),
      runs,
      byStatus: result.byStatus,
      failedRequests: result.failures.length,
      tablesChanged: diff,
      rowsChanged: changedRows,
      otherOrgIds: otherIds.length,
      webErrorLines: webErrors.count(),
      failuresByTarget: Object.fromEntries(grouped.map(([target, g]) => [target, { count: g.count, statuses: [...g.statuses], example: g.example.slice(0, 400) }])),
      webErrorExamples: [...new Set(webStacks)].slice(0, 20),
      failures: result.failures.slice(0, 300),
    },
    failures,
    notes,
  };
}

/** Ids of rows that belong to the organisation, a few from every table with an `org_id` column. */
async function idsOf(ctx: ScenarioContext, slug: string): Promise<string[]> {
  const { rows: tables } = await ctx.db.query<{ table_name: string }>(
    `SELECT c.table_name FROM information_schema.columns c
       JOIN information_schema.columns i ON i.table_schema = c.table_schema AND i.table_name = c.table_name AND i.column_name = 'id'
      WHERE c.table_schema = 'public' AND c.column_name = 'org_id' ORDER BY c.table_name`,
  );
  const { rows: orgs } = await ctx.db.query<{ id: string }>("SELECT id FROM organization WHERE slug = $1", [slug]);
  const orgId = orgs[0]?.id;
  if (!orgId) throw new Error(`no organisation ${slug}`);
  const ids = [orgId];
  for (const { table_name } of tables) {
    const { rows } = await ctx.db.query<{ id: string }>(`SELECT id::text AS id FROM "${table_name}" WHERE org_id = $1 ORDER BY id LIMIT ${IDS_PER_TABLE}`, [orgId]);
    ids.push(...rows.map((r) => r.id));
  }
  return [...new Set(ids)];
}

/** Actions of the audit events written since `since` that the snapshot counts (refusals, outcome DENIED, it leaves out). */
async function auditedActionsSince(ctx: ScenarioContext, since: Date): Promise<string[]> {
  const { rows } = await ctx.db.query<{ action: string }>("SELECT action FROM audit_event WHERE at >= $1 AND outcome <> 'DENIED'", [since]);
  return rows.map((r) => r.action);
}

/** Rows of the changed tables written since `since` (by any timestamp column), as JSON, for the report. */
async function rowsChangedSince(ctx: ScenarioContext, diff: string[], since: Date): Promise<string[]> {
  const out: string[] = [];
  for (const table of diff.map((d) => d.split(":")[0]!)) {
    const { rows: columns } = await ctx.db.query<{ column_name: string }>(
      "SELECT column_name FROM information_schema.columns WHERE table_schema = 'public' AND table_name = $1 AND data_type LIKE 'timestamp%'",
      [table],
    );
    const stamps = columns.map((c) => `r."${c.column_name}" >= $1`);
    if (stamps.length === 0) {
      out.push(`${table}: no timestamp column to find the changed rows by`);
      continue;
    }
    // Refused attempts are audited too (outcome DENIED); the snapshot does not count them, nor does this list.
    const counted = table === "audit_event" ? " AND r.outcome <> 'DENIED'" : "";
    const { rows } = await ctx.db.query<{ j: string }>(`SELECT to_jsonb(r)::text AS j FROM "${table}" r WHERE (${stamps.join(" OR ")})${counted} LIMIT 10`, [since]);
    out.push(...rows.map((r) => `${table}: ${r.j.length > 500 ? `${r.j.slice(0, 500)}...` : r.j}`));
  }
  return out;
}
