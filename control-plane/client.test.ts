// The typed client against the real server (simulated backend), with injected faults.
import * as http from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { SimulatedBackend } from "./backends/simulated";
import { ControlPlaneError, createControlPlaneClient, type ControlPlaneClientOptions } from "./client";
import { startControlPlaneServer, type FaultConfig, type RunningControlPlaneServer } from "./server";
import { launchRequest, simulatedForTest } from "./test-support";

const TOKEN = "client-test-token-0123456789";
let backend: SimulatedBackend;
let run: (ms: number) => Promise<void>;
const servers: RunningControlPlaneServer[] = [];

beforeAll(async () => {
  ({ backend, run } = await simulatedForTest());
});
afterAll(async () => {
  await Promise.all(servers.map((s) => s.close()));
  await backend?.close();
});

/** A server on the shared backend; `statuses` collects the status of every answered /v1 request. */
async function serve(faults?: FaultConfig) {
  const statuses: Array<number | null> = [];
  const server = await startControlPlaneServer({
    backend,
    token: TOKEN,
    faults,
    log: (line) => {
      const entry = JSON.parse(line) as { path: string; status: number | null };
      if (entry.path.startsWith("/v1/")) statuses.push(entry.status);
    },
  });
  servers.push(server);
  return { server, statuses };
}

function client(server: RunningControlPlaneServer, options: Partial<ControlPlaneClientOptions> = {}) {
  return createControlPlaneClient({ baseUrl: server.url, token: TOKEN, backoffBaseMs: 5, backoffMaxMs: 20, ...options });
}

