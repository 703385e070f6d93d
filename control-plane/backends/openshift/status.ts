// Reads a workbench's phase, reason and history from its Notebook, its pod and the pod's events, and
// words them for people. Pure functions: the backend fetches the objects, these only interpret them.
import type { CoreV1Event, V1ContainerStatus, V1Pod, V1PodCondition } from "@kubernetes/client-node";
import type { Workbench, WorkbenchEvent, WorkbenchEventType, WorkbenchPhase } from "../../api-types";
import { findImage, findRegion, findShape, type ShapeSpec } from "../../catalogue";
import { ANNOTATIONS, LABELS, shapePlacement } from "./constants";
import type { NotebookObject } from "./manifests";
import { podName, workbenchId } from "./naming";

/** Reasons of the events this backend records on a Notebook itself. */
export const OWN_EVENT_REASONS = {
  created: "WorkbenchCreated",
  stopRequested: "StopRequested",
  startRequested: "StartRequested",
} as const;

type TimeLike = Date | string | null | undefined;

export function iso(value: TimeLike): string | null {
  if (value === null || value === undefined || value === "") return null;
  const date = value instanceof Date ? value : new Date(value);
  return Number.isNaN(date.getTime()) ? null : date.toISOString().replace(/\.\d{3}Z$/, "Z");
}

function latest(...values: TimeLike[]): string | null {
  let best: string | null = null;
  for (const value of values) {
    const t = iso(value);
    if (t && (!best || t > best)) best = t;
  }
  return best;
}

function millis(value: TimeLike): number | null {
  if (value === null || value === undefined || value === "") return null;
  const t = (value instanceof Date ? value : new Date(value)).getTime();
  return Number.isNaN(t) ? null : t;
}

/** When an event last happened, ms: the events.k8s.io time (scheduler), else the core/v1 times (kubelet, whole seconds). */
function eventMillis(event: CoreV1Event): number | null {
  return millis(event.eventTime) ?? millis(event.lastTimestamp) ?? millis(event.firstTimestamp) ?? millis(event.metadata?.creationTimestamp);
}

export function eventTime(event: CoreV1Event): string | null {
  const t = eventMillis(event);
  return t === null ? null : iso(new Date(t));
}

/** Order of the start-up steps, to order events that carry the same second. */
const STEP_ORDER: Record<string, number> = {
  WorkbenchCreated: 0,
  StartRequested: 0,
  FailedScheduling: 1,
  Scheduled: 2,
  FailedMount: 3,
  FailedAttachVolume: 3,
  Pulling: 4,
  Pulled: 5,
  Failed: 5,
  BackOff: 6,
  Created: 7,
  Started: 8,
  Killing: 9,
  StopRequested: 9,
};

export function sortEvents<T extends CoreV1Event>(events: readonly T[]): T[] {
  return [...events].sort((a, b) => {
    const ta = eventMillis(a) ?? 0;
    const tb = eventMillis(b) ?? 0;
    if (ta !== tb) return ta - tb;
    return (STEP_ORDER[a.reason ?? ""] ?? 5) - (STEP_ORDER[b.reason ?? ""] ?? 5);
  });
}

export interface WorkbenchContext {
  shape: ShapeSpec | undefined;
  regionName: string;
  imageName: string;
}

export function contextOf(notebook: NotebookObject): WorkbenchContext {
  const labels = notebook.metadata.labels ?? {};
  const regionId = labels[LABELS.regionId] ?? "";
  const image = findImage(labels[LABELS.imageId] ?? "");
  return {
    shape: findShape(labels[LABELS.shapeId] ?? ""),
    regionName: findRegion(regionId)?.name ?? (regionId || "the region"),
    imageName: image?.name ?? notebook.metadata.annotations?.[ANNOTATIONS.imageDisplayName] ?? "workbench",
  };
}

