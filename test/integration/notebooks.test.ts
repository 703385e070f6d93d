import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { db } from "@/server/db";
import { registerLaunch, startNotebook, stopNotebook, deleteNotebook } from "@/server/notebooks/operations";
import { convergeWorkbench } from "@/server/notebooks/sync";
import { resetCatalogueCache } from "@/server/notebooks/control-plane";
import { controlPlane } from "@/server/notebooks/control-plane";
import { callerFor, createOrg } from "../fixtures";
import { startTestControlPlane } from "../control-plane-fixture";
import { FACTOR_SET, FACTORS, SHAPE_OFFERS } from "@/prisma/catalogue-seed";

let cp: Awaited<ReturnType<typeof startTestControlPlane>>;

beforeAll(async () => {
  for (const offer of SHAPE_OFFERS) await db.shapeOffer.upsert({ where: { shapeId: offer.shapeId }, create: offer, update: {} });
  if (!(await db.carbonFactorSet.findUnique({ where: { id: FACTOR_SET.id } }))) await db.carbonFactorSet.create({ data: { ...FACTOR_SET, factors: { create: FACTORS } } });
  cp = await startTestControlPlane();
});
afterAll(async () => cp?.close());
beforeEach(() => {
  cp.useHealthy();
  resetCatalogueCache();
});

const launchInput = (orgId: string, overrides: Record<string, string> = {}) => ({
  orgId, displayName: "Training run", imageId: "jupyter-pytorch-2025.2", shapeId: "h100-1x", regionId: "no-osl-1", storageGb: "50", idleTimeoutMinutes: "60", ...overrides,
});

async function settle(id: string, until: (status: string) => boolean, rounds = 60) {
  for (let i = 0; i < rounds; i++) {
    await cp.backend.tick();
    const row = await convergeWorkbench(id);
    if (row && until(row.status)) return row;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`workbench ${id} did not settle: ${(await db.workbench.findUnique({ where: { id } }))?.status}`);
}

async function launch(orgId: string, userId: string, overrides: Record<string, string> = {}) {
  const result = await registerLaunch.run(callerFor(userId), launchInput(orgId, overrides));
  if (!result.ok) throw new Error(`launch refused: ${result.error} ${JSON.stringify(result.fieldErrors)}`);
  return result.data.workbenchId;
}

