// Converging portal records with the control plane: submit launches, pass on stop/start/delete,
// copy the actual state back. Safe to repeat; never creates twice (the record id is the idempotency key).
import "server-only";
import type { Workbench as CpWorkbench } from "@/control-plane/api-types";
import { ControlPlaneError } from "@/control-plane/client";
import type { Workbench as WorkbenchRow, WorkbenchStatus } from "@/generated/prisma/client";
import { db } from "../db";
import { recordAudit } from "../audit/record";
import { controlPlane } from "./control-plane";

const SYSTEM_ACTOR = { actorId: null, actorLabel: "system:reconciler", ip: "127.0.0.1", userAgent: "portal-worker" };

export const FINAL_STATUSES: WorkbenchStatus[] = ["DELETED", "LOST"];
export const ACTIVE_STATUSES: WorkbenchStatus[] = ["PROVISIONING", "QUEUED", "SCHEDULED", "PULLING_IMAGE", "STARTING", "RUNNING", "STOPPING", "DELETING"];

/** The columns that follow the control plane's view of a workbench. */
export function stateFromControlPlane(row: Pick<WorkbenchRow, "runSecondsBefore" | "runningSince">, cp: CpWorkbench, now = new Date()) {
  const status = cp.phase as WorkbenchStatus;
  let runSecondsBefore = row.runSecondsBefore;
  let runningSince = row.runningSince;
  if (status === "RUNNING") {
    runningSince ??= cp.startedAt ? new Date(cp.startedAt) : now;
  } else if (runningSince) {
    const end = cp.stoppedAt ? new Date(cp.stoppedAt) : now;
    runSecondsBefore += Math.max(0, (end.getTime() - runningSince.getTime()) / 1000);
    runningSince = null;
  }
  return {
    controlPlaneId: cp.id,
    status,
    reason: cp.reason,
    queuePosition: cp.queuePosition,
    url: cp.url,
    energyWh: cp.energyWh,
    gpuSeconds: cp.gpuSeconds,
    lastActivityAt: cp.lastActivityAt ? new Date(cp.lastActivityAt) : null,
    runSecondsBefore,
    runningSince,
    lastSyncedAt: now,
    lastError: null,
  };
}

async function applyControlPlaneState(row: WorkbenchRow, cp: CpWorkbench): Promise<WorkbenchRow> {
  return db.workbench.update({ where: { id: row.id }, data: stateFromControlPlane(row, cp) });
}

function describe(error: unknown): string {
  if (error instanceof ControlPlaneError) return `${error.kind}: ${error.message}`.slice(0, 300);
  return String(error).slice(0, 300);
}

/** Brings one workbench record one step closer to its desired state; returns the updated row. */
export async function convergeWorkbench(id: string): Promise<WorkbenchRow | null> {
  const row = await db.workbench.findUnique({ where: { id } });
  if (!row || FINAL_STATUSES.includes(row.status)) return row;
  const cp = controlPlane();
  try {
    let remote: CpWorkbench | null = null;
    if (row.controlPlaneId) {
      remote = await cp.getWorkbench(row.controlPlaneId).catch((error: unknown) => {
        if (error instanceof ControlPlaneError && error.kind === "not_found") return null;
        throw error;
      });
      if (!remote) return markLost(row);
    } else {
      // Never answered before: look it up by our id, create it (idempotently) if it truly is not there.
      remote = (await cp.listWorkbenches({ externalId: row.id }))[0] ?? null;
      if (!remote && row.desiredState !== "RUNNING") {
        // Stopped or deleted before the control plane ever had it: nothing to create.
        const status = row.desiredState === "DELETED" ? "DELETED" : "STOPPED";
        return db.workbench.update({ where: { id: row.id }, data: { status, lastSyncedAt: new Date(), lastError: null } });
      }
      if (!remote) {
        await db.workbench.update({ where: { id: row.id }, data: { submitAttempts: { increment: 1 } } });
        const [org, owner] = await Promise.all([
          db.organization.findUniqueOrThrow({ where: { id: row.orgId }, select: { slug: true } }),
          db.user.findUnique({ where: { id: row.createdById }, select: { email: true } }),
        ]);
        // The owner must be an e-mail address; an account deleted since launch gets a neutral one.
        remote = (await cp.createWorkbench(row.id, createRequest(row, org.slug, owner?.email ?? `former-member@${org.slug}.invalid`))).workbench;
      }
    }

    if (!remote) throw new Error("control plane returned no workbench");
    let current: CpWorkbench = remote;
    if (row.desiredState === "DELETED" && !["DELETING", "DELETED"].includes(current.phase)) {
      current = await cp.deleteWorkbench(current.id);
    } else if (row.desiredState === "STOPPED" && !["STOPPING", "STOPPED", "FAILED", "DELETING", "DELETED"].includes(current.phase)) {
      current = await cp.stopWorkbench(current.id);
    } else if (row.desiredState === "RUNNING" && current.phase === "STOPPED" && row.status === "QUEUED") {
      // The user asked to start it again (status QUEUED was set by the start action).
      current = await cp.startWorkbench(current.id);
    }
    return applyControlPlaneState(row, current);
  } catch (error) {
    return db.workbench.update({ where: { id: row.id }, data: { lastError: describe(error), lastSyncedAt: new Date() } });
  }
}

/** The create request for a record; identical on every retry, so the idempotency key always matches. */
export function createRequest(row: WorkbenchRow, tenantSlug: string, owner: string) {
  return {
    externalId: row.id,
    tenantId: row.orgId,
    tenantSlug,
    name: row.name,
    displayName: row.displayName,
    owner,
    imageId: row.imageId,
    shapeId: row.shapeId,
    regionId: row.regionId,
    storageGb: row.storageGb,
    idleTimeoutMinutes: row.idleTimeoutMinutes,
  };
}

async function markLost(row: WorkbenchRow): Promise<WorkbenchRow> {
  return db.$transaction(async (tx) => {
    const updated = await tx.workbench.update({
      where: { id: row.id },
      data: { status: row.desiredState === "DELETED" ? "DELETED" : "LOST", runningSince: null, url: null, lastSyncedAt: new Date() },
    });
    await recordAudit(tx, SYSTEM_ACTOR, {
      orgId: row.orgId,
      action: row.desiredState === "DELETED" ? "notebook.deleted" : "notebook.vanished",
      targetType: "workbench",
      targetId: row.id,
      details: { name: row.name },
    });
    return updated;
  });
}

/** Records that still need the control plane: not final, and either unsettled or worth refreshing. */
export async function workbenchesToReconcile(limit = 100) {
  return db.workbench.findMany({
    where: { status: { notIn: FINAL_STATUSES } },
    orderBy: { lastSyncedAt: { sort: "asc", nulls: "first" } },
    take: limit,
    select: { id: true },
  });
}
