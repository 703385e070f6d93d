// The operators' capacity view: GPUs held per organisation from the portal's records (the quota rule),
// the control plane's capacity per region and pool over real HTTP, and an unreachable control plane.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { db } from "@/server/db";
import { capacityOverview, groupByRegion, listOrgGpuUse } from "@/server/operator/capacity";
import { getCapacity, resetCatalogueCache } from "@/server/notebooks/control-plane";
import type { WorkbenchDesiredState, WorkbenchStatus } from "@/generated/prisma/enums";
import { REGIONS } from "@/control-plane/catalogue";
import { createOrg, createUser } from "../fixtures";
import { startTestControlPlane } from "../control-plane-fixture";

let cp: Awaited<ReturnType<typeof startTestControlPlane>>;
let operatorId: string;

beforeAll(async () => {
  cp = await startTestControlPlane();
  const operator = await createUser("operator");
  await db.user.update({ where: { id: operator.id }, data: { platformRole: "OPERATOR" } });
  operatorId = operator.id;
});
afterAll(async () => cp?.close());
beforeEach(() => {
  cp.useHealthy();
  resetCatalogueCache();
});

let n = 0;
/** A workbench row as the portal records it (the control plane is not involved here). */
async function workbench(orgId: string, userId: string, gpuMilli: number, desiredState: WorkbenchDesiredState, status: WorkbenchStatus) {
  n += 1;
  await db.workbench.create({
    data: {
      orgId,
      createdById: userId,
      name: `wb-${n}`,
      displayName: `Workbench ${n}`,
      imageId: "jupyter-pytorch-2025.2",
      shapeId: gpuMilli === 143 ? "h100-mig-1g10gb" : "h100-1x",
      regionId: "no-osl-1",
      storageGb: 20,
      idleTimeoutMinutes: 60,
      gpuMilli,
      pricePerHourOre: 3900,
      desiredState,
      status,
    },
  });
}

describe("GPUs held per organisation", () => {
  it("sums what counts against the quota, lists active and holding organisations, most first, for operators only", async () => {
    const small = await createOrg(["OWNER"]);
    const big = await createOrg(["OWNER"]);
    const idle = await createOrg(["OWNER"]);
    const pending = await createOrg(["OWNER"], "PENDING_APPROVAL");
    const suspended = await createOrg(["OWNER"]);
    await db.organization.update({ where: { id: small.org.id }, data: { gpuQuota: 4 } });
    await db.organization.update({ where: { id: big.org.id }, data: { gpuQuota: 2 } });
    const smallOwner = small.members.OWNER!.userId;
    const bigOwner = big.members.OWNER!.userId;

    // small: 1 running + 1 queued + one MIG slice on its way = 2.143 GPUs; the rest does not count.
    await workbench(small.org.id, smallOwner, 1000, "RUNNING", "RUNNING");
    await workbench(small.org.id, smallOwner, 1000, "RUNNING", "QUEUED");
    await workbench(small.org.id, smallOwner, 143, "RUNNING", "PROVISIONING");
    await workbench(small.org.id, smallOwner, 8000, "STOPPED", "STOPPED");
    await workbench(small.org.id, smallOwner, 1000, "RUNNING", "FAILED");
    await workbench(small.org.id, smallOwner, 1000, "RUNNING", "LOST");
    await workbench(small.org.id, smallOwner, 1000, "DELETED", "DELETING");
    await workbench(small.org.id, smallOwner, 1000, "RUNNING", "DELETED");
    // big: 3 GPUs against a quota of 2 (a quota lowered after launch).
    await workbench(big.org.id, bigOwner, 2000, "RUNNING", "RUNNING");
    await workbench(big.org.id, bigOwner, 1000, "RUNNING", "STARTING");
    // A suspended organisation still holding a GPU is listed; a pending one holding nothing is not.
    await workbench(suspended.org.id, suspended.members.OWNER!.userId, 1000, "RUNNING", "STOPPING");
    await db.organization.update({ where: { id: suspended.org.id }, data: { status: "SUSPENDED" } });

    const mine = new Set([small, big, idle, pending, suspended].map((o) => o.org.id));
    const rows = (await listOrgGpuUse(operatorId)).filter((o) => mine.has(o.orgId));
    expect(rows.map((o) => [o.slug, o.status, o.heldMilli, o.quotaMilli, o.workbenches])).toEqual([
      [big.org.slug, "ACTIVE", 3000, 2000, 2],
      [small.org.slug, "ACTIVE", 2143, 4000, 3],
      [suspended.org.slug, "SUSPENDED", 1000, 8000, 1],
      [idle.org.slug, "ACTIVE", 0, 8000, 0],
    ]);

    // Not for customers, whatever their role in their own organisation.
    await expect(listOrgGpuUse(smallOwner)).rejects.toMatchObject({ code: "errors.forbidden" });
    await expect(capacityOverview(bigOwner)).rejects.toMatchObject({ code: "errors.forbidden" });
    await expect(listOrgGpuUse("no-such-user")).rejects.toMatchObject({ code: "errors.forbidden" });
  });
});

