// GET /v1/capacity on both backends, through the HTTP server and the typed client: every answer matches
// openapi.json (ajv), and the numbers are consistent with what runs and waits (used <= total, a running
// workbench adds its units, a waiting one counts as queued).
import { readFileSync } from "node:fs";
import { Ajv2020 } from "ajv/dist/2020";
import addFormatsModule from "ajv-formats";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { CapacityReport, ControlPlaneBackend, PoolCapacity } from "./api-types";
import { createOpenShiftBackend } from "./backends/openshift";
import type { SimulatedBackend } from "./backends/simulated";
import { createControlPlaneClient, type ControlPlaneClient } from "./client";
import { startFakeKubernetes, type FakeKubernetes } from "./fake-k8s/server";
import { startControlPlaneServer, type RunningControlPlaneServer } from "./server";
import { launchRequest, simulatedForTest } from "./test-support";

const addFormats = ((addFormatsModule as unknown as { default?: typeof addFormatsModule }).default ?? addFormatsModule) as typeof addFormatsModule;
const doc = JSON.parse(readFileSync(new URL("./openapi.json", import.meta.url), "utf8")) as Record<string, unknown>;
const ajv = new Ajv2020({ allErrors: true, strict: true });
addFormats(ajv);
ajv.addVocabulary(["openapi", "info", "servers", "security", "tags", "paths", "components", "jsonSchemaDialect"]);
ajv.addSchema(doc, "openapi.json");
const validateReport = ajv.compile({ $ref: "openapi.json#/components/schemas/CapacityReport" });

const TOKEN = "capacity-test-token-0123456789";

/** GET /v1/capacity over HTTP, checked against openapi.json. */
async function capacity(server: RunningControlPlaneServer): Promise<CapacityReport> {
  const response = await fetch(`${server.url}/v1/capacity`, { headers: { Authorization: `Bearer ${TOKEN}` } });
  const body: unknown = await response.json();
  expect(response.status, JSON.stringify(body)).toBe(200);
  if (!validateReport(body)) throw new Error(`GET /v1/capacity does not match openapi.json: ${ajv.errorsText(validateReport.errors)}`);
  const report = body as CapacityReport;
  expect(Date.parse(report.generatedAt)).not.toBeNaN();
  for (const p of report.pools) {
    expect(p.unitsUsed, `${p.regionId} ${p.pool}`).toBeLessThanOrEqual(p.unitsTotal);
    if (p.nodes === 0) expect(p.unitsTotal).toBe(0);
  }
  return report;
}

function pool(report: CapacityReport, regionId: string, id: string): PoolCapacity {
  const found = report.pools.find((p) => p.regionId === regionId && p.pool === id);
  if (!found) throw new Error(`no pool ${id} in ${regionId}: ${report.pools.map((p) => `${p.regionId}/${p.pool}`).join(", ")}`);
  return found;
}

const totals = (report: CapacityReport) => ({
  used: report.pools.reduce((s, p) => s + p.unitsUsed, 0),
  running: report.pools.reduce((s, p) => s + p.running, 0),
  queued: report.pools.reduce((s, p) => s + p.queued, 0),
});

