// The simulated backend against real PostgreSQL, driven by a fake clock at speed 100
// (scheduling 20 ms, first image pull 100-200 ms, start 50 ms, stop 30 ms, usage interval 600 ms).
import pg from "pg";
import { afterEach, describe, expect, it } from "vitest";
import { BackendError } from "../errors";
import { launchRequest, simulatedForTest, testDatabaseUrl } from "../test-support";
import type { SimulatedBackend } from "./simulated";

const open: SimulatedBackend[] = [];
async function setup(options: Parameters<typeof simulatedForTest>[0] = {}) {
  const sim = await simulatedForTest(options);
  open.push(sim.backend);
  return sim;
}
afterEach(async () => {
  await Promise.all(open.splice(0).map((b) => b.close()));
});

/** The length of a usage record's interval, seconds. */
const intervalSeconds = (r: { intervalStart: string; intervalEnd: string }) => (Date.parse(r.intervalEnd) - Date.parse(r.intervalStart)) / 1000;

async function rejection(promise: Promise<unknown>): Promise<BackendError> {
  const error = await promise.then(
    () => {
      throw new Error("expected a rejection");
    },
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(BackendError);
  return error as BackendError;
}

describe("catalogue", () => {
  it("offers the seeded regions, shapes and images with their power profiles", async () => {
    const { backend } = await setup();
    const regions = await backend.listRegions();
    expect(regions.map((r) => [r.id, r.name, r.gridZone])).toEqual([
      ["no-osl-1", "Oslo", "NO1"],
      ["no-trd-1", "Trondheim", "NO3"],
    ]);
    const shapes = await backend.listShapes();
    expect(shapes.map((s) => s.id)).toEqual(["h100-1x", "h100-2x", "h100-4x", "h100-8x", "h100-mig-1g10gb", "h100-mig-3g40gb", "l40s-1x", "cpu-8"]);
    const byId = new Map(shapes.map((s) => [s.id, s]));
    expect(byId.get("h100-1x")).toMatchObject({ gpuCount: 1, gpuFraction: 1, powerIdleW: 79, powerMaxW: 700, gpuMemoryGb: 80 });
    expect(byId.get("h100-8x")).toMatchObject({ gpuCount: 8, powerIdleW: 632, powerMaxW: 5600 });
    expect(byId.get("h100-mig-1g10gb")).toMatchObject({ gpuCount: 0, migProfile: "1g.10gb", gpuFraction: 1 / 7, powerMaxW: 100, gpuMemoryGb: 10 });
    expect(byId.get("h100-mig-3g40gb")).toMatchObject({ gpuCount: 0, migProfile: "3g.40gb", gpuFraction: 3 / 7, powerMaxW: 300, gpuMemoryGb: 40 });
    expect(byId.get("l40s-1x")).toMatchObject({ powerIdleW: 35, powerMaxW: 350 });
    expect(byId.get("cpu-8")).toMatchObject({ gpuModel: null, gpuCount: 0, gpuFraction: 0, powerIdleW: 20, powerMaxW: 120 });
    // Oslo: 4 servers x 8 H100, Trondheim 2.
    expect(byId.get("h100-1x")?.capacity).toEqual([
      { regionId: "no-osl-1", available: 32, total: 32, queued: 0 },
      { regionId: "no-trd-1", available: 16, total: 16, queued: 0 },
    ]);
    expect(byId.get("h100-8x")?.capacity.map((c) => c.total)).toEqual([4, 2]);
    const images = await backend.listImages();
    expect(images.find((i) => i.id.startsWith("jupyter-minimal"))?.gpu).toBe(false);
    expect(images.find((i) => i.id.startsWith("jupyter-pytorch"))?.gpu).toBe(true);
  });

  it("refuses unknown references and GPU images on CPU shapes", async () => {
    const { backend } = await setup();
    expect((await rejection(backend.createWorkbench("k-shape", launchRequest({ shapeId: "a100-1x" })))).code).toBe("unknown_shape");
    expect((await rejection(backend.createWorkbench("k-region", launchRequest({ regionId: "se-sto-1" })))).code).toBe("unknown_region");
    expect((await rejection(backend.createWorkbench("k-image", launchRequest({ imageId: "rstudio" })))).code).toBe("unknown_image");
    const gpuOnCpu = await rejection(backend.createWorkbench("k-cpu", launchRequest({ shapeId: "cpu-8" })));
    expect(gpuOnCpu.code).toBe("validation");
    expect(gpuOnCpu.message).toContain("imageId");
    const ok = await backend.createWorkbench("k-cpu-ok", launchRequest({ shapeId: "cpu-8", imageId: "jupyter-minimal-2025.2" }));
    expect(ok.created).toBe(true);
  });
});

describe("lifecycle", () => {
  it("launches, runs, stops, starts again (image cached), and deletes", async () => {
    const { backend, run } = await setup();
    const req = launchRequest();
    const { workbench: created, created: isNew } = await backend.createWorkbench(req.externalId, req);
    expect(isNew).toBe(true);
    expect(created).toMatchObject({ phase: "SCHEDULED", project: "org-helse-fjord", name: req.name, queuePosition: null, url: null, energyWh: 0 });

    await run(400);
    const running = await backend.getWorkbench(created.id);
    expect(running?.phase).toBe("RUNNING");
    expect(running?.url).toMatch(/^http:\/\/127\.0\.0\.1:4010\/notebook\/org-helse-fjord\/nb-[^/]+\/lab$/);
    expect(running?.startedAt).not.toBeNull();
    expect(running?.lastActivityAt).not.toBeNull();
    backend.setPublicUrl("http://cp.test:1234/");
    expect((await backend.getWorkbench(created.id))?.url).toBe(`http://cp.test:1234/notebook/org-helse-fjord/${req.name}/lab`);

    const stopping = await backend.stopWorkbench(created.id);
    expect(stopping.phase).toBe("STOPPING");
    expect((await backend.stopWorkbench(created.id)).phase).toBe("STOPPING"); // idempotent
    await run(100);
    const stopped = await backend.getWorkbench(created.id);
    expect(stopped).toMatchObject({ phase: "STOPPED", url: null });
    expect(stopped?.stoppedAt).not.toBeNull();

    const starting = await backend.startWorkbench(created.id);
    expect(starting.phase).toBe("SCHEDULED");
    expect((await backend.startWorkbench(created.id)).phase).toBe("SCHEDULED"); // idempotent
    await run(200); // a cached pull takes 20 ms at speed 100
    expect((await backend.getWorkbench(created.id))?.phase).toBe("RUNNING");

    expect((await backend.deleteWorkbench(created.id)).phase).toBe("DELETING");
    expect((await backend.deleteWorkbench(created.id)).phase).toBe("DELETING"); // idempotent
    await run(100);
    const deleted = await backend.getWorkbench(created.id);
    expect(deleted?.phase).toBe("DELETED");
    expect((await backend.deleteWorkbench(created.id)).phase).toBe("DELETED");
    expect((await rejection(backend.startWorkbench(created.id))).code).toBe("invalid_state");
    expect((await rejection(backend.stopWorkbench(created.id))).code).toBe("invalid_state");
    expect((await rejection(backend.startWorkbench("wb-nope"))).code).toBe("not_found");
    expect(await backend.getWorkbench("wb-nope")).toBeNull();

    const events = await backend.listEvents(created.id);
    expect(events.map((e) => e.type)).toEqual([
      "SCHEDULED",
      "PULLING_IMAGE",
      "STARTING",
      "RUNNING",
      "STOP_REQUESTED",
      "STOPPED",
      "START_REQUESTED",
      "SCHEDULED",
      "PULLING_IMAGE",
      "STARTING",
      "RUNNING",
      "DELETE_REQUESTED",
      "DELETED",
    ]);
    const pulls = events.filter((e) => e.type === "PULLING_IMAGE").map((e) => e.message);
    expect(pulls[0]).toContain("first use");
    expect(pulls[1]).toContain("already cached");
    const times = events.map((e) => Date.parse(e.at));
    expect([...times].sort((a, b) => a - b)).toEqual(times);
    expect(new Set(events.map((e) => e.id)).size).toBe(events.length);

    // The name is free again once the first one is deleted.
    const again = await backend.createWorkbench("another-key", { ...req, externalId: "rec-again" });
    expect(again.created).toBe(true);
  });

  it("refuses a second live workbench with the same name in a project", async () => {
    const { backend } = await setup();
    const req = launchRequest();
    await backend.createWorkbench("first", req);
    const error = await rejection(backend.createWorkbench("second", { ...req, externalId: "other" }));
    expect(error.code).toBe("invalid_state");
  });

  it("serves the notebook page activity only while running", async () => {
    const { backend, run, clock } = await setup();
    const req = launchRequest();
    const { workbench } = await backend.createWorkbench(req.externalId, req);
    expect((await backend.recordNotebookActivity(workbench.project, workbench.name))?.lastActivityAt).toBeNull();
    await run(400);
    clock.advance(10);
    const touched = await backend.recordNotebookActivity(workbench.project, workbench.name);
    expect(touched?.lastActivityAt).toBe(clock.now().toISOString());
    expect(await backend.recordNotebookActivity(workbench.project, "nobody")).toBeNull();
  });
});

describe("queueing", () => {
  it("queues FIFO per region and pool with positions and reasons, and advances after a stop", async () => {
    const { backend, run } = await setup();
    const trd = { regionId: "no-trd-1" };
    // Trondheim has 2 servers of 8 H100: two 8-GPU workbenches fill it.
    const a = await backend.createWorkbench("a", launchRequest({ ...trd, shapeId: "h100-8x" }));
    const b = await backend.createWorkbench("b", launchRequest({ ...trd, shapeId: "h100-8x" }));
    expect([a.workbench.phase, b.workbench.phase]).toEqual(["SCHEDULED", "SCHEDULED"]);

    const c = await backend.createWorkbench("c", launchRequest({ ...trd, shapeId: "h100-1x" }));
    const d = await backend.createWorkbench("d", launchRequest({ ...trd, shapeId: "h100-2x" }));
    const e = await backend.createWorkbench("e", launchRequest({ ...trd, shapeId: "h100-1x" }));
    expect(c.workbench).toMatchObject({ phase: "QUEUED", queuePosition: 1, reason: "Waiting for a free NVIDIA H100 in Trondheim: position 1 in the queue" });
    expect(d.workbench).toMatchObject({ phase: "QUEUED", queuePosition: 2 });
    expect(d.workbench.reason).toBe("Waiting for 2 free NVIDIA H100 GPUs on one server in Trondheim: position 2 in the queue");
    expect(e.workbench.queuePosition).toBe(3);
    const queuedEvent = (await backend.listEvents(d.workbench.id)).at(-1);
    expect(queuedEvent).toMatchObject({ type: "QUEUED", queuePosition: 2 });

    // Oslo and other pools are not affected.
    expect((await backend.createWorkbench("osl", launchRequest({ shapeId: "h100-1x" }))).workbench.phase).toBe("SCHEDULED");
    expect((await backend.createWorkbench("mig", launchRequest({ ...trd, shapeId: "h100-mig-1g10gb" }))).workbench.phase).toBe("SCHEDULED");

    const shapes = await backend.listShapes();
    const trdCap = (id: string) => shapes.find((s) => s.id === id)?.capacity.find((cap) => cap.regionId === "no-trd-1");
    expect(trdCap("h100-1x")).toEqual({ regionId: "no-trd-1", available: 0, total: 16, queued: 2 });
    expect(trdCap("h100-2x")).toEqual({ regionId: "no-trd-1", available: 0, total: 8, queued: 1 });
    expect(trdCap("h100-mig-1g10gb")).toMatchObject({ available: 31, total: 32, queued: 0 });

    // Leaving the queue moves the ones behind up.
    expect((await backend.stopWorkbench(c.workbench.id)).phase).toBe("STOPPED");
    expect((await backend.getWorkbench(d.workbench.id))?.queuePosition).toBe(1);
    expect((await backend.getWorkbench(e.workbench.id))?.queuePosition).toBe(2);

    // Stopping an 8-GPU workbench frees a server: the queue advances in order once it has stopped.
    await run(300);
    await backend.stopWorkbench(a.workbench.id);
    expect((await backend.getWorkbench(d.workbench.id))?.phase).toBe("QUEUED");
    await run(100);
    expect((await backend.getWorkbench(a.workbench.id))?.phase).toBe("STOPPED");
    const dAfter = await backend.getWorkbench(d.workbench.id);
    const eAfter = await backend.getWorkbench(e.workbench.id);
    expect(dAfter?.phase).not.toBe("QUEUED");
    expect(eAfter?.phase).not.toBe("QUEUED");
    expect(dAfter?.queuePosition).toBeNull();

    // Starting the stopped 8-GPU one again: it must wait (d and e took 3 of the freed server's 8 GPUs).
    const restarted = await backend.startWorkbench(a.workbench.id);
    expect(restarted).toMatchObject({ phase: "QUEUED", queuePosition: 1 });
    expect(restarted.reason).toContain("a whole free NVIDIA H100 server (8 GPUs) in Trondheim");
  });

  it("keeps strict FIFO: a small request does not overtake a waiting large one", async () => {
    const { backend } = await setup();
    const trd = { regionId: "no-trd-1" };
    await backend.createWorkbench("x1", launchRequest({ ...trd, shapeId: "h100-8x" }));
    await backend.createWorkbench("x2", launchRequest({ ...trd, shapeId: "h100-4x" }));
    const big = await backend.createWorkbench("x3", launchRequest({ ...trd, shapeId: "h100-8x" }));
    expect(big.workbench.phase).toBe("QUEUED");
    const small = await backend.createWorkbench("x4", launchRequest({ ...trd, shapeId: "h100-1x" }));
    expect(small.workbench).toMatchObject({ phase: "QUEUED", queuePosition: 2 });
    // Deleting the head lets the small one through (4 GPUs are free).
    await backend.deleteWorkbench(big.workbench.id);
    expect((await backend.getWorkbench(small.workbench.id))?.phase).toBe("SCHEDULED");
  });
});

describe("idempotency", () => {
  it("creates one workbench for 20 concurrent identical requests and refuses the key with another body", async () => {
    const { backend } = await setup();
    const req = launchRequest();
    const results = await Promise.all(Array.from({ length: 20 }, () => backend.createWorkbench(req.externalId, req)));
    expect(results.filter((r) => r.created)).toHaveLength(1);
    expect(new Set(results.map((r) => r.workbench.id)).size).toBe(1);
    expect(await backend.listWorkbenches({ externalId: req.externalId })).toHaveLength(1);

    const conflict = await rejection(backend.createWorkbench(req.externalId, { ...req, storageGb: 50 }));
    expect(conflict.code).toBe("idempotency_conflict");
    // Same fields in another order are the same request.
    const reordered = Object.fromEntries(Object.entries(req).reverse()) as typeof req;
    expect((await backend.createWorkbench(req.externalId, reordered)).created).toBe(false);
  });
});

describe("persistence", () => {
  it("keeps state across a restart on the same database and carries on metering", async () => {
    const first = await setup();
    const req = launchRequest();
    const { workbench } = await first.backend.createWorkbench(req.externalId, req);
    await first.run(400);
    const before = await first.backend.getWorkbench(workbench.id);
    expect(before?.phase).toBe("RUNNING");
    await first.backend.close();

    const second = await setup({ schema: first.schema, clock: first.clock });
    expect(await second.backend.getWorkbench(workbench.id)).toEqual(before);
    expect((await second.backend.listEvents(workbench.id)).map((e) => e.type)).toContain("RUNNING");
    await second.run(1000);
    const after = await second.backend.getWorkbench(workbench.id);
    expect(after?.energyWh).toBeGreaterThan(before?.energyWh ?? Infinity);
    expect(after?.gpuSeconds).toBeCloseTo((before?.gpuSeconds ?? 0) + 1, 3);
  });

  it("adds the reserved-seconds columns to a database from before them", async () => {
    const first = await setup();
    const req = launchRequest();
    const { workbench } = await first.backend.createWorkbench(req.externalId, req);
    await first.run(1000);
    await first.backend.close();
    const db = new pg.Client({ connectionString: testDatabaseUrl() });
    await db.connect();
    try {
      await db.query(`ALTER TABLE ${first.schema}.workbenches DROP COLUMN iv_reserved_seconds`);
      await db.query(`ALTER TABLE ${first.schema}.usage_records DROP COLUMN reserved_seconds`);
    } finally {
      await db.end();
    }

    const second = await setup({ schema: first.schema, clock: first.clock });
    const old = await second.backend.listUsage(null, 1000);
    expect(old.records.length).toBeGreaterThan(0);
    expect(old.records.every((x) => x.reservedSeconds === 0)).toBe(true);
    await second.run(1200);
    const fresh = (await second.backend.listUsage(old.nextCursor, 1000)).records.filter((x) => x.workbenchId === workbench.id);
    expect(fresh.length).toBeGreaterThan(0);
    expect(fresh.at(-1)?.reservedSeconds).toBe(intervalSeconds(fresh.at(-1) ?? { intervalStart: "", intervalEnd: "" }));
  });
});

describe("metering", () => {
  it("grows energy and GPU time while running within the power profile, and stops when stopped", async () => {
    const { backend, run } = await setup();
    const req = launchRequest({ shapeId: "h100-2x" });
    const { workbench } = await backend.createWorkbench(req.externalId, req);
    await run(400);
    const a = await backend.getWorkbench(workbench.id);
    expect(a?.phase).toBe("RUNNING");
    await run(6000, 200);
    const b = await backend.getWorkbench(workbench.id);
    const seconds = 6;
    const energy = (b?.energyWh ?? 0) - (a?.energyWh ?? 0);
    expect(energy).toBeGreaterThan((158 * seconds) / 3600);
    expect(energy).toBeLessThan((1400 * seconds) / 3600);
    expect((b?.gpuSeconds ?? 0) - (a?.gpuSeconds ?? 0)).toBeCloseTo(2 * seconds, 3);

    await backend.stopWorkbench(workbench.id);
    await run(100);
    const c = await backend.getWorkbench(workbench.id);
    expect(c?.phase).toBe("STOPPED");
    await run(3000, 200);
    const d = await backend.getWorkbench(workbench.id);
    expect(d?.energyWh).toBe(c?.energyWh);
    expect(d?.gpuSeconds).toBe(c?.gpuSeconds);
  });

  it("emits an IDLE event once a running workbench has had no activity for its idle timeout", async () => {
    // 15 minutes at speed 1000 = 900 ms; activity slots of 60 ms, away stretches of 1.2 s.
    const { backend, run } = await setup({ speed: 1000 });
    const reqs = Array.from({ length: 4 }, () => launchRequest({ idleTimeoutMinutes: 15 }));
    for (const r of reqs) await backend.createWorkbench(r.externalId, r);
    await run(30_000, 250);
    const all = await Promise.all(reqs.map(async (r) => (await backend.listWorkbenches({ externalId: r.externalId }))[0]));
    const idle = await Promise.all(all.map(async (w) => (await backend.listEvents(w?.id ?? "")).filter((e) => e.type === "IDLE")));
    // Deterministic per id, but ids are random: across four workbenches and 30 simulated minutes x 1000 some go idle.
    expect(idle.flat().length).toBeGreaterThan(0);
    for (const e of idle.flat()) expect(e.message).toContain("15 minutes");
  });
});

describe("usage feed", () => {
  it("pages closed intervals with unique, stable ids; replays give the same ids", async () => {
    const { backend, run, clock } = await setup();
    expect(await backend.listUsage(null, 10)).toEqual({ records: [], nextCursor: null });
    const reqs = [launchRequest(), launchRequest({ shapeId: "h100-mig-1g10gb" }), launchRequest({ shapeId: "cpu-8", imageId: "code-server-2025.2" })];
    for (const r of reqs) await backend.createWorkbench(r.externalId, r);
    await run(5000, 250);

    const pages: string[][] = [];
    let cursor: string | null = null;
    for (;;) {
      const page = await backend.listUsage(cursor, 4);
      if (page.records.length === 0) {
        expect(page.nextCursor).toBe(cursor);
        break;
      }
      pages.push(page.records.map((r) => r.id));
      cursor = page.nextCursor;
    }
    const ids = pages.flat();
    expect(ids.length).toBeGreaterThan(15); // 3 workbenches x ~8 intervals of 600 ms
    expect(new Set(ids).size).toBe(ids.length);

    const replay = await backend.listUsage(null, 1000);
    expect(replay.records.map((r) => r.id)).toEqual(ids);
    expect(replay.nextCursor).toBe(cursor);

    // The records add up to the counters (up to the still open interval), and intervals do not overlap.
    for (const r of reqs) {
      const wb = (await backend.listWorkbenches({ externalId: r.externalId }))[0];
      const mine = replay.records.filter((x) => x.externalId === r.externalId);
      const gpu = mine.reduce((sum, x) => sum + x.gpuSeconds, 0);
      expect(gpu).toBeLessThanOrEqual((wb?.gpuSeconds ?? 0) + 0.01);
      expect(gpu).toBeGreaterThan((wb?.gpuSeconds ?? 0) - 0.7 * (r.shapeId === "h100-1x" ? 1 : 1 / 7) - 0.01);
      for (let i = 1; i < mine.length; i++) expect(mine[i]?.intervalStart).toBe(mine[i - 1]?.intervalEnd);
      expect(mine.every((x) => x.storageGbHours > 0 && x.tenantId === r.tenantId && x.shapeId === r.shapeId)).toBe(true);
    }
    const cpu = replay.records.filter((x) => x.shapeId === "cpu-8");
    expect(cpu.every((x) => x.gpuSeconds === 0 && x.energyWh > 0)).toBe(true);
    // All three hold their shape from the launch on: every closed interval is reserved in full, exactly.
    for (const x of replay.records) expect(x.reservedSeconds).toBe(intervalSeconds(x));

    // Deleting closes the last (partial) interval; nothing comes after it.
    const first = (await backend.listWorkbenches({ externalId: reqs[0]?.externalId ?? "" }))[0];
    const deleteAt = clock.ms;
    await backend.deleteWorkbench(first?.id ?? "");
    await run(1000, 250);
    const tail = await backend.listUsage(cursor, 1000);
    const last = tail.records.filter((x) => x.workbenchId === first?.id).at(-1);
    expect(last).toBeDefined();
    // DELETING still holds the GPU (gpuSeconds) but is not reserved time: reserved ends with the delete request.
    const all = [...replay.records, ...tail.records].filter((x) => x.workbenchId === first?.id);
    const reserved = all.reduce((sum, x) => sum + x.reservedSeconds, 0);
    expect(reserved).toBeCloseTo((deleteAt - Date.parse(first?.createdAt ?? "")) / 1000, 6);
    expect(last?.reservedSeconds).toBeLessThan(last?.gpuSeconds ?? 0);
    await run(2000, 250);
    const later = await backend.listUsage(tail.nextCursor, 1000);
    expect(later.records.some((x) => x.workbenchId === first?.id)).toBe(false);
  });

  it("reports reserved seconds: exact while the shape is held, none in a stopped workbench's storage-only intervals", async () => {
    // Usage intervals of 600 ms; a MIG slice, so that reserved time (wall clock) differs from GPU time (1/7 of it).
    const { backend, run, clock } = await setup();
    const req = launchRequest({ shapeId: "h100-mig-1g10gb" });
    const { workbench } = await backend.createWorkbench(req.externalId, req);
    await run(1900, 100);
    expect((await backend.getWorkbench(workbench.id))?.phase).toBe("RUNNING");
    const stopAt = clock.ms;
    await backend.stopWorkbench(workbench.id);
    await run(2000, 100);
    const stopped = await backend.getWorkbench(workbench.id);
    expect(stopped?.phase).toBe("STOPPED");
    const stoppedAt = Date.parse(stopped?.stoppedAt ?? "");
    expect(stoppedAt).toBeGreaterThan(stopAt); // STOPPING still holds the shape

    const mine = (await backend.listUsage(null, 1000)).records.filter((x) => x.workbenchId === workbench.id);
    for (const x of mine) {
      expect(x.reservedSeconds).toBeGreaterThanOrEqual(0);
      expect(x.reservedSeconds).toBeLessThanOrEqual(intervalSeconds(x));
    }
    // While it holds its shape (scheduled .. stopping): the whole interval, busy or idle; GPU time is its 1/7 share.
    const held = mine.filter((x) => Date.parse(x.intervalEnd) <= stoppedAt);
    expect(held.length).toBeGreaterThanOrEqual(3);
    for (const x of held) {
      expect(x.reservedSeconds).toBeGreaterThan(0);
      expect(x.reservedSeconds).toBe(intervalSeconds(x));
      expect(x.gpuSeconds).toBeCloseTo(x.reservedSeconds / 7, 3);
    }
    // The interval in which it stopped: reserved up to the moment it stopped.
    const during = mine.find((x) => Date.parse(x.intervalStart) < stoppedAt && stoppedAt < Date.parse(x.intervalEnd));
    expect(during?.reservedSeconds).toBe((stoppedAt - Date.parse(during?.intervalStart ?? "")) / 1000);
    // Stopped: storage-only intervals, nothing reserved.
    const storageOnly = mine.filter((x) => Date.parse(x.intervalStart) >= stoppedAt);
    expect(storageOnly.length).toBeGreaterThanOrEqual(2);
    for (const x of storageOnly) {
      expect(x.reservedSeconds).toBe(0);
      expect(x.gpuSeconds).toBe(0);
      expect(x.storageGbHours).toBeGreaterThan(0);
    }
    // In all: exactly the time from the launch to the stop.
    const total = mine.reduce((sum, x) => sum + x.reservedSeconds, 0);
    expect(total).toBeCloseTo((stoppedAt - Date.parse(workbench.createdAt)) / 1000, 6);
  });
});
