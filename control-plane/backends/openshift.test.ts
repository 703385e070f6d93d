// The OpenShift backend against the fake API server: the exact objects it creates (checked against a
// fixture and, separately, against the Notebook CRD schema), idempotency, the dashboard's stop/start
// patches, deletion, phases from pod events, capacity from nodes, and MIG / CPU shapes.
import { execFileSync, spawnSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import type { ControlPlaneBackend, CreateWorkbenchRequest, Workbench } from "../api-types";
import { SHAPES } from "../catalogue";
import { problemsOf, validateNotebook } from "../fake-k8s/crd-validator";
import { startFakeKubernetes, type FakeKubernetes } from "../fake-k8s/server";
import { createOpenShiftBackend } from "./openshift";
import { hardwareProfileManifest } from "./openshift/manifests";
import fixture from "./openshift/fixtures/h100-1x-workbench.json";

const HERE = fileURLToPath(new URL(".", import.meta.url));
const NS = "nordlys-helse-fjord";
const APPS = "apps.test.example";

const gpuRequest: CreateWorkbenchRequest = fixture.request;

function request(overrides: Partial<CreateWorkbenchRequest>): CreateWorkbenchRequest {
  return { ...gpuRequest, ...overrides };
}

/**
 * One clock for the fake cluster and the backend, one second further at each reading, so that events
 * recorded by either side are ordered as they happened.
 */
function steppingClock(): () => Date {
  let t = Date.parse("2026-06-01T10:00:00Z");
  return () => new Date((t += 1000));
}

async function cluster(): Promise<{ fake: FakeKubernetes; backend: ControlPlaneBackend }> {
  const now = steppingClock();
  const fake = await startFakeKubernetes({ now });
  const backend = await createOpenShiftBackend(
    { OPENSHIFT_API_URL: fake.url, OPENSHIFT_TOKEN: fake.token, OPENSHIFT_APPS_DOMAIN: APPS },
    { now },
  );
  return { fake, backend };
}

/** The bodies the backend sent to exactly this path, as the recorder saw them. */
function sent(fake: FakeKubernetes, method: string, path: string): unknown[] {
  return fake.requests.filter((r) => r.method === method && r.path === path).map((r) => r.body);
}

function oslo(fake: FakeKubernetes): void {
  fake.addNode({ name: "osl-h100-01", region: "no-osl-1", gpuProduct: "NVIDIA-H100-80GB-HBM3", gpus: 8 });
  fake.addNode({ name: "osl-h100-02", region: "no-osl-1", gpuProduct: "NVIDIA-H100-80GB-HBM3", gpus: 8 });
}

describe("OpenShift backend: creating a GPU workbench", () => {
  let fake: FakeKubernetes;
  let backend: ControlPlaneBackend;
  let created: { workbench: Workbench; created: boolean };

  beforeAll(async () => {
    ({ fake, backend } = await cluster());
    oslo(fake);
    created = await backend.createWorkbench("cmb1wb0001", gpuRequest);
  });
  afterAll(async () => {
    await backend.close();
    await fake.close();
  });

  it("creates the project with the dashboard labels and the tenant", () => {
    expect(sent(fake, "POST", "/api/v1/namespaces")).toEqual([fixture.namespace]);
    expect(fake.get("namespaces", null, NS)?.metadata.labels).toMatchObject(fixture.namespace.metadata.labels);
  });

  it("creates the PVC <name>-storage, ReadWriteOnce, with the size asked for", () => {
    expect(sent(fake, "POST", `/api/v1/namespaces/${NS}/persistentvolumeclaims`)).toEqual([fixture.pvc]);
  });

  it("creates the Notebook exactly as the fixture (labels, annotations, container, GPU resources, tolerations, volumes)", () => {
    expect(sent(fake, "POST", `/apis/kubeflow.org/v1/namespaces/${NS}/notebooks`)).toEqual([fixture.notebook]);
    const container = fixture.notebook.spec.template.spec.containers[0]!;
    expect(container.resources.requests["nvidia.com/gpu"]).toBe("1");
    expect(container.resources.limits["nvidia.com/gpu"]).toBe("1");
    // Unknown fields must fail the request rather than be dropped silently.
    expect(fake.requestsTo("POST", "/notebooks")[0]?.query.fieldValidation).toBe("Strict");
  });

  it("sends a Notebook that the CRD schema accepts", () => {
    const [notebook] = sent(fake, "POST", `/apis/kubeflow.org/v1/namespaces/${NS}/notebooks`);
    expect(problemsOf(validateNotebook(notebook))).toEqual([]);
    expect(fake.get("notebooks", NS, "tumour-seg")?.metadata.generation).toBe(1);
  });

  it("the schema check can fail: a broken Notebook is rejected with the reasons", () => {
    const broken = structuredClone(fixture.notebook) as Record<string, any>;
    const container = broken.spec.template.spec.containers[0];
    delete container.image;
    container.workDir = container.workingDir;
    container.resources.limits["nvidia.com/gpu"] = "one";
    broken.metadata.annotations["notebooks.opendatahub.io/inject-auth"] = true;
    expect(problemsOf(validateNotebook(broken))).toEqual([
      'unknown field "spec.template.spec.containers[0].workDir"',
      "cannot unmarshal bool into Go struct field ObjectMeta.metadata.annotations of type string",
      "spec.template.spec.containers[0].image: Required value",
      expect.stringContaining("spec.template.spec.containers[0].resources.limits[nvidia.com/gpu]: Invalid value: \"one\""),
    ]);
    const empty = structuredClone(fixture.notebook) as Record<string, any>;
    empty.spec.template.spec.containers = [];
    expect(problemsOf(validateNotebook(empty))).toEqual([
      "spec.template.spec.containers: Invalid value: 0: spec.template.spec.containers in body should have at least 1 items",
    ]);
  });

  it("returns the workbench, queued, with the project, owner and no URL yet", () => {
    expect(created.created).toBe(true);
    const uid = fake.get("notebooks", NS, "tumour-seg")?.metadata.uid;
    expect(created.workbench).toMatchObject({
      id: `${NS}.tumour-seg.${uid}`,
      externalId: "cmb1wb0001",
      tenantId: "cmb1org0001",
      project: NS,
      name: "tumour-seg",
      displayName: "Tumour segmentation",
      owner: "scientist@helse-fjord.example",
      imageId: "jupyter-pytorch-2025.2",
      shapeId: "h100-1x",
      regionId: "no-osl-1",
      storageGb: 100,
      idleTimeoutMinutes: 120,
      phase: "QUEUED",
      url: null,
      stoppedAt: null,
      energyWh: 0,
      gpuSeconds: 0,
    });
  });

  it("passes the offline CRD checker (validate.py) too", (ctx) => {
    const python = spawnSync("python3", ["-c", "import yaml, jsonschema"], { encoding: "utf8" });
    if (python.status !== 0) {
      ctx.skip(true, "python3 with PyYAML and jsonschema is not installed; the same schema is checked in TypeScript above");
      return;
    }
    const dir = mkdtempSync(join(tmpdir(), "notebook-"));
    try {
      const file = join(dir, "notebook.yaml");
      writeFileSync(file, JSON.stringify(fake.requestsTo("POST", "/notebooks")[0]?.body, null, 2)); // JSON is YAML
      const output = execFileSync(
        "python3",
        [join(HERE, "openshift/validate.py"), "--crd", join(HERE, "openshift/crds/kubeflow.org_notebooks.odh-fork.yaml"), file],
        { encoding: "utf8" },
      );
      expect(output).toContain("OK Notebook/tumour-seg (kubeflow.org/v1)");
      expect(output).toContain("RESULT: VALID");
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe("OpenShift backend: idempotency, stop/start, delete, phases, events", () => {
  let fake: FakeKubernetes;
  let backend: ControlPlaneBackend;

  beforeAll(async () => {
    ({ fake, backend } = await cluster());
    oslo(fake);
  });
  afterAll(async () => {
    await backend.close();
    await fake.close();
  });
  beforeEach(() => fake.clearRequests());

  it("returns the first workbench again for the same key, without creating anything", async () => {
    const first = await backend.createWorkbench("key-idem", request({ externalId: "wb-idem", name: "idem" }));
    fake.clearRequests();
    const again = await backend.createWorkbench("key-idem", request({ externalId: "wb-idem", name: "idem" }));
    expect(again.created).toBe(false);
    expect(again.workbench.id).toBe(first.workbench.id);
    expect(fake.requests.filter((r) => r.method === "POST" && !r.path.endsWith("/events"))).toEqual([]);
  });

  it("refuses the same key with another request, and the same name with another key", async () => {
    await backend.createWorkbench("key-a", request({ externalId: "wb-a", name: "alpha" }));
    await expect(backend.createWorkbench("key-a", request({ externalId: "wb-a", name: "alpha", storageGb: 200 }))).rejects.toMatchObject({
      name: "BackendError",
      code: "idempotency_conflict",
    });
    await expect(backend.createWorkbench("key-b", request({ externalId: "wb-b", name: "alpha" }))).rejects.toMatchObject({
      name: "BackendError",
      code: "invalid_state",
      message: expect.stringContaining("alpha already exists"),
    });
  });

  it("refuses unknown ids and a GPU image on a CPU shape", async () => {
    await expect(backend.createWorkbench("k1", request({ shapeId: "a100-1x" }))).rejects.toMatchObject({ code: "unknown_shape" });
    await expect(backend.createWorkbench("k2", request({ regionId: "se-sto-1" }))).rejects.toMatchObject({ code: "unknown_region" });
    await expect(backend.createWorkbench("k3", request({ imageId: "jupyter-r" }))).rejects.toMatchObject({ code: "unknown_image" });
    await expect(backend.createWorkbench("k4", request({ shapeId: "cpu-8" }))).rejects.toMatchObject({ code: "validation" });
    await expect(backend.createWorkbench("k5", request({ name: "Not_A_Label" }))).rejects.toMatchObject({ code: "validation" });
  });

  it("stops and starts with the dashboard's JSON patches on the stop annotation", async () => {
    const { workbench } = await backend.createWorkbench("key-stop", request({ externalId: "wb-stop", name: "stopper" }));
    fake.markNotebookReady(NS, "stopper");
    expect(await backend.getWorkbench(workbench.id)).toMatchObject({
      phase: "RUNNING",
      url: `https://stopper-${NS}.${APPS}/notebook/${NS}/stopper/lab`,
    });

    fake.clearRequests();
    const stopping = await backend.stopWorkbench(workbench.id);
    const [stop] = fake.requestsTo("PATCH", `/apis/kubeflow.org/v1/namespaces/${NS}/notebooks/stopper`);
    expect(stop?.contentType).toBe("application/json-patch+json");
    expect(stop?.body).toEqual([{ op: "add", path: "/metadata/annotations/kubeflow-resource-stopped", value: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/) }]);
    const stoppedAt = (stop?.body as Array<{ value: string }>)[0]!.value;
    expect(fake.get("notebooks", NS, "stopper")?.metadata.annotations["kubeflow-resource-stopped"]).toBe(stoppedAt);
    expect(stopping.phase).toBe("STOPPING"); // the pod is still there until the controller scales down

    fake.reconcileStop(NS, "stopper");
    expect(await backend.getWorkbench(workbench.id)).toMatchObject({ phase: "STOPPED", stoppedAt, url: null });

    fake.clearRequests();
    await backend.stopWorkbench(workbench.id);
    expect(fake.requestsTo("PATCH", "/notebooks")).toEqual([]); // already stopped: nothing to patch

    const started = await backend.startWorkbench(workbench.id);
    const [start] = fake.requestsTo("PATCH", "/notebooks/stopper");
    expect(start?.contentType).toBe("application/json-patch+json");
    expect(start?.body).toEqual([{ op: "remove", path: "/metadata/annotations/kubeflow-resource-stopped" }]);
    expect(fake.get("notebooks", NS, "stopper")?.metadata.annotations["kubeflow-resource-stopped"]).toBeUndefined();
    expect(started).toMatchObject({ phase: "QUEUED", stoppedAt: null });

    expect((await backend.listEvents(workbench.id)).map((e) => [e.type, e.message])).toEqual([
      ["QUEUED", "Workbench created; waiting for the cluster to place it"],
      ["SCHEDULED", "A server in Oslo has room; setting up the workbench"],
      ["STOP_REQUESTED", "Stop requested"],
      ["STOPPED", "The notebook server was stopped"],
      ["START_REQUESTED", "Start requested"],
    ]);
  });

  it("deletes the Notebook and its PVC", async () => {
    const { workbench } = await backend.createWorkbench("key-del", request({ externalId: "wb-del", name: "doomed" }));
    fake.markNotebookReady(NS, "doomed");
    fake.clearRequests();
    const deleted = await backend.deleteWorkbench(workbench.id);
    expect(deleted.phase).toBe("DELETING");
    expect(fake.requestsTo("DELETE", "").map((r) => r.path)).toEqual([
      `/apis/kubeflow.org/v1/namespaces/${NS}/notebooks/doomed`,
      `/api/v1/namespaces/${NS}/persistentvolumeclaims/doomed-storage`,
    ]);
    expect(fake.get("notebooks", NS, "doomed")).toBeUndefined();
    expect(fake.get("persistentvolumeclaims", NS, "doomed-storage")).toBeUndefined();
    expect(await backend.getWorkbench(workbench.id)).toBeNull();
    await expect(backend.stopWorkbench(workbench.id)).rejects.toMatchObject({ code: "not_found" });
  });

  it("follows a workbench from queued through pulling to running, from the pod's events", async () => {
    const { workbench } = await backend.createWorkbench("key-life", request({ externalId: "wb-life", name: "life" }));
    const { workbench: second } = await backend.createWorkbench("key-life2", request({ externalId: "wb-life2", name: "life-two" }));

    fake.addPodEvent(NS, "life", "FailedScheduling");
    fake.addPodEvent(NS, "life-two", "FailedScheduling");
    expect(await backend.getWorkbench(workbench.id)).toMatchObject({
      phase: "QUEUED",
      queuePosition: 1,
      reason: "Waiting for GPU capacity: no free NVIDIA H100 SXM 80GB in Oslo right now",
    });
    expect(await backend.getWorkbench(second.id)).toMatchObject({ phase: "QUEUED", queuePosition: 2 });

    fake.addPodEvent(NS, "life", "Scheduled", { node: "osl-h100-01" });
    expect(await backend.getWorkbench(workbench.id)).toMatchObject({ phase: "SCHEDULED", queuePosition: null, reason: null });
    expect(await backend.getWorkbench(second.id)).toMatchObject({ phase: "QUEUED", queuePosition: 1 });

    fake.addPodEvent(NS, "life", "Pulling");
    expect((await backend.getWorkbench(workbench.id))?.phase).toBe("PULLING_IMAGE");
    fake.addPodEvent(NS, "life", "Pulled");
    expect((await backend.getWorkbench(workbench.id))?.phase).toBe("STARTING");
    fake.addPodEvent(NS, "life", "Created");
    fake.addPodEvent(NS, "life", "Started");
    expect((await backend.getWorkbench(workbench.id))?.phase).toBe("STARTING");

    fake.markNotebookReady(NS, "life");
    const running = await backend.getWorkbench(workbench.id);
    expect(running).toMatchObject({ phase: "RUNNING", reason: null, url: `https://life-${NS}.${APPS}/notebook/${NS}/life/lab` });
    expect(running?.startedAt).toMatch(/Z$/);

    const events = await backend.listEvents(workbench.id);
    expect(events.map((e) => [e.type, e.message])).toEqual([
      ["QUEUED", "Workbench created; waiting for the cluster to place it"],
      ["QUEUED", "Waiting for GPU capacity: no free NVIDIA H100 SXM 80GB in Oslo right now"],
      ["SCHEDULED", "A server in Oslo has room; setting up the workbench"],
      ["PULLING_IMAGE", "Downloading the PyTorch image"],
      ["STARTING", "Downloaded the PyTorch image"],
      ["STARTING", "Created the workbench container"],
      ["STARTING", "The notebook server started; waiting for it to answer"],
      ["RUNNING", "The workbench is running"],
    ]);
    expect(new Set(events.map((e) => e.id)).size).toBe(events.length);
    expect(events.every((e) => e.workbenchId === workbench.id)).toBe(true);
  });

  it("reports a failed image pull and a crashing server in plain words", async () => {
    const { workbench: pull } = await backend.createWorkbench("key-pull", request({ externalId: "wb-pull", name: "bad-pull" }));
    fake.addPodEvent(NS, "bad-pull", "Scheduled");
    fake.addPodEvent(NS, "bad-pull", "Pulling");
    fake.addPodEvent(NS, "bad-pull", "Failed");
    fake.addPodEvent(NS, "bad-pull", "BackOff");
    expect(await backend.getWorkbench(pull.id)).toMatchObject({ phase: "FAILED", reason: "The PyTorch image could not be downloaded" });

    const { workbench: crash } = await backend.createWorkbench("key-crash", request({ externalId: "wb-crash", name: "crashy" }));
    fake.addPodEvent(NS, "crashy", "Scheduled");
    fake.addPodEvent(NS, "crashy", "Started");
    fake.addPodEvent(NS, "crashy", "BackOff", { message: "Back-off restarting failed container crashy in pod crashy-0" });
    expect(await backend.getWorkbench(crash.id)).toMatchObject({
      phase: "FAILED",
      reason: "The notebook server keeps stopping right after it starts",
    });
    expect((await backend.listEvents(crash.id)).at(-1)).toMatchObject({
      type: "FAILED",
      message: "The notebook server stopped right after it started; the cluster keeps retrying",
    });
  });

  it("lists workbenches by tenant and by external id", async () => {
    const all = await backend.listWorkbenches({ tenantId: "cmb1org0001" });
    expect(all.length).toBeGreaterThan(3);
    expect(all.every((w) => w.tenantId === "cmb1org0001")).toBe(true);
    const one = await backend.listWorkbenches({ externalId: "wb-life" });
    expect(one.map((w) => w.name)).toEqual(["life"]);
    expect(await backend.listWorkbenches({ tenantId: "another-org" })).toEqual([]);
    expect(await backend.listWorkbenches({ tenantId: "not a label value!" })).toEqual([]);
  });

  it("keeps ids that are not label values, and long slugs, within Kubernetes' limits", async () => {
    const slug = "statens-institutt-for-medisinsk-bildediagnostikk-og-strålevern";
    const { workbench } = await backend.createWorkbench(
      "order/2026#17",
      request({ tenantId: "org 42/Vest", tenantSlug: slug, externalId: "order/2026#17", name: "long" }),
    );
    expect(workbench.project).toMatch(/^nordlys-statens-institutt-for-medisinsk-bildediagnostikk-[0-9a-f]{6}$/);
    expect(workbench.project.length).toBeLessThanOrEqual(63);
    expect(workbench).toMatchObject({ tenantId: "org 42/Vest", externalId: "order/2026#17" });
    const labels = fake.get("notebooks", workbench.project, "long")?.metadata.labels;
    expect(labels["nordlys.cloud/external-id"]).toMatch(/^sha256-[0-9a-f]{56}$/);
    expect((await backend.listWorkbenches({ externalId: "order/2026#17" })).map((w) => w.id)).toEqual([workbench.id]);
    expect((await backend.listWorkbenches({ tenantId: "org 42/Vest" })).map((w) => w.id)).toEqual([workbench.id]);
    // The same project for another organisation is refused.
    await expect(backend.createWorkbench("k-other", request({ tenantId: "someone-else", tenantSlug: slug, externalId: "x1", name: "x1" }))).rejects.toMatchObject({
      code: "invalid_state",
    });
  });

  it("answers an empty usage page with a stable cursor (metering comes from DCGM later)", async () => {
    expect(await backend.listUsage(null, 100)).toEqual({ records: [], nextCursor: null });
    expect(await backend.listUsage("cursor-7", 100)).toEqual({ records: [], nextCursor: "cursor-7" });
  });

  it("returns null for ids that are not its own", async () => {
    expect(await backend.getWorkbench("nonsense")).toBeNull();
    expect(await backend.getWorkbench(`${NS}.life.00000000-0000-0000-0000-000000000000`)).toBeNull();
  });
});

describe("OpenShift backend: shapes", () => {
  let fake: FakeKubernetes;
  let backend: ControlPlaneBackend;

  beforeAll(async () => {
    ({ fake, backend } = await cluster());
  });
  afterAll(async () => {
    await backend.close();
    await fake.close();
  });

  it("computes capacity per region from the nodes' allocatable GPUs minus what pods request", async () => {
    oslo(fake);
    fake.addNode({ name: "osl-mig-01", region: "no-osl-1", gpuProduct: "NVIDIA-H100-80GB-HBM3", mig: { "1g.10gb": 14, "3g.40gb": 4 } });
    fake.addNode({ name: "osl-cpu-01", region: "no-osl-1", cpu: 64, memoryGi: 256 });
    fake.addNode({ name: "trd-l40s-01", region: "no-trd-1", gpuProduct: "NVIDIA-L40S", gpus: 4, cpu: 64, memoryGi: 512 });
    fake.addNode({ name: "trd-h100-01", region: "no-trd-1", gpuProduct: "NVIDIA-H100-80GB-HBM3", gpus: 8, ready: false });
    fake.addPod({ namespace: "training", name: "big-job", nodeName: "osl-h100-01", requests: { "nvidia.com/gpu": "6", cpu: "100", memory: "1000Gi" } });
    fake.addPod({ namespace: "training", name: "done-job", nodeName: "osl-h100-02", requests: { "nvidia.com/gpu": "8" }, phase: "Succeeded" });
    await backend.createWorkbench("key-q", request({ externalId: "wb-q", name: "waiting" }));
    fake.addPodEvent(NS, "waiting", "FailedScheduling");

    const shapes = await backend.listShapes();
    expect(shapes.map((s) => s.id)).toEqual(SHAPES.map((s) => s.id));
    const capacity = (id: string, region: string) => shapes.find((s) => s.id === id)?.capacity.find((c) => c.regionId === region);

    // osl-h100-01: 2 GPUs, 120 vCPU, 1000 GiB free; osl-h100-02: all 8 free (the finished job holds nothing).
    expect(capacity("h100-1x", "no-osl-1")).toEqual({ regionId: "no-osl-1", total: 16, available: 10, queued: 1 });
    expect(capacity("h100-4x", "no-osl-1")).toEqual({ regionId: "no-osl-1", total: 4, available: 2, queued: 0 });
    expect(capacity("h100-8x", "no-osl-1")).toEqual({ regionId: "no-osl-1", total: 2, available: 1, queued: 0 });
    expect(capacity("h100-mig-1g10gb", "no-osl-1")).toEqual({ regionId: "no-osl-1", total: 14, available: 14, queued: 0 });
    expect(capacity("h100-mig-3g40gb", "no-osl-1")).toEqual({ regionId: "no-osl-1", total: 4, available: 4, queued: 0 });
    expect(capacity("cpu-8", "no-osl-1")).toEqual({ regionId: "no-osl-1", total: 8, available: 8, queued: 0 });
    expect(capacity("l40s-1x", "no-trd-1")).toEqual({ regionId: "no-trd-1", total: 4, available: 4, queued: 0 });
    // The Trondheim H100 node is not Ready; L40S nodes do not take H100 shapes.
    expect(capacity("h100-1x", "no-trd-1")).toEqual({ regionId: "no-trd-1", total: 0, available: 0, queued: 0 });
    expect(capacity("l40s-1x", "no-osl-1")).toEqual({ regionId: "no-osl-1", total: 0, available: 0, queued: 0 });

    const mig = shapes.find((s) => s.id === "h100-mig-1g10gb");
    expect(mig).toMatchObject({ gpuCount: 0, migProfile: "1g.10gb", gpuFraction: 1 / 7, gpuMemoryGb: 10, powerIdleW: 11.3, powerMaxW: 100 });
    expect(shapes.find((s) => s.id === "h100-1x")).toMatchObject({ gpuCount: 1, powerIdleW: 79, powerMaxW: 700 });
  });

  it("gives a MIG workbench one nvidia.com/mig-1g.10gb slice and no whole GPU", async () => {
    fake.clearRequests();
    const { workbench } = await backend.createWorkbench("key-mig", request({ externalId: "wb-mig", name: "slice", shapeId: "h100-mig-1g10gb" }));
    const notebook = fake.requestsTo("POST", "/notebooks")[0]?.body as typeof fixture.notebook;
    const spec = notebook.spec.template.spec;
    const resources = { cpu: "4", memory: "32Gi", "nvidia.com/mig-1g.10gb": "1" };
    expect(spec.containers[0]?.resources).toEqual({ requests: resources, limits: resources });
    expect(spec.tolerations).toEqual([{ key: "nvidia.com/gpu", operator: "Exists", effect: "NoSchedule" }]);
    expect(spec.nodeSelector).toEqual({ "topology.kubernetes.io/region": "no-osl-1" });
    expect(notebook.metadata.annotations["opendatahub.io/hardware-profile-name"]).toBe("nordlys-h100-mig-1g10gb");
    expect(problemsOf(validateNotebook(notebook))).toEqual([]);

    fake.addPodEvent(NS, "slice", "FailedScheduling", {
      message: "0/5 nodes are available: 1 Insufficient nvidia.com/mig-1g.10gb, 4 node(s) didn't match Pod's node affinity/selector. preemption: 0/5 nodes are available: 5 No preemption victims found for incoming pod.",
    });
    expect(await backend.getWorkbench(workbench.id)).toMatchObject({
      phase: "QUEUED",
      reason: "Waiting for GPU capacity: no free NVIDIA H100 SXM 80GB MIG slice (1g.10gb) in Oslo right now",
    });
  });

  it("gives a CPU workbench neither GPU resources nor the GPU toleration", async () => {
    fake.clearRequests();
    await backend.createWorkbench("key-cpu", request({ externalId: "wb-cpu", name: "plain", shapeId: "cpu-8", imageId: "code-server-2025.2" }));
    const notebook = fake.requestsTo("POST", "/notebooks")[0]?.body as typeof fixture.notebook;
    const spec = notebook.spec.template.spec;
    expect(spec.containers[0]?.resources).toEqual({ requests: { cpu: "8", memory: "32Gi" }, limits: { cpu: "8", memory: "32Gi" } });
    expect(spec.tolerations).toBeUndefined();
    expect(problemsOf(validateNotebook(notebook))).toEqual([]);
  });

  it("has a HardwareProfile per shape that the HardwareProfile CRD accepts", async () => {
    const { crdValidator, loadHardwareProfileCrd } = await import("../fake-k8s/crd-validator");
    const v1 = crdValidator(loadHardwareProfileCrd()).version("v1")!;
    for (const shape of SHAPES) {
      const profile = hardwareProfileManifest(shape, "redhat-ods-applications");
      expect(problemsOf(v1.validate(profile)), shape.id).toEqual([]);
    }
    expect(hardwareProfileManifest(SHAPES[0]!, "redhat-ods-applications").spec.identifiers).toContainEqual({
      identifier: "nvidia.com/gpu",
      displayName: "GPU",
      defaultCount: 1,
      minCount: 1,
      maxCount: 1,
      resourceType: "Accelerator",
    });
  });
});

describe("OpenShift backend: configuration and cluster errors", () => {
  it("names the missing variables", async () => {
    await expect(createOpenShiftBackend({})).rejects.toThrow(/OPENSHIFT_KUBECONFIG.*OPENSHIFT_API_URL.*OPENSHIFT_TOKEN/);
    await expect(createOpenShiftBackend({ OPENSHIFT_API_URL: "https://api.example:6443" })).rejects.toThrow(/OPENSHIFT_TOKEN/);
    await expect(createOpenShiftBackend({ OPENSHIFT_API_URL: "http://api.example:6443", OPENSHIFT_TOKEN: "t" })).rejects.toThrow(/loopback/);
    await expect(
      createOpenShiftBackend({ OPENSHIFT_API_URL: "https://api.example:6443", OPENSHIFT_TOKEN: "t", OPENSHIFT_CA_FILE: "/nonexistent/ca.crt" }),
    ).rejects.toThrow(/OPENSHIFT_CA_FILE/);
  });

  it("reports a refused token or an unreachable cluster as unavailable", async () => {
    const fake = await startFakeKubernetes();
    try {
      const wrong = await createOpenShiftBackend({ OPENSHIFT_API_URL: fake.url, OPENSHIFT_TOKEN: "wrong" });
      await expect(wrong.listShapes()).rejects.toMatchObject({ code: "unavailable", message: expect.stringContaining("Unauthorized") });
      expect(fake.requests.at(-1)?.status).toBe(401);
    } finally {
      await fake.close();
    }
    const gone = await createOpenShiftBackend({ OPENSHIFT_API_URL: fake.url, OPENSHIFT_TOKEN: "t", OPENSHIFT_REQUEST_TIMEOUT_MS: "2000" });
    await expect(gone.listShapes()).rejects.toMatchObject({ code: "unavailable" });
  });
});