describe("capacity from the control plane", () => {
  it("groups the control plane's pools by region with the region's name and site, and follows a launch", async () => {
    const before = await capacityOverview(operatorId);
    expect(before.cluster).not.toBeNull();
    const regions = before.cluster!.regions;
    expect(regions.map((r) => r.region)).toEqual(REGIONS.map(({ id, name, dataCentre }) => ({ id, name, dataCentre })));
    const h100 = () => regions.flatMap((r) => r.pools).find((p) => p.regionId === "no-osl-1" && p.pool === "h100")!;
    expect(h100()).toMatchObject({ unit: "gpu", nodes: 4, unitsTotal: 32, unitsUsed: 0 });

    // Launch straight on the control plane (the portal's launch path is tested elsewhere).
    await cp.backend.createWorkbench("cap-1", {
      externalId: "cap-1",
      tenantId: "org-cap",
      tenantSlug: "cap",
      name: "cap-1",
      displayName: "Capacity",
      owner: "a@example.no",
      imageId: "jupyter-pytorch-2025.2",
      shapeId: "h100-4x",
      regionId: "no-osl-1",
      storageGb: 20,
      idleTimeoutMinutes: 60,
    });
    const after = await getCapacity();
    expect(after.pools.find((p) => p.regionId === "no-osl-1" && p.pool === "h100")).toMatchObject({ unitsUsed: 4, unitsTotal: 32 });
  });

  it("keeps a region the catalogue does not know, under its id, after the known ones", () => {
    const pool = { pool: "x", label: "X", unit: "gpu" as const, nodes: 1, unitsTotal: 1, unitsUsed: 0, running: 0, queued: 0 };
    const grouped = groupByRegion(
      { generatedAt: new Date().toISOString(), pools: [{ ...pool, regionId: "se-sto-1" }, { ...pool, regionId: "no-trd-1" }, { ...pool, regionId: "no-osl-1" }] },
      REGIONS,
    );
    expect(grouped.map((g) => [g.region.id, g.region.name])).toEqual([
      ["no-osl-1", "Oslo"],
      ["no-trd-1", "Trondheim"],
      ["se-sto-1", "se-sto-1"],
    ]);
  });

  it("shows the organisations without the cluster when the control plane fails or cannot be reached, never an error", async () => {
    await cp.useFaulty({ errorRate: 1 });
    const failing = await capacityOverview(operatorId);
    expect(failing.cluster).toBeNull();
    expect(failing.orgs.length).toBeGreaterThan(0);

    process.env.CONTROL_PLANE_URL = "http://127.0.0.1:9"; // nothing listens on the discard port
    resetCatalogueCache();
    const gone = await capacityOverview(operatorId);
    expect(gone.cluster).toBeNull();
    expect(gone.orgs.length).toBeGreaterThan(0);
  });
});
