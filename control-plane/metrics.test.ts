// Metrics of both ends of the control-plane API against the real server (simulated backend): every
// client call counted once by operation and outcome, and the server's /metrics with request latency by
// OpenAPI path template and the outcome of every operation. Client and server record into metric sets
// of their own here, as they would in their own processes.
import * as http from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createMetrics, type PortalMetrics } from "../server/observability/metrics";
import type { ControlPlaneBackend } from "./api-types";
import type { SimulatedBackend } from "./backends/simulated";
import { ControlPlaneError, createControlPlaneClient, type ControlPlaneClientOptions } from "./client";
import { startControlPlaneServer, type FaultConfig, type RunningControlPlaneServer } from "./server";
import { launchRequest, simulatedForTest } from "./test-support";

const TOKEN = "metrics-test-token-0123456789";
let backend: SimulatedBackend;
const servers: RunningControlPlaneServer[] = [];

beforeAll(async () => {
  ({ backend } = await simulatedForTest());
});
afterAll(async () => {
  await Promise.all(servers.map((s) => s.close()));
  await backend?.close();
});

async function serve(options: { faults?: FaultConfig; backend?: ControlPlaneBackend } = {}) {
  const metrics = createMetrics();
  const server = await startControlPlaneServer({ backend: options.backend ?? backend, token: TOKEN, faults: options.faults, metrics, log: () => undefined });
  servers.push(server);
  return { server, metrics };
}

function client(url: string, metrics: PortalMetrics, options: Partial<ControlPlaneClientOptions> = {}) {
  return createControlPlaneClient({ baseUrl: url, token: TOKEN, backoffBaseMs: 5, backoffMaxMs: 20, metrics, ...options });
}

/** { "operation outcome": count } of portal_control_plane_calls_total. */
async function calls(metrics: PortalMetrics): Promise<Record<string, number>> {
  const { values } = await metrics.controlPlaneCalls.get();
  return Object.fromEntries(values.filter((v) => v.value > 0).map((v) => [`${v.labels.operation} ${v.labels.outcome}`, v.value]));
}

async function durationCount(metrics: PortalMetrics, operation: string, outcome: string): Promise<number | undefined> {
  const { values } = await metrics.controlPlaneCallDuration.get();
  return values.find((v) => v.metricName === "portal_control_plane_call_duration_seconds_count" && v.labels.operation === operation && v.labels.outcome === outcome)?.value;
}

const rejection = (promise: Promise<unknown>) =>
  promise.then(
    () => {
      throw new Error("expected a rejection");
    },
    (error: unknown) => error as ControlPlaneError,
  );

/** Lets the server's close handlers (which record its metrics) run. */
const settle = () => new Promise((resolve) => setTimeout(resolve, 30));

describe("client call metrics", () => {
  it("counts and times each call once, by operationId and outcome", async () => {
    const { server } = await serve();
    const metrics = createMetrics();
    const cp = client(server.url, metrics);
    await cp.listRegions();
    await cp.listShapes();
    const req = launchRequest();
    const { workbench } = await cp.createWorkbench(req.externalId, req);
    await cp.getWorkbench(workbench.id);
    expect(await cp.getWorkbench("wb-missing")).toBeNull();
    await rejection(cp.stopWorkbench("wb-missing"));
    await rejection(cp.createWorkbench("k-422", launchRequest({ storageGb: 1 })));
    await rejection(createControlPlaneClient({ baseUrl: server.url, token: "wrong-token", metrics }).listImages());
    await cp.listUsage(null, 5);
    await cp.getCapacity();

    expect(await calls(metrics)).toEqual({
      "listRegions ok": 1,
      "listShapes ok": 1,
      "createWorkbench ok": 1,
      "createWorkbench client_error": 1,
      "getWorkbench ok": 1,
      "getWorkbench client_error": 1,
      "stopWorkbench client_error": 1,
      "listImages client_error": 1,
      "listUsage ok": 1,
      "getCapacity ok": 1,
    });
    expect(await durationCount(metrics, "listRegions", "ok")).toBe(1);
    expect(await durationCount(metrics, "stopWorkbench", "client_error")).toBe(1);
  });

  it("counts a call with retries once, by how it ended: ok after 503s, server_error when they never stop", async () => {
    let n = 0;
    const flaky = await serve({ faults: { errorRate: 0.5, random: () => (n++ < 2 ? 0 : 1) } });
    const metrics = createMetrics();
    await client(flaky.server.url, metrics).listRegions();
    const down = await serve({ faults: { errorRate: 1 } });
    const error = await rejection(client(down.server.url, metrics, { retries: 2 }).listShapes());
    expect(error.status).toBe(503);
    expect(await calls(metrics)).toEqual({ "listRegions ok": 1, "listShapes server_error": 1 });
    await settle();
    // The servers saw every attempt.
    expect(await calls(flaky.metrics)).toEqual({ "listRegions server_error": 2, "listRegions ok": 1 });
    expect(await calls(down.metrics)).toEqual({ "listShapes server_error": 3 });
  });

  it("tells timeouts from unreachable servers and malformed answers", async () => {
    const metrics = createMetrics();
    const held = await serve({ faults: { timeoutRate: 1 } });
    expect((await rejection(client(held.server.url, metrics, { timeoutMs: 100, retries: 0 }).listEvents("wb-1"))).kind).toBe("timeout");

    const gone = await serve();
    await gone.server.close();
    expect((await rejection(client(gone.server.url, metrics, { retries: 1 }).listWorkbenches({}))).kind).toBe("unavailable");

    const garbage = http.createServer((_req, res) => {
      res.writeHead(200, { "Content-Type": "application/json" });
      res.end(JSON.stringify({ regions: [{ id: 42 }] }));
    });
    await new Promise<void>((resolve) => garbage.listen(0, "127.0.0.1", resolve));
    try {
      const url = `http://127.0.0.1:${(garbage.address() as AddressInfo).port}`;
      expect((await rejection(client(url, metrics).listRegions())).kind).toBe("internal");
    } finally {
      garbage.closeAllConnections();
      await new Promise((resolve) => garbage.close(resolve));
    }
    expect(await calls(metrics)).toEqual({ "listEvents timeout": 1, "listWorkbenches unreachable": 1, "listRegions server_error": 1 });
  });

  it("counts a connection dropped after create as unreachable, and the recovered retry as ok", async () => {
    const crashing = await serve({ faults: { crashAfterCreate: true } });
    const metrics = createMetrics();
    const req = launchRequest();
    expect((await rejection(client(crashing.server.url, metrics, { retries: 0 }).createWorkbench(req.externalId, req))).kind).toBe("unavailable");
    await client(crashing.server.url, metrics, { retries: 0 }).createWorkbench(req.externalId, req);
    expect(await calls(metrics)).toEqual({ "createWorkbench unreachable": 1, "createWorkbench ok": 1 });
    await settle();
    expect(await calls(crashing.metrics)).toEqual({ "createWorkbench unreachable": 1, "createWorkbench ok": 1 });
  });
});

