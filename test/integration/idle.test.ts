import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { db } from "@/server/db";
import { cullIdleNotebooks, warningLeadMinutes } from "@/server/notebooks/idle";
import { createOrg } from "../fixtures";
import { startTestControlPlane } from "../control-plane-fixture";

let cp: Awaited<ReturnType<typeof startTestControlPlane>>;
beforeAll(async () => {
  cp = await startTestControlPlane();
});
afterAll(async () => cp?.close());

async function runningWorkbench(orgId: string, userId: string, idleForMinutes: number) {
  return db.workbench.create({
    data: {
      orgId, createdById: userId, name: `idle-${Math.random().toString(36).slice(2, 8)}`, displayName: "Idle one", imageId: "jupyter-minimal-2025.2", shapeId: "cpu-8",
      regionId: "no-osl-1", storageGb: 10, idleTimeoutMinutes: 60, gpuMilli: 0, pricePerHourOre: 240, status: "RUNNING", desiredState: "RUNNING",
      runningSince: new Date(Date.now() - 3 * 3600_000), lastActivityAt: new Date(Date.now() - idleForMinutes * 60_000),
    },
  });
}

describe("idle culling", () => {
  it("warns shortly before the timeout, once, by e-mail and in the portal", async () => {
    const { org, members } = await createOrg(["DATA_SCIENTIST"]);
    const wb = await runningWorkbench(org.id, members.DATA_SCIENTIST!.userId, 60 - warningLeadMinutes(60) + 1);
    const first = await cullIdleNotebooks();
    expect(first.warned).toBeGreaterThanOrEqual(1);
    expect((await db.workbench.findUniqueOrThrow({ where: { id: wb.id } })).idleWarnedAt).not.toBeNull();
    expect(await db.outboxEmail.count({ where: { to: members.DATA_SCIENTIST!.email, subject: { contains: "stopped soon" } } })).toBe(1);
    await cullIdleNotebooks();
    expect(await db.outboxEmail.count({ where: { to: members.DATA_SCIENTIST!.email } })).toBe(1);
    expect(await db.auditEvent.count({ where: { orgId: org.id, action: "notebook.idle_warning" } })).toBe(1);
  });

  it("stops a notebook idle past its timeout, audited as the system, and tells the owner", async () => {
    const { org, members } = await createOrg(["DATA_SCIENTIST"]);
    const wb = await runningWorkbench(org.id, members.DATA_SCIENTIST!.userId, 61);
    const result = await cullIdleNotebooks();
    expect(result.stopped).toBeGreaterThanOrEqual(1);
    const row = await db.workbench.findUniqueOrThrow({ where: { id: wb.id } });
    expect(row.desiredState).toBe("STOPPED");
    const event = await db.auditEvent.findFirstOrThrow({ where: { orgId: org.id, action: "notebook.idle_stopped" } });
    expect(event.actorLabel).toBe("system:idle-culler");
    expect(await db.outboxEmail.count({ where: { to: members.DATA_SCIENTIST!.email, subject: { contains: "was stopped" } } })).toBe(1);
  });

  it("leaves active notebooks alone and clears a warning when activity resumes", async () => {
    const { org, members } = await createOrg(["DATA_SCIENTIST"]);
    const busy = await runningWorkbench(org.id, members.DATA_SCIENTIST!.userId, 5);
    const warnedEarlier = await runningWorkbench(org.id, members.DATA_SCIENTIST!.userId, 1);
    await db.workbench.update({ where: { id: warnedEarlier.id }, data: { idleWarnedAt: new Date(Date.now() - 10 * 60_000) } });
    await cullIdleNotebooks();
    expect((await db.workbench.findUniqueOrThrow({ where: { id: busy.id } })).idleWarnedAt).toBeNull();
    expect((await db.workbench.findUniqueOrThrow({ where: { id: warnedEarlier.id } })).idleWarnedAt).toBeNull();
    expect((await db.workbench.findUniqueOrThrow({ where: { id: busy.id } })).desiredState).toBe("RUNNING");
  });
});