describe("GET /v1/capacity on the simulated backend", () => {
  let sim: Awaited<ReturnType<typeof simulatedForTest>>;
  let backend: SimulatedBackend;
  let server: RunningControlPlaneServer;
  let client: ControlPlaneClient;

  beforeAll(async () => {
    sim = await simulatedForTest();
    backend = sim.backend;
    server = await startControlPlaneServer({ backend, token: TOKEN, log: () => {} });
    client = createControlPlaneClient({ baseUrl: server.url, token: TOKEN, retries: 0 });
  });
  afterAll(async () => {
    await server?.close();
    await backend?.close();
  });

  const launch = async (overrides: Parameters<typeof launchRequest>[0]) => {
    const request = launchRequest(overrides);
    return (await backend.createWorkbench(request.externalId, request)).workbench;
  };

  it("lists every pool of the simulated hardware, by region, GPUs before MIG slices before vCPUs, all idle", async () => {
    const report = await capacity(server);
    expect(report.generatedAt).toBe(sim.clock.now().toISOString());
    expect(report.pools.map((p) => [p.regionId, p.pool, p.unit, p.nodes, p.unitsTotal])).toEqual([
      ["no-osl-1", "h100", "gpu", 4, 32],
      ["no-osl-1", "l40s", "gpu", 2, 8],
      ["no-osl-1", "h100-mig-3g40gb", "mig-slice", 1, 8],
      ["no-osl-1", "h100-mig-1g10gb", "mig-slice", 1, 32],
      ["no-osl-1", "cpu", "vcpu", 2, 128],
      ["no-trd-1", "h100", "gpu", 2, 16],
      ["no-trd-1", "l40s", "gpu", 1, 4],
      ["no-trd-1", "h100-mig-3g40gb", "mig-slice", 1, 8],
      ["no-trd-1", "h100-mig-1g10gb", "mig-slice", 1, 32],
      ["no-trd-1", "cpu", "vcpu", 1, 64],
    ]);
    expect(pool(report, "no-osl-1", "h100").label).toBe("NVIDIA H100 SXM 80GB");
    expect(pool(report, "no-osl-1", "h100-mig-1g10gb").label).toBe("NVIDIA H100 SXM 80GB, MIG 1g.10gb");
    expect(pool(report, "no-osl-1", "cpu").label).toBe("CPU (vCPU)");
    expect(totals(report)).toEqual({ used: 0, running: 0, queued: 0 });
    // The typed client reads the same report.
    expect(await client.getCapacity()).toEqual(report);
  });

  it("counts the units of a workbench from its placement, and the workbench once it runs", async () => {
    const wb = await launch({ shapeId: "h100-2x" });
    let report = await capacity(server);
    expect(pool(report, "no-osl-1", "h100")).toMatchObject({ unitsUsed: 2, running: 0, queued: 0 });
    await sim.run(400);
    expect((await backend.getWorkbench(wb.id))?.phase).toBe("RUNNING");
    report = await capacity(server);
    expect(pool(report, "no-osl-1", "h100")).toMatchObject({ unitsUsed: 2, running: 1, queued: 0 });
    // Other pools and the other region are untouched.
    expect(totals(report)).toEqual({ used: 2, running: 1, queued: 0 });

    const slice = await launch({ shapeId: "h100-mig-1g10gb", regionId: "no-trd-1" });
    const cpu = await launch({ shapeId: "cpu-8", imageId: "code-server-2025.2" });
    await sim.run(400);
    report = await capacity(server);
    expect(pool(report, "no-trd-1", "h100-mig-1g10gb")).toMatchObject({ unitsUsed: 1, running: 1 });
    expect(pool(report, "no-osl-1", "cpu")).toMatchObject({ unitsUsed: 8, running: 1 });
    await backend.deleteWorkbench(slice.id);
    await backend.deleteWorkbench(cpu.id);
    await sim.run(200);
    expect(totals(await capacity(server))).toEqual({ used: 2, running: 1, queued: 0 });
  });

  it("counts workbenches that wait for a full pool as queued, and releases units on stop", async () => {
    // 2 of Oslo's 32 H100s are taken (one server has 6 free): three 8-GPU workbenches fit, the fourth waits,
    // and a 1-GPU workbench waits behind it (strict FIFO).
    const running = (await backend.listWorkbenches({})).find((w) => w.phase === "RUNNING" && w.shapeId === "h100-2x")!;
    const big = [];
    for (let i = 0; i < 4; i++) big.push(await launch({ shapeId: "h100-8x" }));
    const small = await launch({ shapeId: "h100-1x" });
    let report = await capacity(server);
    expect(pool(report, "no-osl-1", "h100")).toMatchObject({ unitsTotal: 32, unitsUsed: 26, queued: 2 });
    expect((await backend.getWorkbench(small.id))?.queuePosition).toBe(2);

    // Stopping the 2-GPU workbench frees its server for the waiting 8-GPU one; the 1-GPU one still waits.
    await backend.stopWorkbench(running.id);
    await sim.run(100);
    report = await capacity(server);
    expect(pool(report, "no-osl-1", "h100")).toMatchObject({ unitsUsed: 32, queued: 1 });
    await sim.run(400);
    report = await capacity(server);
    expect(pool(report, "no-osl-1", "h100")).toMatchObject({ unitsUsed: 32, running: 4, queued: 1 });
    expect(pool(report, "no-trd-1", "h100")).toMatchObject({ unitsUsed: 0, queued: 0 });

    for (const w of [...big, small]) await backend.deleteWorkbench(w.id);
    await sim.run(200);
    expect(totals(await capacity(server))).toEqual({ used: 0, running: 0, queued: 0 });
  });

  it("needs the service token", async () => {
    const response = await fetch(`${server.url}/v1/capacity`);
    expect(response.status).toBe(401);
    expect(response.headers.get("content-type")).toBe("application/problem+json");
  });
});

