// The worker's HTTP endpoints and queue gauges, on the real database with seeded backlogs.
import * as net from "node:net";
import { randomBytes } from "node:crypto";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import type { UsagePage } from "@/control-plane/api-types";
import { db } from "@/server/db";
import { createLogger } from "@/server/observability/log";
import { createMetrics } from "@/server/observability/metrics";
import { storeUsage } from "@/server/usage/store";
import { USAGE_FEED } from "@/server/usage/ingest";
import { createOrg } from "@/test/fixtures";
import { startWorkerHttpServer, type WorkerHttpOptions } from "./http";
import { QUEUES, queueMeasures, refreshQueueDepths } from "./queues";
import { createScheduler } from "./scheduler";

const NOW = new Date("2026-03-05T12:00:00.000Z");
const MINUTE = 60_000;

const stops: Array<() => Promise<void>> = [];
afterEach(async () => {
  while (stops.length > 0) await stops.pop()!();
});

function logger() {
  const lines: Array<Record<string, unknown>> = [];
  return { lines, log: createLogger("worker", { write: (line) => lines.push(JSON.parse(line) as Record<string, unknown>) }) };
}

async function serve(overrides: Partial<WorkerHttpOptions> = {}) {
  const metrics = overrides.metrics ?? createMetrics();
  const { log, lines } = logger();
  const server = await startWorkerHttpServer({
    port: 0,
    host: "127.0.0.1",
    metrics,
    log,
    health: () => ({ ok: true, loops: [], stale: [] }),
    ready: async () => {
      await db.$queryRaw`SELECT 1`;
    },
    ...overrides,
  });
  if (server) stops.push(() => server.close());
  return { server, metrics, lines };
}

async function get(url: string) {
  const response = await fetch(url);
  return { status: response.status, type: response.headers.get("content-type"), text: await response.text() };
}

describe("worker HTTP server", () => {
  it("answers /healthz 200 while the loops are fresh, 503 naming the stale loop", async () => {
    let now = 1_000_000;
    const { log } = logger();
    const scheduler = createScheduler({ connectionString: process.env.DATABASE_URL!, metrics: createMetrics(), log, staleFloorMs: 0, now: () => now });
    stops.push(() => scheduler.stop());
    scheduler.add({ name: "deliver-email", intervalMs: 5000, run: async () => undefined });
    scheduler.add({ name: "cull-idle", intervalMs: 30_000, run: async () => undefined });
    await scheduler.runOnce("deliver-email");
    await scheduler.runOnce("cull-idle");
    const { server } = await serve({ health: () => scheduler.health() });

    const fresh = await get(`${server!.url}/healthz`);
    expect(fresh.status).toBe(200);
    expect(JSON.parse(fresh.text)).toMatchObject({ status: "ok", loops: [{ job: "deliver-email", lastOutcome: "ok", stale: false }, { job: "cull-idle" }] });

    now += 20_000; // deliver-email: more than 3 x 5 s without a run; cull-idle: within 3 x 30 s
    const stale = await get(`${server!.url}/healthz`);
    expect(stale.status).toBe(503);
    expect(JSON.parse(stale.text)).toMatchObject({ status: "stale", stale: ["deliver-email"] });

    await scheduler.runOnce("deliver-email");
    expect((await get(`${server!.url}/healthz`)).status).toBe(200);
  });

  it("answers /readyz 200 when SELECT 1 succeeds, else 503 with the reason (credentials masked)", async () => {
    const up = await serve();
    expect(await get(`${up.server!.url}/readyz`)).toMatchObject({ status: 200, text: JSON.stringify({ status: "ready" }) });

    const down = await serve({
      ready: async () => {
        throw new Error("Can't reach database server at postgresql://portal:hunter2@db:5432");
      },
    });
    const answer = await get(`${down.server!.url}/readyz`);
    expect(answer.status).toBe(503);
    expect(answer.text).toContain("Can't reach database server");
    expect(answer.text).not.toContain("hunter2");
    expect(down.lines).toContainEqual(expect.objectContaining({ level: "warn", event: "not_ready" }));

    const hanging = await serve({ ready: () => new Promise(() => undefined), readyTimeoutMs: 100 });
    const slow = await get(`${hanging.server!.url}/readyz`);
    expect(slow.status).toBe(503);
    expect(slow.text).toContain("no answer within 100 ms");
  });

  it("serves /metrics in the Prometheus text format and times its own requests; other paths 404, other methods 405", async () => {
    const { server } = await serve();
    await get(`${server!.url}/healthz`);
    expect((await get(`${server!.url}/nothing`)).status).toBe(404);
    expect((await fetch(`${server!.url}/metrics`, { method: "POST" })).status).toBe(405);
    const metrics = await get(`${server!.url}/metrics`);
    expect(metrics.status).toBe(200);
    expect(metrics.type).toMatch(/^text\/plain; version=0\.0\.4/);
    expect(metrics.text).toContain('portal_http_request_duration_seconds_count{route="/healthz",method="GET",status="200"} 1');
    expect(metrics.text).toContain('portal_http_request_duration_seconds_count{route="[unmatched]",method="GET",status="404"} 1');
  });

  it("logs a warning and goes on without the server when the port is taken", async () => {
    const blocker = net.createServer();
    await new Promise<void>((resolve) => blocker.listen(0, "127.0.0.1", resolve));
    stops.push(() => new Promise((resolve) => blocker.close(() => resolve())));
    const port = (blocker.address() as net.AddressInfo).port;
    const { server, lines } = await serve({ port });
    expect(server).toBeNull();
    expect(lines).toContainEqual(expect.objectContaining({ level: "warn", event: "http_unavailable", port, reason: "the port is in use", error: expect.objectContaining({ code: "EADDRINUSE" }) }));
  });
});

