// PostgreSQL restarted under load: members browse and launch notebooks while the database is stopped
// (fast shutdown) for about 10 s and started again on the same port and data. Requirements: while it is
// down every request is answered within a few seconds with an error (no hang, no crash) and the web,
// worker and control-plane processes stay up; after it is back, requests succeed again within a bound;
// every launch that was answered with success exists exactly once, nothing is duplicated, and every
// record (also of failed launches) converges with the control plane.
import { alive, CONTROL_PLANE_TOKEN, describeExit, explainDigest, round, sleep, watchErrors, type ScenarioContext, type ScenarioOutcome } from "./context";
import { describeDisagreements, portalWorkbenches, waitForConvergence } from "./convergence";
import { errorText, PortalUser, portalAccounts } from "./portal";
import { Traffic, type RequestRecord } from "./traffic";

/** While the database is down every request must be answered within this. */
const DOWN_ANSWER_BOUND_MS = 5_000;
/** After the database is back, a signed-in page must succeed again within this. */
const RECOVERY_BOUND_MS = 15_000;
const DOWNTIME_MS = 10_000;
const REQUEST_TIMEOUT_MS = 20_000;
const STEP_TIMEOUT_MS = 30_000;
const CONVERGENCE_BOUND_MS = 90_000;
const PREFIX = "pg-restart";
/** Answers that tell the truth while the database is away: success (served without it), or a server error. */
const ACCEPTABLE_DURING_OUTAGE = new Set([200, 500, 502, 503, 504]);

interface Launch {
  name: string;
  user: PortalUser;
  outcome: "launched" | "refused" | "failed";
  id?: string;
  status: number;
  sentAt: number;
}