describe("GET /v1/capacity on the OpenShift backend (fake Kubernetes API)", () => {
  const NS = "nordlys-helse-fjord";
  let fake: FakeKubernetes;
  let backend: ControlPlaneBackend;
  let server: RunningControlPlaneServer;

  beforeAll(async () => {
    fake = await startFakeKubernetes();
    backend = await createOpenShiftBackend({ OPENSHIFT_API_URL: fake.url, OPENSHIFT_TOKEN: fake.token });
    server = await startControlPlaneServer({ backend, token: TOKEN, log: () => {} });
    fake.addNode({ name: "osl-h100-01", region: "no-osl-1", gpuProduct: "NVIDIA-H100-80GB-HBM3", gpus: 8 });
    fake.addNode({ name: "osl-h100-02", region: "no-osl-1", gpuProduct: "NVIDIA-H100-80GB-HBM3", gpus: 8 });
    fake.addNode({ name: "osl-mig-01", region: "no-osl-1", gpuProduct: "NVIDIA-H100-80GB-HBM3", mig: { "1g.10gb": 16, "3g.40gb": 4 } });
    fake.addNode({ name: "osl-cpu-01", region: "no-osl-1", cpu: 64 });
    fake.addNode({ name: "trd-h100-01", region: "no-trd-1", gpuProduct: "NVIDIA-H100-80GB-HBM3", gpus: 8, ready: false });
    // Not counted: the cluster's own nodes, and nodes outside the portal's regions.
    fake.addNode({ name: "osl-master-0", region: "no-osl-1", cpu: 16, labels: { "node-role.kubernetes.io/master": "" } });
    fake.addNode({ name: "sto-h100-01", region: "se-sto-1", gpuProduct: "NVIDIA-H100-80GB-HBM3", gpus: 8 });
  });
  afterAll(async () => {
    await server?.close();
    await backend?.close();
    await fake?.close();
  });

  const create = async (overrides: Parameters<typeof launchRequest>[0]) => {
    const request = launchRequest(overrides);
    await backend.createWorkbench(request.externalId, request);
    return request.name;
  };

  it("groups the nodes by region and GPU product: whole GPUs, each MIG profile, vCPUs of CPU nodes", async () => {
    const report = await capacity(server);
    expect(report.pools.map((p) => [p.regionId, p.pool, p.label, p.unit, p.nodes, p.unitsTotal])).toEqual([
      ["no-osl-1", "NVIDIA-H100-80GB-HBM3", "NVIDIA H100 SXM 80GB", "gpu", 2, 16],
      ["no-osl-1", "NVIDIA-H100-80GB-HBM3/mig-1g.10gb", "NVIDIA H100 SXM 80GB, MIG 1g.10gb", "mig-slice", 1, 16],
      ["no-osl-1", "NVIDIA-H100-80GB-HBM3/mig-3g.40gb", "NVIDIA H100 SXM 80GB, MIG 3g.40gb", "mig-slice", 1, 4],
      ["no-osl-1", "cpu", "CPU (vCPU)", "vcpu", 1, 64],
      ["no-trd-1", "NVIDIA-H100-80GB-HBM3", "NVIDIA H100 SXM 80GB", "gpu", 1, 8],
    ]);
    expect(totals(report)).toEqual({ used: 0, running: 0, queued: 0 });
    expect(fake.requestsTo("GET", "/api/v1/nodes").length).toBeGreaterThan(0);
  });

  it("adds the GPUs of a running workbench pod, and counts it as running", async () => {
    const name = await create({ shapeId: "h100-2x" });
    // The Notebook exists, the controller has not made its pod yet: nothing held, nothing waiting for room.
    expect(totals(await capacity(server))).toEqual({ used: 0, running: 0, queued: 0 });
    fake.addPodEvent(NS, name, "Scheduled", { node: "osl-h100-01" });
    let report = await capacity(server);
    expect(pool(report, "no-osl-1", "NVIDIA-H100-80GB-HBM3")).toMatchObject({ unitsUsed: 2, running: 0 });
    fake.markNotebookReady(NS, name);
    report = await capacity(server);
    expect(pool(report, "no-osl-1", "NVIDIA-H100-80GB-HBM3")).toMatchObject({ unitsUsed: 2, running: 1, queued: 0 });
    expect(totals(report)).toEqual({ used: 2, running: 1, queued: 0 });

    const slice = await create({ shapeId: "h100-mig-3g40gb" });
    fake.markNotebookReady(NS, slice, "osl-mig-01");
    const cpu = await create({ shapeId: "cpu-8", imageId: "code-server-2025.2" });
    fake.markNotebookReady(NS, cpu, "osl-cpu-01");
    report = await capacity(server);
    expect(pool(report, "no-osl-1", "NVIDIA-H100-80GB-HBM3/mig-3g.40gb")).toMatchObject({ unitsUsed: 1, running: 1 });
    expect(pool(report, "no-osl-1", "NVIDIA-H100-80GB-HBM3/mig-1g.10gb")).toMatchObject({ unitsUsed: 0, running: 0 });
    expect(pool(report, "no-osl-1", "cpu")).toMatchObject({ unitsUsed: 8, running: 1 });
  });

  it("counts other workloads' GPUs as used but not as workbenches; finished pods hold nothing", async () => {
    fake.addPod({ namespace: "training", name: "big-job", nodeName: "osl-h100-02", requests: { "nvidia.com/gpu": "4", cpu: "64" } });
    fake.addPod({ namespace: "training", name: "done-job", nodeName: "osl-h100-02", requests: { "nvidia.com/gpu": "4" }, phase: "Succeeded" });
    const report = await capacity(server);
    expect(pool(report, "no-osl-1", "NVIDIA-H100-80GB-HBM3")).toMatchObject({ unitsTotal: 16, unitsUsed: 6, running: 1 });
  });

  it("counts workbench pods the scheduler cannot place as queued, also for hardware the region lacks", async () => {
    const big = await create({ shapeId: "h100-8x" });
    fake.addPodEvent(NS, big, "FailedScheduling");
    const l40s = await create({ shapeId: "l40s-1x" });
    fake.addPodEvent(NS, l40s, "FailedScheduling");
    const report = await capacity(server);
    expect(pool(report, "no-osl-1", "NVIDIA-H100-80GB-HBM3")).toMatchObject({ unitsUsed: 6, running: 1, queued: 1 });
    // No L40S server in Oslo: a pool without nodes shows the demand.
    expect(pool(report, "no-osl-1", "NVIDIA-L40S")).toEqual({
      regionId: "no-osl-1",
      pool: "NVIDIA-L40S",
      label: "NVIDIA L40S 48GB",
      unit: "gpu",
      nodes: 0,
      unitsTotal: 0,
      unitsUsed: 0,
      running: 0,
      queued: 1,
    });
    expect(totals(report).queued).toBe(2);
  });

  it("releases the units when a workbench stops", async () => {
    const workbenches = await backend.listWorkbenches({});
    const running = workbenches.find((w) => w.shapeId === "h100-2x")!;
    expect(running.phase).toBe("RUNNING");
    await backend.stopWorkbench(running.id);
    fake.reconcileStop(NS, running.name);
    const report = await capacity(server);
    expect(pool(report, "no-osl-1", "NVIDIA-H100-80GB-HBM3")).toMatchObject({ unitsUsed: 4, running: 0, queued: 1 });
  });

  it("groups by an operator's own node label when configured", async () => {
    const own = await startFakeKubernetes();
    const labelled = await createOpenShiftBackend({ OPENSHIFT_API_URL: own.url, OPENSHIFT_TOKEN: own.token, OPENSHIFT_CAPACITY_POOL_LABEL: "nordlys.cloud/pool" });
    try {
      own.addNode({ name: "a-1", region: "no-osl-1", gpuProduct: "NVIDIA-H100-80GB-HBM3", gpus: 8, labels: { "nordlys.cloud/pool": "h100-research" } });
      own.addNode({ name: "a-2", region: "no-osl-1", gpuProduct: "NVIDIA-H100-80GB-HBM3", gpus: 8, labels: { "nordlys.cloud/pool": "h100-research" } });
      own.addNode({ name: "b-1", region: "no-osl-1", gpuProduct: "NVIDIA-H100-80GB-HBM3", gpus: 8, labels: { "nordlys.cloud/pool": "h100-health" } });
      own.addNode({ name: "c-1", region: "no-osl-1", cpu: 32 });
      const report = await labelled.getCapacity();
      expect(report.pools.map((p) => [p.pool, p.label, p.nodes, p.unitsTotal])).toEqual([
        ["h100-health", "NVIDIA H100 SXM 80GB", 1, 8],
        ["h100-research", "NVIDIA H100 SXM 80GB", 2, 16],
        ["cpu", "CPU (vCPU)", 1, 32],
      ]);
    } finally {
      await labelled.close();
      await own.close();
    }
    await expect(
      createOpenShiftBackend({ OPENSHIFT_API_URL: fake.url, OPENSHIFT_TOKEN: fake.token, OPENSHIFT_CAPACITY_POOL_LABEL: "not a label!" }),
    ).rejects.toThrow(/OPENSHIFT_CAPACITY_POOL_LABEL/);
  });

  it("answers 503 unavailable when the cluster cannot be reached", async () => {
    const gone = await startFakeKubernetes();
    const unreachable = await createOpenShiftBackend({ OPENSHIFT_API_URL: gone.url, OPENSHIFT_TOKEN: gone.token, OPENSHIFT_REQUEST_TIMEOUT_MS: "2000" });
    await gone.close();
    const broken = await startControlPlaneServer({ backend: unreachable, token: TOKEN, log: () => {} });
    try {
      const response = await fetch(`${broken.url}/v1/capacity`, { headers: { Authorization: `Bearer ${TOKEN}` } });
      expect(response.status).toBe(503);
      expect(await response.json()).toMatchObject({ code: "unavailable" });
    } finally {
      await broken.close();
    }
  });
});