describe("control-plane /metrics", () => {
  it("serves Prometheus text without a token and without faults", async () => {
    const { server } = await serve({ faults: { errorRate: 1, latencyMs: 0 } });
    const response = await fetch(`${server.url}/metrics`);
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toMatch(/^text\/plain; version=0\.0\.4/);
    expect(await response.text()).toContain("# TYPE portal_http_request_duration_seconds histogram");
  });

  it("times requests by OpenAPI path template and counts the outcome of every operation", async () => {
    const { server, metrics } = await serve();
    const cp = client(server.url, createMetrics());
    const req = launchRequest();
    const { workbench } = await cp.createWorkbench(req.externalId, req);
    await cp.getWorkbench(workbench.id);
    await cp.getWorkbench("wb-does-not-exist");
    await cp.listEvents(workbench.id);
    await fetch(`${server.url}/v1/regions`);
    await fetch(`${server.url}/v1/nothing-here`, { headers: { Authorization: `Bearer ${TOKEN}` } });
    await fetch(`${server.url}/healthz`);
    await settle();

    const text = await (await fetch(`${server.url}/metrics`)).text();
    const count = (route: string, method: string, status: string) =>
      new RegExp(`^portal_http_request_duration_seconds_count\\{route="${route.replace(/[[\]{}]/g, "\\$&")}",method="${method}",status="${status}"\\} (\\d+)$`, "m").exec(text)?.[1];
    expect(count("/v1/workbenches", "POST", "201")).toBe("1");
    expect(count("/v1/workbenches/{id}", "GET", "200")).toBe("1");
    expect(count("/v1/workbenches/{id}", "GET", "404")).toBe("1");
    expect(count("/v1/workbenches/{id}/events", "GET", "200")).toBe("1");
    expect(count("/v1/regions", "GET", "401")).toBe("1");
    expect(count("[unmatched]", "GET", "404")).toBe("1");
    expect(count("/healthz", "GET", "200")).toBe("1");
    expect(text).not.toContain(workbench.id);

    expect(await calls(metrics)).toEqual({
      "createWorkbench ok": 1,
      "getWorkbench ok": 1,
      "getWorkbench client_error": 1,
      "listEvents ok": 1,
      "listRegions client_error": 1,
    });
  });

  it("counts a backend it cannot reach as unreachable and a bug as server_error", async () => {
    const failing: ControlPlaneBackend = {
      ...backend,
      listRegions: () => Promise.reject(new Error("boom")),
      listShapes: () => Promise.reject(Object.assign(new Error("connect ECONNREFUSED"), { code: "ECONNREFUSED" })),
    };
    const { server, metrics } = await serve({ backend: failing });
    const cp = client(server.url, createMetrics(), { retries: 0 });
    await rejection(cp.listRegions());
    await rejection(cp.listShapes());
    await settle();
    expect(await calls(metrics)).toEqual({ "listRegions server_error": 1, "listShapes unreachable": 1 });
  });
});

describe("control-plane /readyz", () => {
  it("checks the backend's database, not only its catalogue", async () => {
    const { backend: lonely } = await simulatedForTest();
    const { server } = await serve({ backend: lonely });
    expect((await fetch(`${server.url}/readyz`)).status).toBe(200);
    await lonely.close(); // its connection pool is gone: the database cannot be reached
    const response = await fetch(`${server.url}/readyz`);
    expect(response.status).toBe(503);
    expect(await response.json()).toMatchObject({ code: "unavailable" });
  });

  it("uses the backend's own checkReady() when it has one", async () => {
    let checks = 0;
    let healthy = true;
    const probing = {
      ...backend,
      listShapes: () => Promise.reject(new Error("must not be used for readiness")),
      checkReady: async () => {
        checks++;
        if (!healthy) throw new Error("the Kubernetes API does not answer");
      },
    };
    const { server } = await serve({ backend: probing });
    expect((await fetch(`${server.url}/readyz`)).status).toBe(200);
    healthy = false;
    const response = await fetch(`${server.url}/readyz`);
    expect(response.status).toBe(503);
    expect(await response.text()).toContain("the Kubernetes API does not answer");
    expect(checks).toBe(2);
  });
});
