// The control plane dies mid-launch: (1) SIGKILL while launches are in flight, more launches while it is
// gone, then a restart; (2) a control plane that crashes right after storing a new workbench
// (CP_FAULT_CRASH_AFTER_CREATE=1 CP_FAULT_CRASH_EXIT=1), restarted without the fault. Requirements:
// every launch is answered (launched, or refused with a clear message: never a 5xx or a hang), the
// portal's pages keep working while the control plane is away, and after the restart the worker brings
// every record to a settled state that matches the control plane, with no orphan and no duplicate.
import { signal } from "../lib/harness";
import { alive, round, sleep, stopIfRunning, waitUntil, type ScenarioContext, type ScenarioOutcome } from "./context";
import { describeDisagreements, portalWorkbenches, waitForConvergence } from "./convergence";
import { PortalUser, portalAccounts, type LaunchOutcome } from "./portal";
import { Traffic } from "./traffic";

const CONVERGENCE_BOUND_MS = 60_000;
const DOWN_MS = 4_000;
const PREFIX = "cp-kill";

interface PassResult {
  figures: Record<string, unknown>;
  failures: string[];
}

export async function controlPlaneKill(ctx: ScenarioContext): Promise<ScenarioOutcome> {
  const traffic = new Traffic();
  const accounts = (await portalAccounts(ctx, ctx.options.short ? 8 : 12)).filter((a) => ["OWNER", "ADMIN", "DATA_SCIENTIST"].includes(a.role));
  const users: PortalUser[] = [];
  for (const account of accounts.slice(0, ctx.options.short ? 4 : 6)) users.push(await PortalUser.signIn(ctx, account, traffic));

  const failures: string[] = [];
  const figures: Record<string, unknown> = {};
  for (const [name, pass] of [["sigkill", sigkillPass], ["crashAfterCreate", crashAfterCreatePass]] as const) {
    const result = await pass(ctx, users, traffic).catch((error: unknown): PassResult => ({ figures: {}, failures: [`${error instanceof Error ? (error.stack ?? error.message) : String(error)}`] }));
    figures[name] = result.figures;
    failures.push(...result.failures.map((f) => `${name}: ${f}`));
    await ctx.ensureStack();
    await cleanUp(ctx, users, `${PREFIX} ${name} %`, failures);
  }
  const summary = traffic.summary();
  if (summary.unexpected > 0) failures.push(`${summary.unexpected} unexpected answers:`, ...traffic.describeUnexpected().map((l) => `  ${l}`));
  const a = figures.sigkill as { convergedMs?: number } | undefined;
  const b = figures.crashAfterCreate as { convergedMs?: number } | undefined;
  return {
    figures: {
      headline: `converged after SIGKILL in ${a?.convergedMs ?? "-"} ms, after crash-after-create in ${b?.convergedMs ?? "-"} ms`,
      requests: summary.requests,
      unexpected: summary.unexpected,
      byStatus: summary.byStatus,
      ...figures,
    },
    failures,
    notes: [],
  };
}

/** Launches, answered in any of the ways the requirement allows; the rest is recorded as unexpected. */
async function launchAll(users: PortalUser[], names: string[], staggerMs: number): Promise<Array<LaunchOutcome & { name: string; user: PortalUser }>> {
  return Promise.all(
    users.map(async (user, i) => {
      await sleep(i * staggerMs);
      const result = await user.launch(names[i]!, i % 2 ? "no-trd-1" : "no-osl-1", { expectRefusal: true });
      return { ...result, name: names[i]!, user };
    }),
  );
}

function describeLaunches(launches: Array<LaunchOutcome & { name: string }>) {
  return {
    launched: launches.filter((l) => l.outcome === "launched" && !l.pending).length,
    launchedPending: launches.filter((l) => l.outcome === "launched" && l.pending).length,
    refused: launches.filter((l) => l.outcome === "refused").length,
    failed: launches.filter((l) => l.outcome === "failed").length,
    refusalMessages: [...new Set(launches.filter((l) => l.outcome === "refused").map((l) => l.message ?? ""))],
  };
}