describe("notebooks through the control plane", () => {
  it("records before calling, then launches, stops, starts and deletes over real HTTP", async () => {
    const { org, members } = await createOrg(["OWNER", "DATA_SCIENTIST"]);
    const user = members.DATA_SCIENTIST!.userId;
    const id = await launch(org.id, user);
    const recorded = await db.workbench.findUniqueOrThrow({ where: { id } });
    expect(recorded).toMatchObject({ status: "PROVISIONING", controlPlaneId: null, gpuMilli: 1000, pricePerHourOre: 3900 });

    const running = await settle(id, (s) => s === "RUNNING");
    expect(running.controlPlaneId).toBeTruthy();
    expect(running.url).toMatch(/^http/);
    const remote = await controlPlane().getWorkbench(running.controlPlaneId!);
    expect(remote).toMatchObject({ externalId: id, tenantId: org.id, shapeId: "h100-1x" });

    expect(await stopNotebook.run(callerFor(user), { orgId: org.id, workbenchId: id })).toMatchObject({ ok: true });
    await settle(id, (s) => s === "STOPPED");
    expect(await startNotebook.run(callerFor(user), { orgId: org.id, workbenchId: id })).toMatchObject({ ok: true });
    await settle(id, (s) => s === "RUNNING");
    expect(await deleteNotebook.run(callerFor(user), { orgId: org.id, workbenchId: id })).toMatchObject({ ok: true });
    await settle(id, (s) => s === "DELETED");

    const actions = (await db.auditEvent.findMany({ where: { orgId: org.id, targetId: id }, orderBy: { seq: "asc" } })).map((e) => e.action);
    expect(actions).toEqual(["notebook.launch_requested", "notebook.stop_requested", "notebook.start_requested", "notebook.delete_requested"]);
  });

  it("never creates twice: 20 concurrent submissions of one record give one workbench", async () => {
    const { org, members } = await createOrg(["OWNER"]);
    const id = await launch(org.id, members.OWNER!.userId);
    await Promise.all(Array.from({ length: 20 }, () => convergeWorkbench(id)));
    const remote = await controlPlane().listWorkbenches({ tenantId: org.id });
    expect(remote).toHaveLength(1);
    expect(remote[0]!.externalId).toBe(id);
  });

  it("enforces the GPU quota under concurrent launches", async () => {
    const { org, members } = await createOrg(["OWNER"]);
    await db.organization.update({ where: { id: org.id }, data: { gpuQuota: 2 } });
    const results = await Promise.all(
      Array.from({ length: 6 }, (_, i) => registerLaunch.run(callerFor(members.OWNER!.userId), launchInput(org.id, { displayName: `q${i}` }))),
    );
    expect(results.filter((r) => r.ok)).toHaveLength(2);
    expect(results.filter((r) => !r.ok).every((r) => !r.ok && r.error === "errors.quotaExceeded")).toBe(true);
    expect(await db.workbench.count({ where: { orgId: org.id } })).toBe(2);
  });

  it("refuses launches in a pending organisation and by viewers", async () => {
    const pending = await createOrg(["OWNER"], "PENDING_APPROVAL");
    expect(await registerLaunch.run(callerFor(pending.members.OWNER!.userId), launchInput(pending.org.id))).toMatchObject({ ok: false, error: "errors.orgNotActive" });
    const active = await createOrg(["VIEWER"]);
    expect(await registerLaunch.run(callerFor(active.members.VIEWER!.userId), launchInput(active.org.id))).toMatchObject({ ok: false, error: "errors.forbidden" });
    expect(await db.workbench.count({ where: { orgId: { in: [pending.org.id, active.org.id] } } })).toBe(0);
  });

  it("control plane down before the call: a clear message and nothing recorded", async () => {
    const { org, members } = await createOrg(["OWNER"]);
    process.env.CONTROL_PLANE_URL = "http://127.0.0.1:9"; // nothing listens there
    const result = await registerLaunch.run(callerFor(members.OWNER!.userId), launchInput(org.id));
    expect(result).toMatchObject({ ok: false, error: "errors.controlPlaneUnavailable" });
    expect(await db.workbench.count({ where: { orgId: org.id } })).toBe(0);
  });

  it("control plane failing on create: the record waits with the error, the reconciler finishes it once", async () => {
    const { org, members } = await createOrg(["OWNER"]);
    const id = await launch(org.id, members.OWNER!.userId); // catalogue fetched while healthy
    await cp.useFaulty({ errorRate: 1 });
    const waiting = await convergeWorkbench(id);
    expect(waiting).toMatchObject({ status: "PROVISIONING", controlPlaneId: null });
    expect(waiting!.lastError).toMatch(/unavailable/);
    cp.useHealthy();
    const converged = await settle(id, (s) => s === "RUNNING");
    expect(converged.lastError).toBeNull();
    expect(await controlPlane().listWorkbenches({ tenantId: org.id })).toHaveLength(1);
  });

  it("control plane crashing between accepting a create and answering: no orphan, no duplicate", async () => {
    const { org, members } = await createOrg(["OWNER"]);
    const id = await launch(org.id, members.OWNER!.userId);
    await cp.useFaulty({ crashAfterCreate: true });
    await convergeWorkbench(id);
    await convergeWorkbench(id);
    cp.useHealthy();
    const converged = await settle(id, (s) => s === "RUNNING");
    const remote = await controlPlane().listWorkbenches({ tenantId: org.id });
    expect(remote).toHaveLength(1);
    expect(remote[0]!.id).toBe(converged.controlPlaneId);
  });

  it("a slow control plane times out with a clear failure and no duplicate", async () => {
    const { org, members } = await createOrg(["OWNER"]);
    const id = await launch(org.id, members.OWNER!.userId);
    process.env.CONTROL_PLANE_TIMEOUT_MS = "300";
    try {
      await cp.useFaulty({ latencyMs: 1500 });
      const row = await convergeWorkbench(id);
      expect(row!.lastError).toMatch(/timeout|unavailable/);
    } finally {
      delete process.env.CONTROL_PLANE_TIMEOUT_MS;
    }
    cp.useHealthy();
    await settle(id, (s) => s === "RUNNING");
    expect(await controlPlane().listWorkbenches({ tenantId: org.id })).toHaveLength(1);
  });

  it("marks a workbench that vanished from the control plane", async () => {
    const { org, members } = await createOrg(["OWNER"]);
    const id = await launch(org.id, members.OWNER!.userId);
    const row = await settle(id, (s) => s === "RUNNING");
    await db.workbench.update({ where: { id }, data: { controlPlaneId: "wb_doesnotexist" } });
    expect((await convergeWorkbench(id))!.status).toBe("LOST");
    expect(await db.auditEvent.count({ where: { orgId: org.id, action: "notebook.vanished" } })).toBe(1);
    expect(row.controlPlaneId).not.toBe("wb_doesnotexist");
  });

  it("a restarted simulated control plane loses nothing", async () => {
    const { org, members } = await createOrg(["OWNER"]);
    const id = await launch(org.id, members.OWNER!.userId);
    const row = await settle(id, (s) => s === "RUNNING");
    await cp.close();
    cp = await startTestControlPlane();
    resetCatalogueCache();
    const again = await convergeWorkbench(id);
    expect(again).toMatchObject({ status: "RUNNING", controlPlaneId: row.controlPlaneId });
  });
});