/** "Waiting for GPU capacity: no free NVIDIA H100 SXM 80GB in Oslo right now", from the scheduler's message. */
export function queuedReason(message: string | undefined, ctx: WorkbenchContext): string {
  const gpu = (ctx.shape?.gpuFraction ?? 1) > 0;
  const prefix = gpu ? "Waiting for GPU capacity" : "Waiting for capacity";
  if (!ctx.shape) return `${prefix}: ${message ?? "no room in the region right now"}`;
  const placement = shapePlacement(ctx.shape);
  const text = message ?? "";
  const insufficient = [...text.matchAll(/Insufficient ([A-Za-z0-9./_-]+)/g)].map((m) => m[1]!.replace(/[.,]+$/, ""));
  if (!text || (placement.resourceName && insufficient.includes(placement.resourceName)) || (!placement.resourceName && insufficient.length > 0)) {
    return `${prefix}: ${placement.shortage} in ${ctx.regionName} right now`;
  }
  if (insufficient.includes("cpu") || insufficient.includes("memory")) {
    return `${prefix}: the servers in ${ctx.regionName} with a free GPU have no CPU or memory to spare right now`;
  }
  if (/didn't match Pod's node affinity\/selector/.test(text) && !/untolerated taint|Insufficient/.test(text)) {
    return `${prefix}: no server in ${ctx.regionName} offers this shape yet`;
  }
  return `${prefix}: ${text}`;
}

const IMAGE_FAILURES = new Set(["ErrImagePull", "ImagePullBackOff", "InvalidImageName", "ErrImageNeverPull", "RegistryUnavailable"]);
const CONFIG_FAILURES = new Set(["CreateContainerConfigError", "CreateContainerError", "RunContainerError", "PreCreateHookError", "PostStartHookError"]);

function failureFromWaiting(reason: string | undefined, ctx: WorkbenchContext): string | null {
  if (!reason) return null;
  if (IMAGE_FAILURES.has(reason)) return `The ${ctx.imageName} image could not be downloaded`;
  if (reason === "CrashLoopBackOff") return "The notebook server keeps stopping right after it starts";
  if (CONFIG_FAILURES.has(reason)) return "The workbench container could not be created";
  return null;
}

function failureFromTerminated(reason: string | undefined): string {
  if (reason === "OOMKilled") return "The notebook server ran out of memory and was stopped";
  return "The notebook server stopped with an error";
}

function isImagePullMessage(message: string | undefined): boolean {
  return /pull|image/i.test(message ?? "");
}

/** The notebook container's events only: the auth sidecar's start-up steps are not the workbench's. */
function concernsNotebookContainer(event: CoreV1Event, containerName: string): boolean {
  const fieldPath = event.involvedObject?.fieldPath;
  return !fieldPath || !fieldPath.startsWith("spec.containers{") || fieldPath === `spec.containers{${containerName}}`;
}

function condition(pod: V1Pod | null, type: string): V1PodCondition | undefined {
  return pod?.status?.conditions?.find((c) => c.type === type);
}

/** A pod the scheduler could not place yet (what the region's queue is made of). */
export function isWaitingForCapacity(pod: V1Pod): boolean {
  const scheduled = condition(pod, "PodScheduled");
  return (pod.status?.phase ?? "Pending") === "Pending" && !pod.spec?.nodeName && scheduled?.status === "False";
}

export interface PhaseResult {
  phase: WorkbenchPhase;
  reason: string | null;
  startedAt: string | null;
}