async function failure(promise: Promise<unknown>): Promise<ControlPlaneError> {
  const error = await promise.then(
    () => {
      throw new Error("expected a rejection");
    },
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(ControlPlaneError);
  return error as ControlPlaneError;
}

/** Resolves once the log line of a request that has ended arrived (logged on socket close). */
const settle = () => new Promise((resolve) => setTimeout(resolve, 30));

describe("control-plane client", () => {
  it("mirrors the backend: catalogue, create, read, list, start, stop, delete, events, usage", async () => {
    const { server } = await serve();
    const cp = client(server);
    expect((await cp.listRegions()).map((r) => r.id)).toEqual(["no-osl-1", "no-trd-1"]);
    expect((await cp.listShapes()).length).toBe(8);
    expect((await cp.listImages()).length).toBeGreaterThan(0);
    const req = launchRequest();
    const first = await cp.createWorkbench(req.externalId, req);
    expect(first.created).toBe(true);
    const again = await cp.createWorkbench(req.externalId, req);
    expect(again).toMatchObject({ created: false, workbench: { id: first.workbench.id } });
    expect((await cp.getWorkbench(first.workbench.id))?.id).toBe(first.workbench.id);
    expect(await cp.getWorkbench("wb-missing")).toBeNull();
    expect((await cp.listWorkbenches({ externalId: req.externalId })).map((w) => w.id)).toEqual([first.workbench.id]);
    expect((await cp.listWorkbenches({ tenantId: req.tenantId })).length).toBeGreaterThan(0);
    expect((await cp.stopWorkbench(first.workbench.id)).phase).toBe("STOPPING");
    await run(100);
    expect((await cp.startWorkbench(first.workbench.id)).phase).toBe("SCHEDULED");
    await run(400);
    expect((await cp.getWorkbench(first.workbench.id))?.phase).toBe("RUNNING");
    expect((await cp.deleteWorkbench(first.workbench.id)).phase).toBe("DELETING");
    expect((await cp.listEvents(first.workbench.id)).map((e) => e.type)).toContain("DELETE_REQUESTED");
    await run(1000);
    const page = await cp.listUsage(null, 5);
    expect(page.records.length).toBeGreaterThan(0);
    expect(await cp.listUsage(page.nextCursor, 1000)).toMatchObject({ nextCursor: expect.any(String) });
  });

  it("turns problems into typed errors", async () => {
    const { server } = await serve();
    const cp = client(server);
    const req = launchRequest();
    const { workbench } = await cp.createWorkbench(req.externalId, req);

    const conflict = await failure(cp.createWorkbench(req.externalId, { ...req, storageGb: 40 }));
    expect(conflict).toMatchObject({ kind: "conflict", status: 409, problem: { code: "idempotency_conflict" } });
    const notFound = await failure(cp.stopWorkbench("wb-missing"));
    expect(notFound).toMatchObject({ kind: "not_found", status: 404 });
    const unknown = await failure(cp.createWorkbench("k-unknown", launchRequest({ shapeId: "tpu-v5" })));
    expect(unknown).toMatchObject({ kind: "invalid", status: 400, problem: { code: "unknown_shape" } });
    await cp.deleteWorkbench(workbench.id);
    const state = await failure(cp.startWorkbench(workbench.id));
    expect(state).toMatchObject({ kind: "conflict", problem: { code: "invalid_state" } });
    const unauthorized = await failure(createControlPlaneClient({ baseUrl: server.url, token: "wrong-token" }).listRegions());
    expect(unauthorized).toMatchObject({ kind: "unauthorized", status: 401 });
  });

  it("retries on 503 and then succeeds", async () => {
    let calls = 0;
    const { server, statuses } = await serve({ errorRate: 0.5, random: () => (calls++ < 2 ? 0 : 1) });
    const regions = await client(server).listRegions();
    expect(regions).toHaveLength(2);
    await settle();
    expect(statuses).toEqual([503, 503, 200]);
  });

  it("gives up after its retries with `unavailable`", async () => {
    const { server, statuses } = await serve({ errorRate: 1 });
    const error = await failure(client(server, { retries: 2 }).listShapes());
    expect(error).toMatchObject({ kind: "unavailable", status: 503, problem: { code: "unavailable" } });
    await settle();
    expect(statuses).toEqual([503, 503, 503]);
  });

  it("reports `timeout` against a server that never answers", async () => {
    const { server } = await serve({ timeoutRate: 1 });
    const started = Date.now();
    const error = await failure(client(server, { timeoutMs: 150, retries: 1 }).listRegions());
    expect(error.kind).toBe("timeout");
    expect(error.status).toBeNull();
    expect(Date.now() - started).toBeLessThan(2000);
  });

  it("never retries a 422", async () => {
    const { server, statuses } = await serve();
    const error = await failure(client(server).createWorkbench("k-422", launchRequest({ storageGb: 1 })));
    expect(error).toMatchObject({ kind: "invalid", status: 422, problem: { code: "validation" } });
    expect(error.problem?.detail).toContain("storageGb");
    await settle();
    expect(statuses).toEqual([422]);
  });

  it("survives a crash after create: `unavailable`, then the same key returns the persisted workbench", async () => {
    const { server } = await serve({ crashAfterCreate: true });
    const req = launchRequest();

    const error = await failure(client(server, { retries: 0 }).createWorkbench(req.externalId, req));
    expect(error.kind).toBe("unavailable");
    const persisted = await backend.listWorkbenches({ externalId: req.externalId });
    expect(persisted).toHaveLength(1);

    const retried = await client(server, { retries: 0 }).createWorkbench(req.externalId, req);
    expect(retried).toMatchObject({ created: false, workbench: { id: persisted[0]?.id } });
    expect(await backend.listWorkbenches({ externalId: req.externalId })).toHaveLength(1);

    // With retries on, the client recovers by itself.
    const other = launchRequest();
    const recovered = await client(server).createWorkbench(other.externalId, other);
    expect(recovered.created).toBe(false);
    expect(await backend.listWorkbenches({ externalId: other.externalId })).toHaveLength(1);
  });

  it("reports `unavailable` when nothing listens, and `internal` (without retrying) for a malformed answer", async () => {
    const closed = await serve();
    const url = closed.server.url;
    await closed.server.close();
    const refused = await failure(createControlPlaneClient({ baseUrl: url, token: TOKEN, retries: 1, backoffBaseMs: 5 }).listRegions());
    expect(refused).toMatchObject({ kind: "unavailable", status: null });

    let hits = 0;
    const garbage = http.createServer((_req, res) => {
      hits += 1;
      res.writeHead(200, { "Content-Type": "application/json" });
      res.end(JSON.stringify({ regions: [{ id: 42 }] }));
    });
    await new Promise<void>((resolve) => garbage.listen(0, "127.0.0.1", resolve));
    try {
      const port = (garbage.address() as AddressInfo).port;
      const error = await failure(createControlPlaneClient({ baseUrl: `http://127.0.0.1:${port}`, token: TOKEN }).listRegions());
      expect(error.kind).toBe("internal");
      expect(error.message).toContain("unexpected body");
      expect(hits).toBe(1);
    } finally {
      garbage.closeAllConnections();
      await new Promise((resolve) => garbage.close(resolve));
    }
  });
});
