// The fake API server answers like a real one where the OpenShift backend depends on it: metadata,
// Status errors, selectors, patches, optimistic concurrency, the status subresource and strict
// validation of Notebooks against the CRD.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startFakeKubernetes, type FakeKubernetes } from "./server";

let fake: FakeKubernetes;

async function call(method: string, path: string, body?: unknown, contentType = "application/json", token?: string) {
  const response = await fetch(`${fake.url}${path}`, {
    method,
    headers: { Authorization: `Bearer ${token ?? fake.token}`, ...(body === undefined ? {} : { "Content-Type": contentType }) },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  return { status: response.status, body: (await response.json()) as Record<string, any>, headers: response.headers };
}

const NB = "/apis/kubeflow.org/v1/namespaces/lab/notebooks";

function notebook(name: string, extra: Record<string, unknown> = {}) {
  return {
    apiVersion: "kubeflow.org/v1",
    kind: "Notebook",
    metadata: { name, labels: { app: name, team: "a" }, annotations: { "openshift.io/display-name": name } },
    spec: { template: { spec: { containers: [{ name, image: "quay.io/example/notebook:1", ports: [{ name: "notebook-port", containerPort: 8888 }] }] } } },
    ...extra,
  };
}

beforeAll(async () => {
  fake = await startFakeKubernetes();
  await call("POST", "/api/v1/namespaces", { apiVersion: "v1", kind: "Namespace", metadata: { name: "lab" } });
});
afterAll(async () => {
  await fake.close();
});

describe("fake Kubernetes API server", () => {
  it("refuses requests without the bearer token", async () => {
    const res = await call("GET", "/api/v1/namespaces", undefined, undefined, "nope");
    expect(res.status).toBe(401);
    expect(res.body).toMatchObject({ kind: "Status", status: "Failure", reason: "Unauthorized", code: 401 });
  });

  it("fills in metadata, applies schema defaults and drops a status sent on create", async () => {
    const res = await call("POST", NB, notebook("meta", { status: { readyReplicas: 1, containerState: {}, conditions: [] } }));
    expect(res.status).toBe(201);
    expect(res.body.metadata).toMatchObject({ name: "meta", namespace: "lab", generation: 1 });
    expect(res.body.metadata.uid).toMatch(/^[0-9a-f-]{36}$/);
    expect(res.body.metadata.resourceVersion).toMatch(/^\d+$/);
    expect(res.body.metadata.creationTimestamp).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
    expect(res.body.spec.template.spec.containers[0].ports[0].protocol).toBe("TCP");
    expect(res.body.status).toBeUndefined();
  });

  it("answers 404 and 409 with Status objects", async () => {
    const missing = await call("GET", `${NB}/nothing`);
    expect(missing).toMatchObject({
      status: 404,
      body: { kind: "Status", apiVersion: "v1", status: "Failure", reason: "NotFound", code: 404, message: 'notebooks.kubeflow.org "nothing" not found', details: { name: "nothing", group: "kubeflow.org", kind: "notebooks" } },
    });
    const again = await call("POST", NB, notebook("meta"));
    expect(again).toMatchObject({ status: 409, body: { reason: "AlreadyExists", message: 'notebooks.kubeflow.org "meta" already exists' } });
    const noNamespace = await call("POST", "/apis/kubeflow.org/v1/namespaces/elsewhere/notebooks", notebook("x"));
    expect(noNamespace).toMatchObject({ status: 404, body: { message: 'namespaces "elsewhere" not found' } });
  });

  it("rejects an invalid Notebook with 422 Invalid and its causes, and unknown fields with 400 (strict decoding)", async () => {
    const noImage = notebook("broken");
    delete (noImage.spec.template.spec.containers[0] as { image?: string }).image;
    const invalid = await call("POST", NB, noImage);
    expect(invalid.status).toBe(422);
    expect(invalid.body).toMatchObject({
      reason: "Invalid",
      message: 'Notebook.kubeflow.org "broken" is invalid: spec.template.spec.containers[0].image: Required value',
      details: { name: "broken", group: "kubeflow.org", kind: "Notebook", causes: [{ reason: "FieldValueRequired", field: "spec.template.spec.containers[0].image" }] },
    });
    const unknown = notebook("typo");
    (unknown.spec.template.spec.containers[0] as Record<string, unknown>).workDir = "/x";
    const strict = await call("POST", NB, unknown);
    expect(strict).toMatchObject({
      status: 400,
      body: { reason: "BadRequest", message: 'Notebook in version "v1" cannot be handled as a Notebook: strict decoding error: unknown field "spec.template.spec.containers[0].workDir"' },
    });
    const badLabel = notebook("label");
    (badLabel.metadata.labels as Record<string, unknown>).team = "not a label value";
    expect((await call("POST", NB, badLabel)).status).toBe(422);
    expect(fake.get("notebooks", "lab", "broken")).toBeUndefined();
  });

  it("drops unknown fields with a Warning when the client asks for fieldValidation=Warn", async () => {
    const unknown = notebook("warned");
    (unknown.spec.template.spec.containers[0] as Record<string, unknown>).workDir = "/x";
    const res = await call("POST", `${NB}?fieldValidation=Warn`, unknown);
    expect(res.status).toBe(201);
    expect(res.headers.get("warning")).toContain("unknown field");
    expect(res.body.spec.template.spec.containers[0].workDir).toBeUndefined();
  });

  it("applies JSON and merge patches, validates the result, and bumps generation only for spec changes", async () => {
    const before = fake.get("notebooks", "lab", "meta")!;
    const stop = await call("PATCH", `${NB}/meta`, [{ op: "add", path: "/metadata/annotations/kubeflow-resource-stopped", value: "2026-06-01T10:00:00Z" }], "application/json-patch+json");
    expect(stop.status).toBe(200);
    expect(stop.body.metadata.annotations["kubeflow-resource-stopped"]).toBe("2026-06-01T10:00:00Z");
    expect(stop.body.metadata.generation).toBe(1);
    expect(Number(stop.body.metadata.resourceVersion)).toBeGreaterThan(Number(before.metadata.resourceVersion));

    const image = await call("PATCH", `${NB}/meta`, { spec: { template: { spec: { containers: [{ name: "meta", image: "quay.io/example/notebook:2" }] } } } }, "application/merge-patch+json");
    expect(image.body.metadata.generation).toBe(2);

    const removeMissing = await call("PATCH", `${NB}/meta`, [{ op: "remove", path: "/metadata/annotations/nope" }], "application/json-patch+json");
    expect(removeMissing).toMatchObject({ status: 422, body: { reason: "Invalid" } });

    const breaking = await call("PATCH", `${NB}/meta`, [{ op: "remove", path: "/spec/template/spec/containers/0/image" }], "application/json-patch+json");
    expect(breaking.status).toBe(422);
    expect(fake.get("notebooks", "lab", "meta")!.spec.template.spec.containers[0].image).toBe("quay.io/example/notebook:2");

    const strategic = await call("PATCH", `${NB}/meta`, { metadata: { labels: { x: "y" } } }, "application/strategic-merge-patch+json");
    expect(strategic).toMatchObject({ status: 415, body: { reason: "UnsupportedMediaType" } });
  });

  it("refuses a write based on an old resourceVersion, and ignores status on the main resource", async () => {
    const current = fake.get("notebooks", "lab", "meta")!;
    const stale = await call("PATCH", `${NB}/meta`, { metadata: { resourceVersion: "1", labels: { x: "y" } } }, "application/merge-patch+json");
    expect(stale).toMatchObject({ status: 409, body: { reason: "Conflict" } });
    const status = await call("PATCH", `${NB}/meta`, { status: { readyReplicas: 1, containerState: {}, conditions: [] } }, "application/merge-patch+json");
    expect(status.body.status).toBeUndefined();
    expect(status.body.metadata.resourceVersion).toBe(current.metadata.resourceVersion);
  });

  it("lists with label selectors and the supported field selectors", async () => {
    await call("POST", NB, { ...notebook("other"), metadata: { name: "other", labels: { app: "other", team: "b" } } });
    const names = async (query: string) => ((await call("GET", `${NB}?${query}`)).body.items as Array<{ metadata: { name: string } }>).map((i) => i.metadata.name);
    expect(await names(`labelSelector=${encodeURIComponent("team=b")}`)).toEqual(["other"]);
    expect(await names(`labelSelector=${encodeURIComponent("team in (a,b),app!=meta")}`)).toEqual(["other", "warned"]);
    expect(await names(`labelSelector=${encodeURIComponent("!team")}`)).toEqual([]);
    expect(await names(`fieldSelector=${encodeURIComponent("metadata.name=meta")}`)).toEqual(["meta"]);
    const list = await call("GET", "/apis/kubeflow.org/v1/notebooks");
    expect(list.body).toMatchObject({ kind: "NotebookList", apiVersion: "kubeflow.org/v1" });
    expect(list.body.items[0]).toMatchObject({ apiVersion: "kubeflow.org/v1", kind: "Notebook" });
    const unsupported = await call("GET", `${NB}?fieldSelector=spec.foo%3Dbar`);
    expect(unsupported).toMatchObject({ status: 400, body: { reason: "BadRequest" } });

    fake.addPodEvent("lab", "other", "FailedScheduling");
    const events = await call("GET", `/api/v1/namespaces/lab/events?fieldSelector=${encodeURIComponent("involvedObject.name=other-0")}`);
    expect(events.body.items).toHaveLength(1);
    expect(events.body.items[0]).toMatchObject({ reason: "FailedScheduling", type: "Warning", involvedObject: { kind: "Pod", name: "other-0" } });
    expect(events.body.items[0].kind).toBeUndefined(); // built-in list items carry no kind
    const reissued = await call("GET", `/api/v1/namespaces/lab/events?fieldSelector=${encodeURIComponent("involvedObject.kind=Notebook,involvedObject.name=other")}`);
    expect(reissued.body.items[0].message).toMatch(/^Reissued from pod\/other-0: 0\/3 nodes are available/);
  });

  it("serves the other Notebook versions from the same object", async () => {
    const res = await call("GET", "/apis/kubeflow.org/v1beta1/namespaces/lab/notebooks/meta");
    expect(res.body.apiVersion).toBe("kubeflow.org/v1beta1");
    expect(fake.get("notebooks", "lab", "meta")!.apiVersion).toBe("kubeflow.org/v1");
  });

  it("deletes a Notebook (returning it) with its pod, and a PVC (returning a Status)", async () => {
    fake.markNotebookReady("lab", "other");
    expect(fake.get("pods", "lab", "other-0")).toBeDefined();
    const deleted = await call("DELETE", `${NB}/other`);
    expect(deleted).toMatchObject({ status: 200, body: { kind: "Notebook", metadata: { name: "other" } } });
    expect(fake.get("pods", "lab", "other-0")).toBeUndefined();

    const pvc = { apiVersion: "v1", kind: "PersistentVolumeClaim", metadata: { name: "data" }, spec: { accessModes: ["ReadWriteOnce"], resources: { requests: { storage: "10Gi" } } } };
    expect((await call("POST", "/api/v1/namespaces/lab/persistentvolumeclaims", pvc)).status).toBe(201);
    const gone = await call("DELETE", "/api/v1/namespaces/lab/persistentvolumeclaims/data");
    expect(gone.body).toMatchObject({ kind: "Status", status: "Success", details: { name: "data", kind: "persistentvolumeclaims" } });
    const noSize = await call("POST", "/api/v1/namespaces/lab/persistentvolumeclaims", { ...pvc, spec: { accessModes: ["ReadWriteOnce"] } });
    expect(noSize.status).toBe(422);
  });

  it("records every request with method, path, content type and body", async () => {
    fake.clearRequests();
    await call("PATCH", `${NB}/meta`, [{ op: "remove", path: "/metadata/annotations/kubeflow-resource-stopped" }], "application/json-patch+json");
    expect(fake.requests).toEqual([
      {
        method: "PATCH",
        path: `${NB}/meta`,
        query: {},
        contentType: "application/json-patch+json",
        body: [{ op: "remove", path: "/metadata/annotations/kubeflow-resource-stopped" }],
        status: 200,
      },
    ]);
  });
});
