// Soak: signed-in members browse their organisation's portal and poll the notebook API, and those
// who may launch run small CPU notebooks through the real server actions (launch -> RUNNING -> stop ->
// delete), for several minutes. Requirements: no unexpected answer, the web process's memory flat,
// and every notebook launched ends deleted on both sides.
import { percentile } from "../lib/harness";
import { alive, describeExit, median, round, rssMb, sleep, watchErrors, WEB_ENV, webHeapMb, type ScenarioContext, type ScenarioOutcome } from "./context";
import { rng } from "../lib/random";
import { describeDisagreements, waitForConvergence } from "./convergence";
import { PortalUser, portalAccounts } from "./portal";
import { Traffic } from "./traffic";

/** Memory is flat when the last third of the samples after warm-up is at most this much above the first. */
export const RSS_MAX_GROWTH_PCT = 20;
export const RSS_MAX_GROWTH_MB = 80;
const RSS_SAMPLE_MS = 2_000;
const HEAP_SAMPLE_MS = 5_000;
/** How long a launched notebook may take to reach RUNNING, STOPPED, DELETED (the simulation runs at speed 20). */
const STEP_TIMEOUT_MS = 60_000;
const REGIONS = ["no-osl-1", "no-trd-1"];

export async function soak(ctx: ScenarioContext): Promise<ScenarioOutcome> {
  const minutes = ctx.options.minutes ?? (ctx.options.short ? 1.25 : 5);
  const userCount = ctx.options.short ? 8 : 16;
  const failures: string[] = [];
  const notes: string[] = [];
  const traffic = new Traffic();

  const accounts = await portalAccounts(ctx, userCount);
  const users: PortalUser[] = [];
  for (const account of accounts) users.push(await PortalUser.signIn(ctx, account, traffic));
  const launchers = users.filter((u) => u.can("notebooks.launch")).length;
  ctx.log(`soak: ${users.length} users (${launchers} launch notebooks) for ${minutes} min; web NODE_OPTIONS "${WEB_ENV.NODE_OPTIONS}"`);

  const web = ctx.harness.web;
  const webErrors = watchErrors(web);
  const workerErrors = watchErrors(ctx.harness.worker);
  const samples: Array<{ t: number; mb: number }> = [];
  const started = Date.now();
  const deadline = started + minutes * 60_000;
  const sampler = setInterval(() => {
    const mb = rssMb(web?.child.pid);
    if (mb !== null) samples.push({ t: (Date.now() - started) / 1000, mb });
  }, RSS_SAMPLE_MS);
  samples.push({ t: 0, mb: rssMb(web?.child.pid) ?? Number.NaN });
  // V8's own figures beside RSS: the lowest heap-used of a stretch approximates the live objects (after GC).
  const heap: Array<{ t: number; usedMb: number; totalMb: number; externalMb: number }> = [];
  const heapSampler = setInterval(() => {
    void webHeapMb().then((h) => {
      if (h && Number.isFinite(h.heapUsedMb)) heap.push({ t: (Date.now() - started) / 1000, usedMb: h.heapUsedMb, totalMb: h.heapTotalMb, externalMb: h.externalMb });
    });
  }, HEAP_SAMPLE_MS);

  const launched = new Set<string>();
  const flow = { launches: 0, running: 0, stopped: 0, deleted: 0, refused: 0, stuck: [] as string[], launchToRunningMs: [] as number[] };

  async function cycle(user: PortalUser, name: string, region: string, think: () => Promise<void>) {
    flow.launches++;
    const result = await user.launch(name, region);
    if (result.outcome !== "launched" || !result.id) {
      flow.refused++;
      return;
    }
    const id = result.id;
    launched.add(id);
    const t0 = Date.now();
    await user.get(`/${user.slug}/notebooks/${id}${result.pending ? "?pending=1" : ""}`);
    const running = await user.waitForStatus(id, ["RUNNING", "FAILED"], STEP_TIMEOUT_MS);
    if (running !== "RUNNING") {
      flow.stuck.push(`${name} (${id}): ${running ?? "unreadable"} ${STEP_TIMEOUT_MS / 1000} s after launch`);
    } else {
      flow.running++;
      flow.launchToRunningMs.push(Date.now() - t0);
      await think();
      await user.get(`/${user.slug}/notebooks/${id}`);
      if ((await user.manage("stop", id)).ok) {
        const stopped = await user.waitForStatus(id, ["STOPPED", "FAILED"], STEP_TIMEOUT_MS);
        if (stopped === "STOPPED") flow.stopped++;
        else flow.stuck.push(`${name} (${id}): ${stopped ?? "unreadable"} ${STEP_TIMEOUT_MS / 1000} s after stop`);
      }
    }
    if ((await user.manage("delete", id)).ok) {
      const gone = await user.waitForStatus(id, ["DELETED"], STEP_TIMEOUT_MS);
      if (gone === "DELETED") flow.deleted++;
      else flow.stuck.push(`${name} (${id}): ${gone ?? "unreadable"} ${STEP_TIMEOUT_MS / 1000} s after delete`);
    }
  }

  async function loop(user: PortalUser, index: number) {
    const random = rng(1_000 + index);
    const think = () => sleep(500 + random() * 1_500);
    const pages = user.pages();
    const launcher = user.can("notebooks.launch");
    await sleep(random() * 2_000); // users do not all start in the same millisecond
    // A dead web process fails the soak below; hammering the closed port meanwhile tells nothing more.
    for (let n = 0; Date.now() < deadline && alive(web); n++) {
      const views = 2 + Math.floor(random() * 3);
      for (let v = 0; v < views && Date.now() < deadline; v++) {
        await user.get(pages[Math.floor(random() * pages.length)]!);
        await think();
      }
      const list = await user.notebooks();
      const someone = list?.[Math.floor(random() * list.length)];
      if (someone && random() < 0.5) await user.get(`/${user.slug}/notebooks/${someone.id}`);
      // A launch cycle needs about 10-20 s; none is started that could not finish before the end.
      if (launcher && Date.now() < deadline - 25_000) await cycle(user, `soak ${index}-${n}`, REGIONS[(index + n) % REGIONS.length]!, think);
      await think();
    }
  }

  await Promise.all(users.map((u, i) => loop(u, i)));
  clearInterval(sampler);
  clearInterval(heapSampler);
  samples.push({ t: (Date.now() - started) / 1000, mb: rssMb(web?.child.pid) ?? Number.NaN });
  const seconds = (Date.now() - started) / 1000;
  webErrors.stop();
  workerErrors.stop();

  // Memory: leave out the warm-up, then compare the first and last thirds of the samples.
  const warmup = Math.max(30, seconds * 0.3);
  const steady = samples.filter((s) => s.t >= warmup && Number.isFinite(s.mb));
  const third = Math.max(1, Math.floor(steady.length / 3));
  const firstMb = median(steady.slice(0, third).map((s) => s.mb));
  const lastMb = median(steady.slice(-third).map((s) => s.mb));
  const growthMb = lastMb - firstMb;
  const growthPct = (growthMb / firstMb) * 100;
  // Halves rather than thirds: each must hold a major collection for its lowest point to mean "live".
  const steadyHeap = heap.filter((h) => h.t >= warmup);
  const heapHalf = Math.max(1, Math.floor(steadyHeap.length / 2));
  const minOf = (list: number[]) => (list.length ? Math.min(...list) : Number.NaN);
  const heapFigures = {
    samples: heap.length,
    liveFirstHalfMb: round(minOf(steadyHeap.slice(0, heapHalf).map((h) => h.usedMb))),
    liveSecondHalfMb: round(minOf(steadyHeap.slice(-heapHalf).map((h) => h.usedMb))),
    heapTotalFirstMb: round(steadyHeap[0]?.totalMb ?? Number.NaN),
    heapTotalLastMb: round(steadyHeap.at(-1)?.totalMb ?? Number.NaN),
    externalLastMb: round(steadyHeap.at(-1)?.externalMb ?? Number.NaN),
    series: heap.map((h) => [round(h.t), round(h.usedMb), round(h.totalMb)]),
  };
  const rss = {
    samples: samples.length,
    startMb: round(samples[0]?.mb ?? Number.NaN),
    afterWarmupMb: round(steady[0]?.mb ?? Number.NaN),
    firstThirdMedianMb: round(firstMb),
    lastThirdMedianMb: round(lastMb),
    endMb: round(samples.at(-1)?.mb ?? Number.NaN),
    maxMb: round(Math.max(...samples.map((s) => s.mb).filter(Number.isFinite))),
    growthMb: round(growthMb, 1),
    growthPct: round(growthPct, 1),
    warmupSeconds: round(warmup),
    bound: `< +${RSS_MAX_GROWTH_PCT} % and < +${RSS_MAX_GROWTH_MB} MB`,
    series: samples.map((s) => [round(s.t), round(s.mb)]),
  };
  ctx.log(`soak: V8 heap live (lowest used) first half ${heapFigures.liveFirstHalfMb} MB, second half ${heapFigures.liveSecondHalfMb} MB; reserved ${heapFigures.heapTotalFirstMb} -> ${heapFigures.heapTotalLastMb} MB`);
  ctx.log(
    `soak: RSS start ${rss.startMb} MB, after warm-up ${rss.afterWarmupMb} MB, first third ${rss.firstThirdMedianMb} MB, last third ${rss.lastThirdMedianMb} MB (${rss.growthMb >= 0 ? "+" : ""}${rss.growthMb} MB, ${rss.growthPct} %), max ${rss.maxMb} MB, end ${rss.endMb} MB`,
  );
  if (steady.length < 6) failures.push(`too few RSS samples after warm-up (${steady.length}) to judge memory`);
  else if (growthPct >= RSS_MAX_GROWTH_PCT || growthMb >= RSS_MAX_GROWTH_MB) {
    failures.push(
      `web RSS grew ${rss.growthMb} MB (${rss.growthPct} %) between the first and last third after warm-up (bound ${rss.bound}); ` +
        `V8 heap meanwhile: live (lowest used, first and second half) ${heapFigures.liveFirstHalfMb} -> ${heapFigures.liveSecondHalfMb} MB, reserved ${heapFigures.heapTotalFirstMb} -> ${heapFigures.heapTotalLastMb} MB`,
    );
  }

  const summary = traffic.summary();
  const unexpected = traffic.describeUnexpected();
  if (summary.unexpected > 0) failures.push(`${summary.unexpected} unexpected answers of ${summary.requests}:`, ...unexpected.map((l) => `  ${l}`));
  if (flow.stuck.length > 0) failures.push(`${flow.stuck.length} notebooks did not move on in time:`, ...flow.stuck.slice(0, 10).map((l) => `  ${l}`));
  if (flow.launches === 0 && launchers > 0) failures.push("no launch was attempted (run longer than 30 s)");
  for (const [name, handle] of [["web", ctx.harness.web], ["control plane", ctx.harness.controlPlane], ["worker", ctx.harness.worker]] as const) {
    if (!alive(handle)) failures.push(describeExit(name, handle, 16));
  }
  if (webErrors.count() > 0) failures.push(`the web process logged ${webErrors.count()} error lines, e.g.:`, ...webErrors.lines.slice(0, 5).map((l) => `  ${l}`));
  if (workerErrors.count() > 0) notes.push(`the worker logged ${workerErrors.count()} error lines, e.g.: ${workerErrors.lines.slice(0, 3).join(" | ")}`);

  const convergence = await waitForConvergence(ctx, 60_000, launched);
  if (!convergence.converged) failures.push("portal and control plane disagree after the soak:", ...describeDisagreements(convergence.remaining).map((l) => `  ${l}`));

  const pagesPerSecond = summary.requests / seconds;
  ctx.log(`soak: ${summary.requests} requests in ${round(seconds)} s (${round(pagesPerSecond, 1)}/s), ${summary.unexpected} unexpected; launches ${flow.launches}, running ${flow.running}, stopped ${flow.stopped}, deleted ${flow.deleted}`);
  return {
    figures: {
      users: users.length,
      launchers,
      seconds: round(seconds),
      requests: summary.requests,
      requestsPerSecond: round(pagesPerSecond, 1),
      unexpected: summary.unexpected,
      byStatus: summary.byStatus,
      latency: summary.byKind,
      notebooks: {
        launches: flow.launches,
        running: flow.running,
        stopped: flow.stopped,
        deleted: flow.deleted,
        refused: flow.refused,
        launchToRunningP50Ms: Math.round(percentile(flow.launchToRunningMs, 50)),
        launchToRunningP95Ms: Math.round(percentile(flow.launchToRunningMs, 95)),
      },
      rss,
      heap: heapFigures,
      webNodeOptions: WEB_ENV.NODE_OPTIONS,
      webErrorLines: webErrors.count(),
      workerErrorLines: workerErrors.count(),
      convergedMs: convergence.ms,
    },
    failures,
    notes,
  };
}
