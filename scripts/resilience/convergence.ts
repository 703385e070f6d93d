// Do the portal's workbench records and the control plane agree? Reads the portal's `workbench` table
// and the control plane's list endpoint (with its service token) and names every disagreement:
// unsettled records, state mismatches, orphans on the control plane, duplicates.
import type { Workbench as CpWorkbench } from "../../control-plane/api-types";
import { CONTROL_PLANE_TOKEN, sleep, type ScenarioContext } from "./context";

export interface PortalWorkbench {
  id: string;
  orgId: string;
  name: string;
  displayName: string;
  status: string;
  desiredState: string;
  controlPlaneId: string | null;
  lastError: string | null;
  createdAt: Date;
}

/** States a record may rest in; anything else must move on by itself. */
const SETTLED = new Set(["RUNNING", "STOPPED", "FAILED", "DELETED", "LOST"]);
/** Which resting states fit which wish. */
const FITS: Record<string, string[]> = {
  RUNNING: ["RUNNING", "FAILED", "LOST"],
  STOPPED: ["STOPPED", "FAILED", "LOST"],
  DELETED: ["DELETED"],
};

export async function portalWorkbenches(ctx: ScenarioContext, where = "TRUE", params: unknown[] = []): Promise<PortalWorkbench[]> {
  const { rows } = await ctx.db.query<PortalWorkbench>(
    `SELECT id, org_id AS "orgId", name, display_name AS "displayName", status, desired_state AS "desiredState",
            control_plane_id AS "controlPlaneId", last_error AS "lastError", created_at AS "createdAt"
       FROM workbench WHERE ${where} ORDER BY created_at`,
    params,
  );
  return rows;
}

/** Every workbench the control plane knows (all tenants), straight from its API. */
export async function controlPlaneWorkbenches(ctx: ScenarioContext): Promise<CpWorkbench[]> {
  const response = await fetch(`${ctx.harness.controlPlaneUrl}/v1/workbenches`, {
    headers: { authorization: `Bearer ${CONTROL_PLANE_TOKEN}` },
    signal: AbortSignal.timeout(10_000),
  });
  if (!response.ok) throw new Error(`control plane list: HTTP ${response.status}`);
  return ((await response.json()) as { workbenches: CpWorkbench[] }).workbenches;
}

export interface Disagreement {
  kind: "unsettled" | "mismatch" | "orphan" | "duplicate" | "missing";
  workbench: string;
  detail: string;
}

/** Disagreements between the portal's records (optionally only `ids`) and the control plane. */
export async function disagreements(ctx: ScenarioContext, ids?: Set<string>): Promise<Disagreement[]> {
  const [rows, remote] = await Promise.all([portalWorkbenches(ctx), controlPlaneWorkbenches(ctx)]);
  const out: Disagreement[] = [];
  const byId = new Map(rows.map((r) => [r.id, r]));
  const remoteById = new Map(remote.map((w) => [w.id, w]));
  const interesting = (id: string) => !ids || ids.has(id);

  for (const row of rows) {
    if (!interesting(row.id)) continue;
    const label = `${row.displayName} (${row.id})`;
    if (!SETTLED.has(row.status)) {
      out.push({ kind: "unsettled", workbench: label, detail: `${row.status}, wants ${row.desiredState}${row.lastError ? `; last error: ${row.lastError}` : ""}` });
      continue;
    }
    if (!(FITS[row.desiredState] ?? []).includes(row.status)) {
      out.push({ kind: "unsettled", workbench: label, detail: `rests ${row.status} but wants ${row.desiredState}` });
    }
    if (!row.controlPlaneId) continue; // never reached the control plane (stopped or deleted before)
    const cp = remoteById.get(row.controlPlaneId);
    if (!cp) {
      if (!["DELETED", "LOST"].includes(row.status)) out.push({ kind: "missing", workbench: label, detail: `portal says ${row.status}, control plane has no ${row.controlPlaneId}` });
      continue;
    }
    if (cp.externalId !== row.id) out.push({ kind: "mismatch", workbench: label, detail: `control plane ${cp.id} belongs to ${cp.externalId}` });
    else if (cp.phase !== row.status && !(row.status === "LOST" && cp.phase === "DELETED")) {
      out.push({ kind: "mismatch", workbench: label, detail: `portal ${row.status}, control plane ${cp.phase}` });
    }
  }

  const live = remote.filter((w) => w.phase !== "DELETED");
  const perExternal = new Map<string, CpWorkbench[]>();
  for (const w of remote) perExternal.set(w.externalId, [...(perExternal.get(w.externalId) ?? []), w]);
  for (const [externalId, list] of perExternal) {
    if (list.length > 1 && interesting(externalId)) {
      out.push({ kind: "duplicate", workbench: externalId, detail: `${list.length} control-plane workbenches: ${list.map((w) => `${w.id} ${w.phase}`).join(", ")}` });
    }
  }
  for (const w of live) {
    const row = byId.get(w.externalId);
    if (!row) {
      out.push({ kind: "orphan", workbench: `${w.displayName} (${w.id})`, detail: `${w.phase} on the control plane, no portal record ${w.externalId}` });
    } else if (interesting(row.id) && (row.controlPlaneId !== w.id || ["DELETED", "LOST"].includes(row.status))) {
      out.push({ kind: "orphan", workbench: `${w.displayName} (${w.id})`, detail: `${w.phase} on the control plane; the portal record ${row.id} is ${row.status} with control-plane id ${row.controlPlaneId ?? "none"}` });
    }
  }
  return out;
}

/** Waits until nothing disagrees (or the timeout passes); the answer says how long it took. */
export async function waitForConvergence(ctx: ScenarioContext, timeoutMs: number, ids?: Set<string>): Promise<{ converged: boolean; ms: number; remaining: Disagreement[] }> {
  const started = Date.now();
  let remaining: Disagreement[] = [];
  for (;;) {
    try {
      remaining = await disagreements(ctx, ids);
    } catch (error) {
      remaining = [{ kind: "unsettled", workbench: "-", detail: `cannot compare: ${error instanceof Error ? error.message : String(error)}` }];
    }
    if (remaining.length === 0) return { converged: true, ms: Date.now() - started, remaining };
    if (Date.now() - started >= timeoutMs) return { converged: false, ms: Date.now() - started, remaining };
    await sleep(1_000);
  }
}

export const describeDisagreements = (list: Disagreement[], limit = 12): string[] => [
  ...list.slice(0, limit).map((d) => `${d.kind}: ${d.workbench}: ${d.detail}`),
  ...(list.length > limit ? [`... and ${list.length - limit} more`] : []),
];