/** The workbench phase, read the way a person watching `oc get pods` and `oc get events` would. */
export function derivePhase(notebook: NotebookObject, pod: V1Pod | null, podEvents: readonly CoreV1Event[], ctx: WorkbenchContext): PhaseResult {
  const stopped = notebook.metadata.annotations?.[ANNOTATIONS.stopped] !== undefined;
  const name = notebook.metadata.name;
  const none = { reason: null, startedAt: null };

  if (notebook.metadata.deletionTimestamp) return { phase: "DELETING", ...none };
  if (stopped) return { phase: pod ? "STOPPING" : "STOPPED", ...none };
  if (!pod) return { phase: "QUEUED", ...none };
  if (pod.metadata?.deletionTimestamp) return { phase: "STARTING", ...none };

  const statuses: V1ContainerStatus[] = pod.status?.containerStatuses ?? [];
  const own = statuses.find((s) => s.name === name);
  const ready = condition(pod, "Ready");
  const nbReady = (notebook.status?.readyReplicas ?? 0) > 0;
  if ((ready?.status === "True" || nbReady) && (own?.ready ?? ready?.status === "True")) {
    return {
      phase: "RUNNING",
      reason: null,
      startedAt: iso(ready?.lastTransitionTime) ?? iso(own?.state?.running?.startedAt) ?? notebook.status?.containerState?.running?.startedAt ?? null,
    };
  }

  for (const status of statuses) {
    const failure = failureFromWaiting(status.state?.waiting?.reason, ctx);
    if (failure) return { phase: "FAILED", reason: failure, startedAt: null };
  }
  if (own?.state?.terminated && !own.state.running) {
    return { phase: "FAILED", reason: failureFromTerminated(own.state.terminated.reason), startedAt: null };
  }

  const podUid = pod.metadata?.uid;
  const relevant = sortEvents(
    podEvents.filter((e) => (!podUid || !e.involvedObject?.uid || e.involvedObject.uid === podUid) && concernsNotebookContainer(e, name)),
  );
  const scheduled = Boolean(pod.spec?.nodeName);
  for (let i = relevant.length - 1; i >= 0; i--) {
    const event = relevant[i]!;
    switch (event.reason) {
      case "FailedScheduling":
        if (scheduled) continue;
        return { phase: "QUEUED", reason: queuedReason(event.message, ctx), startedAt: null };
      case "Scheduled":
        return { phase: "SCHEDULED", ...none };
      case "FailedMount":
      case "FailedAttachVolume":
        return { phase: "STARTING", reason: "Waiting for the storage volume to be attached", startedAt: null };
      case "Pulling":
        return { phase: "PULLING_IMAGE", ...none };
      case "Pulled":
      case "Created":
      case "Started":
        return { phase: "STARTING", ...none };
      case "BackOff":
      case "Failed":
        return {
          phase: "FAILED",
          reason: isImagePullMessage(event.message)
            ? `The ${ctx.imageName} image could not be downloaded`
            : "The notebook server keeps stopping right after it starts",
          startedAt: null,
        };
      default:
        continue;
    }
  }

  const podScheduled = condition(pod, "PodScheduled");
  if (!scheduled && podScheduled?.status === "False") {
    return { phase: "QUEUED", reason: queuedReason(podScheduled.message, ctx), startedAt: null };
  }
  if (own?.state?.running) return { phase: "STARTING", ...none };
  return { phase: scheduled ? "SCHEDULED" : "QUEUED", ...none };
}

export interface SnapshotInput {
  notebook: NotebookObject;
  pod: V1Pod | null;
  podEvents: readonly CoreV1Event[];
  queuePosition: number | null;
  appsDomain: string;
}

/** The API's Workbench from the cluster objects. Energy and GPU time come from metering, not from here. */
export function toWorkbench({ notebook, pod, podEvents, queuePosition, appsDomain }: SnapshotInput): Workbench {
  const meta = notebook.metadata;
  const labels = meta.labels ?? {};
  const annotations = meta.annotations ?? {};
  const namespace = meta.namespace ?? "";
  const ctx = contextOf(notebook);
  const { phase, reason, startedAt } = derivePhase(notebook, pod, podEvents, ctx);
  const stoppedAt = iso(annotations[ANNOTATIONS.stopped]);
  const createdAt = iso(meta.creationTimestamp) ?? new Date(0).toISOString();
  const updatedAt =
    latest(
      createdAt,
      stoppedAt,
      startedAt,
      ...(notebook.status?.conditions ?? []).map((c) => c.lastTransitionTime),
      ...podEvents.map(eventTime),
    ) ?? createdAt;
  return {
    id: workbenchId(namespace, meta.name, meta.uid ?? ""),
    externalId: annotations[ANNOTATIONS.externalId] ?? labels[LABELS.externalId] ?? "",
    tenantId: annotations[ANNOTATIONS.tenantId] ?? labels[LABELS.tenantId] ?? "",
    project: namespace,
    name: meta.name,
    displayName: annotations[ANNOTATIONS.displayName] ?? meta.name,
    owner: annotations[ANNOTATIONS.username] ?? "",
    imageId: labels[LABELS.imageId] ?? "",
    shapeId: labels[LABELS.shapeId] ?? "",
    regionId: labels[LABELS.regionId] ?? "",
    storageGb: Number(annotations[ANNOTATIONS.storageGb] ?? 0) || 0,
    idleTimeoutMinutes: Number(annotations[ANNOTATIONS.idleTimeoutMinutes] ?? 0) || 0,
    phase,
    queuePosition: phase === "QUEUED" ? queuePosition : null,
    reason,
    url: phase === "RUNNING" ? workbenchUrl(meta.name, namespace, appsDomain) : null,
    createdAt,
    updatedAt,
    startedAt,
    stoppedAt: phase === "STOPPED" || phase === "STOPPING" ? stoppedAt : null,
    lastActivityAt: iso(annotations[ANNOTATIONS.lastActivity]),
    energyWh: 0,
    gpuSeconds: 0,
  };
}