describe("queue depths", () => {
  let orgA: Awaited<ReturnType<typeof createOrg>>;
  let orgB: Awaited<ReturnType<typeof createOrg>>;
  let orgC: Awaited<ReturnType<typeof createOrg>>;

  async function workbench(org: Awaited<ReturnType<typeof createOrg>>, status: string, desiredState: string, extra: Record<string, unknown> = {}) {
    return db.workbench.create({
      data: {
        orgId: org.org.id,
        createdById: org.members.OWNER!.userId,
        name: `wb-${randomBytes(4).toString("hex")}`,
        displayName: "Queue test",
        imageId: "jupyter-minimal-2025.2",
        shapeId: "cpu-8",
        regionId: "no-osl-1",
        storageGb: 10,
        idleTimeoutMinutes: 60,
        gpuMilli: 0,
        pricePerHourOre: 100_000,
        status: status as never,
        desiredState: desiredState as never,
        ...extra,
      },
    });
  }

  async function usage(wb: { id: string; orgId: string; createdById: string; project: string; pricePerHourOre: number }, start: Date, reservedSeconds: number) {
    await db.$transaction((tx) =>
      storeUsage(tx, [
        {
          id: `rec-${randomBytes(8).toString("hex")}`,
          orgId: wb.orgId,
          workbenchId: wb.id,
          userId: wb.createdById,
          project: wb.project,
          shapeId: "cpu-8",
          regionId: "no-osl-1",
          intervalStart: start,
          intervalEnd: new Date(start.getTime() + 5 * MINUTE),
          reservedSeconds,
          gpuSeconds: 0,
          energyWh: 1,
          storageGbHours: 0,
          pricePerHourOre: wb.pricePerHourOre,
        },
      ]),
    );
  }

  const invoice = (orgId: string, reviewUntil: Date) =>
    db.invoice.create({
      data: {
        orgId,
        status: "DRAFT",
        periodStart: new Date("2026-02-01T00:00:00Z"),
        periodEnd: new Date("2026-03-01T00:00:00Z"),
        reviewUntil,
        buyerReference: "REF",
        netOre: 0n,
        vatOre: 0n,
        totalOre: 0n,
      },
    });

  beforeAll(async () => {
    [orgA, orgB, orgC] = [await createOrg(["OWNER"]), await createOrg(["OWNER"]), await createOrg(["OWNER"])];

    // E-mail: two waiting, one sent, one failed.
    const mail = { to: "kari@example.no", subject: "s", text: "t", html: "<p>t</p>" };
    await db.outboxEmail.createMany({ data: [mail, mail, { ...mail, status: "SENT", sentAt: NOW }, { ...mail, status: "FAILED", error: "550" }] });

    // Notebooks: settled ones, final ones, and five the reconciler still has to converge.
    const idle = await workbench(orgA, "RUNNING", "RUNNING", { lastActivityAt: new Date(NOW.getTime() - 61 * MINUTE) }); // idle past its timeout
    await workbench(orgA, "RUNNING", "RUNNING", { lastActivityAt: new Date(NOW.getTime() - 5 * MINUTE) });
    await workbench(orgA, "RUNNING", "STOPPED", { lastActivityAt: new Date(NOW.getTime() - 120 * MINUTE) }); // being stopped: converging, not idle-due
    await workbench(orgA, "STOPPED", "STOPPED");
    await workbench(orgA, "FAILED", "RUNNING");
    await workbench(orgA, "DELETED", "DELETED");
    await workbench(orgA, "LOST", "RUNNING");
    await workbench(orgB, "PROVISIONING", "RUNNING");
    await workbench(orgB, "QUEUED", "RUNNING");
    await workbench(orgB, "FAILED", "DELETED");
    await workbench(orgB, "STOPPED", "RUNNING");

    // Month close (February, as of 5 March): A has usage and no invoice, B has usage and a draft due,
    // C has a draft still in review; March usage does not count yet.
    const wbB = await workbench(orgB, "STOPPED", "STOPPED");
    const wbC = await workbench(orgC, "STOPPED", "STOPPED");
    await usage(idle, new Date("2026-02-10T10:00:00Z"), 3600);
    await usage(idle, new Date("2026-02-11T10:00:00Z"), 3600);
    await usage(wbB, new Date("2026-02-12T10:00:00Z"), 3600);
    await usage(wbC, new Date("2026-03-01T10:00:00Z"), 3600);
    await invoice(orgB.org.id, new Date("2026-03-04T00:00:00Z"));
    await invoice(orgC.org.id, new Date("2026-03-10T00:00:00Z"));

    // Budgets: A has spent 1 000 NOK of a 500 NOK budget in March (80 % and 100 %, actual and forecast),
    // one alert already sent; B is far below its budget.
    await usage(idle, new Date("2026-03-02T10:00:00Z"), 3600);
    const budgetA = await db.budget.create({ data: { orgId: orgA.org.id, monthlyOre: 50_000n } });
    await db.budget.create({ data: { orgId: orgB.org.id, monthlyOre: 100_000_000n } });
    await db.budgetAlert.create({ data: { budgetId: budgetA.id, month: new Date("2026-03-01T00:00:00Z"), threshold: 80, kind: "ACTUAL", spentOre: 100_000n } });

    // Usage feed: the ingester is at cursor 41.
    await db.feedCursor.create({ data: { name: USAGE_FEED, cursor: "41" } });
  });

  afterAll(async () => {
    await db.$disconnect();
  });

  function feed(records: number) {
    const calls: Array<[string | null, number]> = [];
    const listUsage = async (after: string | null, limit: number): Promise<UsagePage> => {
      calls.push([after, limit]);
      return { records: Array.from({ length: records }, () => ({}) as UsagePage["records"][number]), nextCursor: "44" };
    };
    return { calls, listUsage };
  }

  it("measures every queue from the rows its loop works on", async () => {
    const { calls, listUsage } = feed(3);
    const { log } = logger();
    const depths = await refreshQueueDepths({ metrics: createMetrics(), log, measures: queueMeasures({ listUsage }), now: () => NOW });
    expect(depths).toEqual({
      email_outbox: 2,
      notebooks_converging: 5,
      notebooks_idle_due: 1,
      usage_feed: 3,
      invoices_to_draft: 1,
      invoice_drafts_due: 1,
      budget_alerts_due: 3,
    });
    expect(Object.keys(depths).sort()).toEqual([...QUEUES].sort());
    expect(calls).toEqual([["41", 1000]]);
  });

  it("shows the gauges on /metrics, and drops a queue that cannot be measured", async () => {
    const metrics = createMetrics();
    metrics.registry.setDefaultLabels({ service: "worker" });
    const { log, lines } = logger();
    const { server } = await serve({ metrics });
    await refreshQueueDepths({ metrics, log, measures: queueMeasures(feed(7)), now: () => NOW });

    const text = (await get(`${server!.url}/metrics`)).text;
    expect(text).toContain("# TYPE portal_job_queue_depth gauge");
    const gauge = (queue: string) => new RegExp(`^portal_job_queue_depth\\{queue="${queue}",service="worker"\\} (\\d+)$`, "m").exec(text)?.[1];
    expect(Object.fromEntries(QUEUES.map((q) => [q, gauge(q)]))).toEqual({
      email_outbox: "2",
      notebooks_converging: "5",
      notebooks_idle_due: "1",
      usage_feed: "7",
      invoices_to_draft: "1",
      invoice_drafts_due: "1",
      budget_alerts_due: "3",
    });

    // The control plane is down: the usage feed disappears instead of showing an old number.
    const failing = queueMeasures({
      listUsage: async () => {
        throw new Error("The control plane cannot be reached");
      },
    });
    await db.outboxEmail.create({ data: { to: "ola@example.no", subject: "s", text: "t", html: "t" } });
    await refreshQueueDepths({ metrics, log, measures: failing, now: () => NOW });
    const after = (await get(`${server!.url}/metrics`)).text;
    expect(after).not.toContain('queue="usage_feed"');
    expect(after).toContain('portal_job_queue_depth{queue="email_outbox",service="worker"} 3');
    expect(lines).toContainEqual(expect.objectContaining({ level: "warn", event: "queue_depth_failed", queue: "usage_feed" }));
  });
});