async function sigkillPass(ctx: ScenarioContext, users: PortalUser[], traffic: Traffic): Promise<PassResult> {
  const failures: string[] = [];
  // Every control-plane call takes 250 ms longer, so launches spend time on the wire; they are spread
  // over a second or two, and the control plane dies as soon as two are recorded (their create calls in flight).
  await stopIfRunning(ctx.harness.controlPlane);
  const cp = await ctx.startControlPlane({ CP_FAULT_LATENCY_MS: "250" });
  const inFlight = launchAll(users, users.map((_, i) => `${PREFIX} sigkill ${i}`), 300);
  const recorded = await waitUntil(async () => {
    const { rows } = await ctx.db.query<{ n: number; created: number }>(
      "SELECT count(*)::int AS n, count(control_plane_id)::int AS created FROM workbench WHERE display_name LIKE $1",
      [`${PREFIX} sigkill %`],
    );
    // One the control plane has confirmed (starting up there), and one more recorded (its calls on the wire).
    return rows[0]!.created >= 1 && rows[0]!.n >= 2 ? rows[0]!.n : undefined;
  }, 8_000, 25);
  const killedAt = traffic.now();
  signal(cp, "SIGKILL");
  await cp.exited;
  ctx.log(`control-plane-kill: control plane SIGKILLed with launches in flight (${recorded ?? "fewer than 2"} recorded)`);
  const first = await inFlight;

  // While it is gone: more launches, and the portal's own pages must still work.
  const whileDown = await launchAll(users, users.map((_, i) => `${PREFIX} sigkill down ${i}`), 0);
  const owner = users[0]!;
  await owner.get(`/${owner.slug}/notebooks`);
  await owner.get(`/${owner.slug}`);
  await owner.notebooks();
  const someLaunch = [...first, ...whileDown].find((l) => l.id);
  if (someLaunch) await someLaunch.user.get(`/${someLaunch.user.slug}/notebooks/${someLaunch.id}`);
  await sleep(Math.max(0, DOWN_MS - (traffic.now() - killedAt)));

  await ctx.startControlPlane();
  const restartedAt = traffic.now();
  ctx.log(`control-plane-kill: control plane restarted after ${round((restartedAt - killedAt) / 1000, 1)} s`);
  const launches = [...first, ...whileDown];
  const rows = await portalWorkbenches(ctx, "display_name LIKE $1", [`${PREFIX} sigkill %`]);
  const ids = new Set(rows.map((r) => r.id));
  for (const l of launches.filter((x) => x.id)) {
    if (!ids.has(l.id!)) failures.push(`"${l.name}" was answered launched (${l.id}) but has no record`);
  }
  const convergence = await waitForConvergence(ctx, CONVERGENCE_BOUND_MS, ids);
  if (!convergence.converged) failures.push(`not converged ${CONVERGENCE_BOUND_MS / 1000} s after the restart:`, ...describeDisagreements(convergence.remaining).map((l) => `  ${l}`));
  const after = await portalWorkbenches(ctx, "display_name LIKE $1", [`${PREFIX} sigkill %`]);
  const notRunning = after.filter((r) => r.status !== "RUNNING");
  if (notRunning.length > 0) failures.push(`records not RUNNING after convergence: ${notRunning.map((r) => `${r.displayName} ${r.status}`).join(", ")}`);
  ctx.log(`control-plane-kill: SIGKILL pass: ${rows.length} records, converged ${convergence.converged ? `${convergence.ms} ms after the restart` : "NOT"}`);
  return {
    figures: {
      inFlight: describeLaunches(first),
      whileDown: describeLaunches(whileDown),
      recordedWhenKilled: recorded ?? 0,
      records: rows.length,
      downSeconds: round((restartedAt - killedAt) / 1000, 1),
      convergedMs: convergence.converged ? convergence.ms : null,
    },
    failures,
  };
}

