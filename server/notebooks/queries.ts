// Reading notebooks for members of the organisation, refreshed from the control plane.
import "server-only";
import type { Workbench as WorkbenchRow } from "@/generated/prisma/client";
import type { WorkbenchEvent } from "@/control-plane/api-types";
import { db } from "../db";
import { AppError } from "../errors";
import { assertCan, type OrgMembership } from "../orgs/queries";
import { can } from "../permissions";
import { currentFactorSet } from "../carbon/factors";
import { controlPlane, regionGridZones } from "./control-plane";
import { ACTIVE_STATUSES, convergeWorkbench } from "./sync";

export interface NotebookView {
  id: string;
  name: string;
  displayName: string;
  status: WorkbenchRow["status"];
  desiredState: WorkbenchRow["desiredState"];
  reason: string | null;
  queuePosition: number | null;
  url: string | null;
  shapeId: string;
  regionId: string;
  imageId: string;
  storageGb: number;
  idleTimeoutMinutes: number;
  pricePerHourOre: number;
  costSoFarOre: number;
  energyWh: number;
  co2eG: number | null;
  createdAt: string;
  createdBy: string;
  lastError: string | null;
  idleWarning: boolean;
  canManage: boolean;
}

/** Seconds the workbench has been running in total, including the current run. */
export function runSeconds(row: Pick<WorkbenchRow, "runSecondsBefore" | "runningSince">, now = new Date()): number {
  return row.runSecondsBefore + (row.runningSince ? Math.max(0, (now.getTime() - row.runningSince.getTime()) / 1000) : 0);
}

/** Cost so far in whole øre, rounded half up: hourly price x running time. */
export function costSoFarOre(row: Pick<WorkbenchRow, "runSecondsBefore" | "runningSince" | "pricePerHourOre">, now = new Date()): number {
  return Math.round((row.pricePerHourOre * runSeconds(row, now)) / 3600);
}

async function toViews(membership: OrgMembership, rows: Array<WorkbenchRow & { createdByName: string }>): Promise<NotebookView[]> {
  const [factors, zoneOf] = await Promise.all([currentFactorSet(), regionGridZones()]);
  const manage = can(membership.role, "notebooks.manage", membership.org.status);
  const now = new Date();
  return rows.map((row) => {
    const zone = zoneOf.get(row.regionId);
    const co2eG = factors && zone ? (row.energyWh / 1000) * factors.get("pue.site") * factors.get(`grid.location.${zone}`) : null;
    return {
      id: row.id,
      name: row.name,
      displayName: row.displayName,
      status: row.status,
      desiredState: row.desiredState,
      reason: row.reason,
      queuePosition: row.queuePosition,
      url: row.status === "RUNNING" ? row.url : null,
      shapeId: row.shapeId,
      regionId: row.regionId,
      imageId: row.imageId,
      storageGb: row.storageGb,
      idleTimeoutMinutes: row.idleTimeoutMinutes,
      pricePerHourOre: row.pricePerHourOre,
      costSoFarOre: costSoFarOre(row, now),
      energyWh: row.energyWh,
      co2eG,
      createdAt: row.createdAt.toISOString(),
      createdBy: row.createdByName,
      lastError: row.lastError ? "control-plane" : null,
      idleWarning: row.idleWarnedAt !== null && row.status === "RUNNING",
      canManage: manage,
    };
  });
}

async function withCreators(rows: WorkbenchRow[]) {
  const users = await db.user.findMany({ where: { id: { in: [...new Set(rows.map((r) => r.createdById))] } }, select: { id: true, name: true } });
  const names = new Map(users.map((u) => [u.id, u.name]));
  return rows.map((r) => ({ ...r, createdByName: names.get(r.createdById) ?? "—" }));
}

/** Refreshes unsettled notebooks from the control plane (bounded), so polling shows live state. */
async function refresh(rows: WorkbenchRow[]): Promise<WorkbenchRow[]> {
  const stale = rows.filter((r) => ACTIVE_STATUSES.includes(r.status) && (!r.lastSyncedAt || Date.now() - r.lastSyncedAt.getTime() > 1500)).slice(0, 20);
  if (stale.length === 0) return rows;
  const updated = new Map((await Promise.all(stale.map((r) => convergeWorkbench(r.id)))).filter(Boolean).map((r) => [r!.id, r!]));
  return rows.map((r) => updated.get(r.id) ?? r);
}

/** The organisation's notebooks (not deleted), newest first, with live state. */
export async function listNotebooks(membership: OrgMembership, options: { refresh?: boolean } = {}): Promise<NotebookView[]> {
  assertCan(membership, "notebooks.view");
  let rows = await db.workbench.findMany({ where: { orgId: membership.org.id, status: { not: "DELETED" } }, orderBy: { createdAt: "desc" }, take: 200 });
  if (options.refresh !== false) rows = await refresh(rows);
  return toViews(membership, await withCreators(rows));
}

/** One notebook with its event log from the control plane; events are empty when it cannot answer. */
export async function getNotebook(membership: OrgMembership, id: string): Promise<{ notebook: NotebookView; events: WorkbenchEvent[]; eventsAvailable: boolean }> {
  assertCan(membership, "notebooks.view");
  if (!/^[A-Za-z0-9_-]{1,64}$/.test(id)) throw new AppError("errors.notFound");
  let row = await db.workbench.findFirst({ where: { id, orgId: membership.org.id } });
  if (!row) throw new AppError("errors.notFound");
  row = (await refresh([row]))[0] ?? row;
  let events: WorkbenchEvent[] = [];
  let eventsAvailable = false;
  if (row!.controlPlaneId) {
    try {
      events = await controlPlane().listEvents(row!.controlPlaneId);
      eventsAvailable = true;
    } catch {
      eventsAvailable = false;
    }
  }
  const [notebook] = await toViews(membership, await withCreators([row!]));
  return { notebook: notebook!, events, eventsAvailable };
}

/** GPUs held against the quota, in thousandths, and the quota. */
export async function quotaUsage(membership: OrgMembership) {
  assertCan(membership, "notebooks.view");
  const [org, held] = await Promise.all([
    db.organization.findUniqueOrThrow({ where: { id: membership.org.id }, select: { gpuQuota: true } }),
    db.workbench.aggregate({
      where: { orgId: membership.org.id, desiredState: "RUNNING", status: { notIn: ["DELETED", "LOST", "FAILED"] } },
      _sum: { gpuMilli: true },
    }),
  ]);
  return { usedMilli: held._sum.gpuMilli ?? 0, quotaMilli: org.gpuQuota * 1000 };
}