/** The route the notebook controller creates: host `<name>-<namespace>.<apps domain>`, JupyterLab under the base URL. */
export function workbenchUrl(name: string, namespace: string, appsDomain: string): string {
  return `https://${name}-${namespace}.${appsDomain}/notebook/${namespace}/${name}/lab`;
}

interface Translation {
  type: WorkbenchEventType;
  message: string;
}

function translate(event: CoreV1Event, ctx: WorkbenchContext, containerName: string): Translation | null {
  const kind = event.involvedObject?.kind;
  const reason = event.reason ?? "";
  if (kind === "Notebook") {
    switch (reason) {
      case OWN_EVENT_REASONS.created:
        return { type: "QUEUED", message: "Workbench created; waiting for the cluster to place it" };
      case OWN_EVENT_REASONS.stopRequested:
        return { type: "STOP_REQUESTED", message: "Stop requested" };
      case OWN_EVENT_REASONS.startRequested:
        return { type: "START_REQUESTED", message: "Start requested" };
      default:
        // The notebook controller re-issues every pod event on the Notebook ("Reissued from pod/…"): shown once, from the pod.
        return null;
    }
  }
  if (kind !== "Pod" || !concernsNotebookContainer(event, containerName)) return null;
  switch (reason) {
    case "FailedScheduling":
      return { type: "QUEUED", message: queuedReason(event.message, ctx) };
    case "Scheduled":
      return { type: "SCHEDULED", message: `A server in ${ctx.regionName} has room; setting up the workbench` };
    case "FailedMount":
    case "FailedAttachVolume":
      return { type: "STARTING", message: "Waiting for the storage volume to be attached" };
    case "Pulling":
      return { type: "PULLING_IMAGE", message: `Downloading the ${ctx.imageName} image` };
    case "Pulled":
      return {
        type: "STARTING",
        message: /already present/i.test(event.message ?? "")
          ? `The ${ctx.imageName} image is already on the server`
          : `Downloaded the ${ctx.imageName} image`,
      };
    case "Created":
      return { type: "STARTING", message: "Created the workbench container" };
    case "Started":
      return { type: "STARTING", message: "The notebook server started; waiting for it to answer" };
    case "Killing":
      return { type: "STOPPED", message: "The notebook server was stopped" };
    case "BackOff":
    case "Failed":
      return {
        type: "FAILED",
        message: isImagePullMessage(event.message)
          ? `The ${ctx.imageName} image could not be downloaded; the cluster keeps retrying`
          : "The notebook server stopped right after it started; the cluster keeps retrying",
      };
    default:
      return null;
  }
}

/** The workbench's history in plain English, oldest first; events nobody needs to read are left out. */
export function translateEvents(notebook: NotebookObject, events: readonly CoreV1Event[], pod: V1Pod | null): WorkbenchEvent[] {
  const ctx = contextOf(notebook);
  const id = workbenchId(notebook.metadata.namespace ?? "", notebook.metadata.name, notebook.metadata.uid ?? "");
  const out: WorkbenchEvent[] = [];
  const seen = new Set<string>();
  for (const event of sortEvents(events)) {
    const uid = event.metadata?.uid ?? `${event.metadata?.name ?? ""}`;
    if (seen.has(uid)) continue;
    seen.add(uid);
    const translation = translate(event, ctx, notebook.metadata.name);
    const at = eventTime(event);
    if (!translation || !at) continue;
    out.push({ id: uid, workbenchId: id, at, ...translation, queuePosition: null });
  }
  // Kubernetes records no event when a pod becomes ready; the Ready condition's time marks it.
  const ready = condition(pod, "Ready");
  if (pod && ready?.status === "True" && !notebook.metadata.annotations?.[ANNOTATIONS.stopped]) {
    const at = iso(ready.lastTransitionTime);
    if (at) {
      out.push({ id: `${pod.metadata?.uid ?? podName(notebook.metadata.name)}-ready`, workbenchId: id, at, type: "RUNNING", message: "The workbench is running", queuePosition: null });
    }
  }
  return out.sort((a, b) => (a.at < b.at ? -1 : a.at > b.at ? 1 : 0));
}