async function crashAfterCreatePass(ctx: ScenarioContext, users: PortalUser[], traffic: Traffic): Promise<PassResult> {
  const failures: string[] = [];
  await stopIfRunning(ctx.harness.controlPlane);
  const faulty = await ctx.startControlPlane({ CP_FAULT_CRASH_AFTER_CREATE: "1", CP_FAULT_CRASH_EXIT: "1" });
  const startedAt = traffic.now();
  const launchers = users.slice(0, 3);
  const launches = await launchAll(launchers, launchers.map((_, i) => `${PREFIX} crashAfterCreate ${i}`), 150);
  const exitCode = await Promise.race([faulty.exited, sleep(20_000).then(() => null)]);
  if (exitCode === null) {
    failures.push("the control plane with CP_FAULT_CRASH_AFTER_CREATE=1 CP_FAULT_CRASH_EXIT=1 did not crash on a create within 20 s");
    await stopIfRunning(faulty);
  }
  const crashedAt = traffic.now();
  ctx.log(`control-plane-kill: control plane crashed after create (exit ${exitCode ?? "-"}); restarting it without the fault`);
  if (alive(faulty)) await stopIfRunning(faulty);
  await ctx.startControlPlane();
  const rows = await portalWorkbenches(ctx, "display_name LIKE $1", [`${PREFIX} crashAfterCreate %`]);
  const ids = new Set(rows.map((r) => r.id));
  for (const l of launches.filter((x) => x.id)) {
    if (!ids.has(l.id!)) failures.push(`"${l.name}" was answered launched (${l.id}) but has no record`);
  }
  const convergence = await waitForConvergence(ctx, CONVERGENCE_BOUND_MS, ids);
  if (!convergence.converged) failures.push(`not converged ${CONVERGENCE_BOUND_MS / 1000} s after the restart:`, ...describeDisagreements(convergence.remaining).map((l) => `  ${l}`));
  const after = await portalWorkbenches(ctx, "display_name LIKE $1", [`${PREFIX} crashAfterCreate %`]);
  const notRunning = after.filter((r) => r.status !== "RUNNING");
  if (notRunning.length > 0) failures.push(`records not RUNNING after convergence: ${notRunning.map((r) => `${r.displayName} ${r.status}`).join(", ")}`);
  ctx.log(`control-plane-kill: crash-after-create pass: ${rows.length} records, converged ${convergence.converged ? `${convergence.ms} ms after the restart` : "NOT"}`);
  return {
    figures: {
      launches: describeLaunches(launches),
      records: rows.length,
      crashedAfterMs: Math.round(crashedAt - startedAt),
      exitCode,
      convergedMs: convergence.converged ? convergence.ms : null,
    },
    failures,
  };
}

/** Deletes what a pass launched and waits until both sides agree it is gone. */
async function cleanUp(ctx: ScenarioContext, users: PortalUser[], pattern: string, failures: string[]) {
  const rows = await portalWorkbenches(ctx, "display_name LIKE $1", [pattern]);
  const quiet = new Traffic();
  for (const row of rows.filter((r) => r.desiredState !== "DELETED")) {
    const user = users.find((u) => u.account.org.id === row.orgId);
    if (!user || !(await user.withTraffic(quiet).manage("delete", row.id, { expectRefusal: true })).ok) failures.push(`cleanup: could not delete ${row.displayName} (${row.id}, ${row.status})`);
  }
  const convergence = await waitForConvergence(ctx, CONVERGENCE_BOUND_MS, new Set(rows.map((r) => r.id)));
  if (!convergence.converged) failures.push(`cleanup: not converged:`, ...describeDisagreements(convergence.remaining).map((l) => `  ${l}`));
}