export async function postgresRestart(ctx: ScenarioContext): Promise<ScenarioOutcome> {
  const database = ctx.harness.database;
  if (!database?.pause || !database.resume) {
    return { figures: {}, failures: [], notes: ["skipped: needs the embedded PostgreSQL (DATABASE_URL is set)"] };
  }
  const short = ctx.options.short;
  const beforeMs = short ? 10_000 : 20_000;
  const afterMs = short ? 15_000 : 30_000;
  const failures: string[] = [];
  const notes: string[] = [];
  const traffic = new Traffic();

  const accounts = await portalAccounts(ctx, short ? 5 : 8);
  const users: PortalUser[] = [];
  for (const account of accounts) users.push(await PortalUser.signIn(ctx, account, traffic));
  const owner = users.find((u) => u.account.role === "OWNER") ?? users[0]!;
  const probeTraffic = new Traffic();
  const probe = owner.withTraffic(probeTraffic);
  const webErrors = watchErrors(ctx.harness.web);
  const workerErrors = watchErrors(ctx.harness.worker);
  const cpErrors = watchErrors(ctx.harness.controlPlane);
  const authErrors = watchErrors(ctx.harness.web, /\[auth\]/);

  const launches: Launch[] = [];
  let stopLoad = false;

  async function loop(user: PortalUser, index: number) {
    const pages = user.pages();
    const launcher = user.can("notebooks.launch");
    for (let n = 0; !stopLoad; n++) {
      await user.get(pages[(index + n) % pages.length]!, { timeoutMs: REQUEST_TIMEOUT_MS });
      await sleep(300);
      await user.notebooks({ timeoutMs: REQUEST_TIMEOUT_MS });
      await sleep(300);
      if (!launcher || n % 2 === 1) continue;
      const name = `${PREFIX} ${index}-${n}`;
      const sentAt = traffic.now();
      const result = await user.launch(name, n % 4 === 0 ? "no-osl-1" : "no-trd-1", { timeoutMs: REQUEST_TIMEOUT_MS, expectRefusal: false });
      launches.push({ name, user, outcome: result.outcome, id: result.id, status: result.status, sentAt });
      if (!result.id) continue;
      const running = await user.waitForStatus(result.id, ["RUNNING", "FAILED"], STEP_TIMEOUT_MS);
      if (running === "RUNNING" && !stopLoad) await sleep(500);
      // What cannot be deleted now (the database is away) is deleted after the outage, below.
      if ((await user.manage("delete", result.id, { timeoutMs: REQUEST_TIMEOUT_MS })).ok) await user.waitForStatus(result.id, ["DELETED"], STEP_TIMEOUT_MS);
    }
  }

  // Liveness and readiness while it happens, and the moment a signed-in page works again.
  const health: Array<{ at: number; healthz: number; readyz: number; ms: number }> = [];
  let probing = true;
  const healthLoop = (async () => {
    while (probing) {
      const t0 = performance.now();
      const [h, r] = await Promise.all([statusOf(`${ctx.baseUrl}/healthz`), statusOf(`${ctx.baseUrl}/readyz`)]);
      health.push({ at: traffic.now(), healthz: h, readyz: r, ms: performance.now() - t0 });
      await sleep(500);
    }
  })();

  // The control plane shares the database; its other clients (the operators' capacity page, the worker,
  // other tenants) keep calling it while the database is away: reads all along, and around the outage
  // operations that run a transaction there (a stop of a workbench nobody has: 404, and nothing changes).
  const cpCalls: Array<{ at: number; status: number; ms: number }> = [];
  let cpWrites = false;
  const cpLoop = async (call: { path: string; method: string; writes?: boolean }) => {
    while (!stopLoad) {
      if (call.writes && !cpWrites) {
        await sleep(100);
        continue;
      }
      const t0 = traffic.now();
      const status = await statusOf(`${ctx.harness.controlPlaneUrl}${call.path}`, { authorization: `Bearer ${CONTROL_PLANE_TOKEN}` }, call.method);
      cpCalls.push({ at: t0, status, ms: traffic.now() - t0 });
      await sleep(call.writes ? 10 : 50);
    }
  };
  const cpLoad = Promise.all([
    cpLoop({ path: "/v1/capacity", method: "GET" }),
    cpLoop({ path: "/v1/workbenches", method: "GET" }),
    ...[1, 2, 3, 4].map((n) => cpLoop({ path: `/v1/workbenches/resilience-nobody-${n}/stop`, method: "POST", writes: true })),
  ]);

  const load = Promise.all(users.map((u, i) => loop(u, i)));
  await sleep(beforeMs - 3_000);
  cpWrites = true;
  await sleep(3_000);

  ctx.log(`postgres-restart: stopping PostgreSQL (fast shutdown) under load`);
  const downAt = traffic.now();
  await database.pause();
  const stoppedAt = traffic.now();
  // Launches while it is away: one from every member who may launch.
  await sleep(2_000);
  await Promise.all(
    users
      .filter((u) => u.can("notebooks.launch"))
      .map(async (user, i) => {
        const name = `${PREFIX} down ${i}`;
        const sentAt = traffic.now();
        const result = await user.launch(name, "no-osl-1", { timeoutMs: REQUEST_TIMEOUT_MS });
        launches.push({ name, user, outcome: result.outcome, id: result.id, status: result.status, sentAt });
      }),
  );
  await sleep(Math.max(0, DOWNTIME_MS - (traffic.now() - stoppedAt)));
  ctx.log(`postgres-restart: starting it again`);
  await database.resume();
  const resumedAt = traffic.now();
  setTimeout(() => (cpWrites = false), 3_000);

  // Recovery: the first signed-in page (it reads the session and the organisation) that answers 200.
  let recoveredAt: number | undefined;
  while (recoveredAt === undefined && traffic.now() - resumedAt < RECOVERY_BOUND_MS * 2) {
    const { status } = await probe.get(`/${probe.slug}/notebooks`, { timeoutMs: REQUEST_TIMEOUT_MS });
    if (status === 200) recoveredAt = traffic.now();
    else await sleep(250);
  }
  ctx.log(`postgres-restart: down ${round((resumedAt - downAt) / 1000, 1)} s; signed-in pages work again ${recoveredAt === undefined ? "never (within the bound)" : `${round((recoveredAt - resumedAt) / 1000, 1)} s after the restart`}`);
  await sleep(afterMs);
  stopLoad = true;
  await Promise.all([load, cpLoad]);
  probing = false;
  await healthLoop;
  const loadEnd = traffic.now();

  // Classify answers by when they were in flight.
  const settleFrom = recoveredAt ?? resumedAt + RECOVERY_BOUND_MS;
  const overlapsOutage = (r: RequestRecord) => r.at < settleFrom && r.at + r.ms > downAt;
  const duringOutage = traffic.select(overlapsOutage);
  const outside = traffic.select((r) => !overlapsOutage(r));
  const hung = duringOutage.filter((r) => r.status === 0 || r.ms > DOWN_ANSWER_BOUND_MS);
  const outageStatuses: Record<string, number> = {};
  for (const r of duringOutage) outageStatuses[r.status] = (outageStatuses[r.status] ?? 0) + 1;
  const outageByLabel: Record<string, Record<string, number>> = {};
  const answerOf = (r: RequestRecord) => (r.redirect ? `${r.status} -> ${r.redirect.replace(/^https?:\/\/[^/]+/, "").split("?")[0]}` : String(r.status));
  for (const r of duringOutage) {
    const row = (outageByLabel[r.label] ??= {});
    row[answerOf(r)] = (row[answerOf(r)] ?? 0) + 1;
  }
  const outageErrors = duringOutage.filter((r) => r.status >= 500);
  const outageOk = duringOutage.filter((r) => r.status > 0 && r.status < 300);
  // An outage must look like one: an error page or 503, never "you are signed out" or "not found".
  const misleading = duringOutage.filter((r) => r.status > 0 && r.ms <= DOWN_ANSWER_BOUND_MS && (!ACCEPTABLE_DURING_OUTAGE.has(r.status) || /^(https?:\/\/[^/]+)?\/sign-in/.test(r.redirect ?? "")));

  // A process that died explains much of what follows; name it first.
  for (const [name, handle] of [["web", ctx.harness.web], ["worker", ctx.harness.worker], ["control plane", ctx.harness.controlPlane]] as const) {
    if (!alive(handle)) failures.push(`during the outage: ${describeExit(name, handle, 16)}`);
  }
  if (hung.length > 0) {
    failures.push(
      `${hung.length} requests during the outage were not answered within ${DOWN_ANSWER_BOUND_MS / 1000} s:`,
      ...hung.slice(0, 8).map((r) => `  ${(r.at / 1000).toFixed(1)}s ${r.label} -> ${r.status || "no answer"} after ${Math.round(r.ms)} ms${r.detail ? `: ${r.detail}` : ""}`),
    );
  }
  if (misleading.length > 0) {
    const perRoute = new Map<string, Map<string, number>>();
    for (const r of misleading) {
      const row = perRoute.get(r.label) ?? new Map<string, number>();
      row.set(answerOf(r), (row.get(answerOf(r)) ?? 0) + 1);
      perRoute.set(r.label, row);
    }
    const total = (answers: Map<string, number>) => [...answers.values()].reduce((a, b) => a + b, 0);
    const kinds = [...perRoute]
      .sort(([, a], [, b]) => total(b) - total(a))
      .map(([label, answers]) => `${label}: ${[...answers].map(([a, n]) => `${n} x ${a}`).join(", ")}`);
    const digests = [...new Set(misleading.map((r) => /digest (\d+)/.exec(r.detail ?? "")?.[1]).filter((d): d is string => !!d))].slice(0, 3);
    failures.push(
      `${misleading.length} answers during the outage were neither an error page nor 503 (a signed-in member told to sign in, or a thing reported missing):`,
      ...kinds.slice(0, 10).map((k) => `  ${k}`),
      ...misleading.filter((r) => r.detail).slice(0, 3).map((r) => `  e.g. ${r.detail}`),
      ...digests.map((d) => `  digest ${d} in the web log: ${explainDigest(ctx.harness.web, d) ?? "not found"}`),
    );
  }
  const unexpectedOutside = outside.filter((r) => !r.expected);
  if (unexpectedOutside.length > 0) {
    failures.push(
      `${unexpectedOutside.length} unexpected answers outside the outage:`,
      ...traffic.describeUnexpected(10, (r) => !overlapsOutage(r)).map((l) => `  ${l}`),
    );
  }
  if (recoveredAt === undefined || recoveredAt - resumedAt > RECOVERY_BOUND_MS) {
    failures.push(`signed-in pages did not work again within ${RECOVERY_BOUND_MS / 1000} s of the restart`);
  }
  const outage500 = duringOutage.filter((r) => r.status === 500).length;
  if (outage500 > 0) {
    const examples = [...new Set(duringOutage.filter((r) => r.status === 500).map((r) => r.label))].slice(0, 6).join(", ");
    notes.push(`while the database was down the portal answered HTTP 500 (${outage500} of ${duringOutage.length} answers; ${examples}); proposal: answer 503 with a "temporarily unavailable, try again shortly" page and Retry-After when PostgreSQL cannot be reached`);
  }
  const cpDuring = cpCalls.filter((c) => c.at < settleFrom && c.at + c.ms > downAt);
  const cpStatuses: Record<string, number> = {};
  for (const c of cpDuring) cpStatuses[c.status] = (cpStatuses[c.status] ?? 0) + 1;
  const cpAfter = cpCalls.filter((c) => c.at >= settleFrom + 5_000);
  if (cpDuring.some((c) => c.status === 0 || c.ms > DOWN_ANSWER_BOUND_MS) && alive(ctx.harness.controlPlane)) {
    failures.push(`control-plane calls during the outage went unanswered or took over ${DOWN_ANSWER_BOUND_MS / 1000} s: ${JSON.stringify(cpStatuses)}`);
  }
  const cpFailedAfter = cpAfter.filter((c) => c.status !== 200 && c.status !== 404);
  if (cpFailedAfter.length > 0 && alive(ctx.harness.controlPlane)) failures.push(`control-plane calls failed after the outage: ${cpFailedAfter.length} of ${cpAfter.length}`);
  const downHealth = health.filter((h) => h.at > stoppedAt && h.at < resumedAt);
  if (downHealth.some((h) => h.healthz !== 200)) failures.push(`/healthz did not answer 200 while the database was down (${[...new Set(downHealth.map((h) => h.healthz))].join(", ")})`);
  if (downHealth.length > 0 && downHealth.every((h) => h.readyz === 200)) failures.push("/readyz kept answering 200 while the database was down");


  // Records: every launch answered with success exists exactly once; nothing is duplicated.
  await ctx.ensureStack().catch((error: unknown) => failures.push(`could not restart the stack: ${errorText(error)}`));
  const rows = await portalWorkbenches(ctx, "display_name LIKE $1", [`${PREFIX} %`]);
  const perName = new Map<string, typeof rows>();
  for (const row of rows) perName.set(row.displayName, [...(perName.get(row.displayName) ?? []), row]);
  const launched = launches.filter((l) => l.outcome === "launched");
  for (const l of launched) {
    const found = perName.get(l.name) ?? [];
    if (found.length !== 1 || found[0]!.id !== l.id) failures.push(`launch "${l.name}" was answered with ${l.id} but the portal holds ${found.length} records (${found.map((r) => r.id).join(", ") || "none"})`);
  }
  for (const [name, list] of perName) if (list.length > 1) failures.push(`"${name}" was recorded ${list.length} times`);
  const orphanedAttempts = launches.filter((l) => l.outcome !== "launched" && (perName.get(l.name)?.length ?? 0) > 0);

  // Clean up what the loops could not delete, then everything must agree with the control plane.
  const ids = new Set(rows.map((r) => r.id));
  for (const row of rows.filter((r) => r.desiredState !== "DELETED")) {
    const user = users.find((u) => u.account.org.id === row.orgId && u.can("notebooks.manage"));
    await user?.withTraffic(new Traffic()).manage("delete", row.id, { expectRefusal: true });
  }
  const convergence = await waitForConvergence(ctx, CONVERGENCE_BOUND_MS, ids);
  if (!convergence.converged) failures.push(`portal and control plane disagree ${CONVERGENCE_BOUND_MS / 1000} s after the outage:`, ...describeDisagreements(convergence.remaining).map((l) => `  ${l}`));
  webErrors.stop();
  workerErrors.stop();
  cpErrors.stop();
  authErrors.stop();
  if (authErrors.count() > 0) notes.push(`Auth.js logged ${authErrors.count()} lines while the database was away, e.g. ${authErrors.lines.slice(0, 2).join(" | ")}`);

  const launchesDuring = launches.filter((l) => l.sentAt >= downAt && l.sentAt < settleFrom);
  const figures = {
    headline: `down ${round((resumedAt - downAt) / 1000, 1)} s, back after ${recoveredAt === undefined ? "-" : round((recoveredAt - resumedAt) / 1000, 1)} s; outage answers ${JSON.stringify(outageStatuses)}, slowest ${Math.round(Math.max(0, ...duringOutage.map((r) => r.ms)))} ms`,
    users: users.length,
    requests: traffic.records.length,
    unexpected: unexpectedOutside.length,
    seconds: round(loadEnd / 1000),
    downtimeSeconds: round((resumedAt - downAt) / 1000, 1),
    stopTookMs: Math.round(stoppedAt - downAt),
    recoverySeconds: recoveredAt === undefined ? null : round((recoveredAt - resumedAt) / 1000, 1),
    outage: {
      requests: duringOutage.length,
      byStatus: outageStatuses,
      byRoute: outageByLabel,
      misleading: misleading.length,
      okButErrorInside: duringOutage.filter((r) => r.status === 200 && !r.expected).length,
      examples: Object.fromEntries([...new Set(duringOutage.map(answerOf))].map((a) => [a, duringOutage.find((r) => answerOf(r) === a && r.detail)?.detail ?? null])),
      answeredWithError: outageErrors.length,
      answeredOk: outageOk.length,
      notAnsweredInBound: hung.length,
      slowestMs: Math.round(Math.max(0, ...duringOutage.map((r) => r.ms))),
      healthz: [...new Set(downHealth.map((h) => h.healthz))],
      readyz: [...new Set(downHealth.map((h) => h.readyz))],
    },
    outsideOutage: traffic.summary((r) => !overlapsOutage(r)),
    controlPlaneCalls: { total: cpCalls.length, duringOutage: cpStatuses, afterOutage: cpAfter.length, failedAfter: cpFailedAfter.length },
    launches: {
      attempted: launches.length,
      answeredLaunched: launched.length,
      answeredRefusedOrFailed: launches.length - launched.length,
      duringOutage: launchesDuring.length,
      recordsOfFailedAttempts: orphanedAttempts.length,
      records: rows.length,
    },
    convergedMs: convergence.ms,
    errorLines: { web: webErrors.count(), worker: workerErrors.count(), controlPlane: cpErrors.count() },
    errorExamples: { web: webErrors.lines.slice(0, 3), auth: authErrors.lines.slice(0, 4), worker: workerErrors.lines.slice(0, 3), controlPlane: cpErrors.lines.slice(0, 3) },
  };
  ctx.log(`postgres-restart: ${figures.headline}; ${launches.length} launches (${launched.length} answered launched), converged ${convergence.converged ? `in ${convergence.ms} ms` : "NOT"}`);
  return { figures, failures, notes };
}

async function statusOf(url: string, headers: Record<string, string> = {}, method = "GET"): Promise<number> {
  try {
    const response = await fetch(url, { method, headers, signal: AbortSignal.timeout(DOWN_ANSWER_BOUND_MS) });
    await response.body?.cancel();
    return response.status;
  } catch {
    return 0;
  }
}
