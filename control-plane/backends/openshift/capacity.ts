// How many workbenches of each shape fit in each region right now: the nodes' allocatable GPUs (whole or
// MIG slices), CPU and memory, minus the requests of the pods already placed on them.
import type { V1Node, V1Pod, V1Taint, V1Toleration } from "@kubernetes/client-node";
import type { Shape, ShapeCapacity } from "../../api-types";
import { REGIONS, SHAPES, findShape, type ShapeSpec } from "../../catalogue";
import { LABELS, shapePlacement } from "./constants";
import { shapeTolerations } from "./manifests";
import { parseQuantity } from "./quantity";
import { isWaitingForCapacity } from "./status";

export type Resources = Record<string, number>;

function add(into: Resources, from: Resources, factor = 1): void {
  for (const [k, v] of Object.entries(from)) into[k] = (into[k] ?? 0) + v * factor;
}

export function quantities(map: Record<string, string> | undefined): Resources {
  const out: Resources = {};
  for (const [k, v] of Object.entries(map ?? {})) {
    const n = parseQuantity(v);
    if (Number.isFinite(n)) out[k] = n;
  }
  return out;
}

/**
 * What the scheduler reserves for a pod: the larger of the containers' sum and the biggest init container,
 * plus overhead. A container without a request but with a limit requests its limit (API defaulting).
 */
export function podRequests(pod: V1Pod): Resources {
  const containerRequests = (c: { resources?: { requests?: Record<string, string>; limits?: Record<string, string> } }) => ({
    ...quantities(c.resources?.limits),
    ...quantities(c.resources?.requests),
  });
  const sum: Resources = {};
  for (const c of pod.spec?.containers ?? []) add(sum, containerRequests(c));
  for (const c of pod.spec?.initContainers ?? []) {
    for (const [k, v] of Object.entries(containerRequests(c))) sum[k] = Math.max(sum[k] ?? 0, v);
  }
  add(sum, quantities(pod.spec?.overhead));
  return sum;
}

function tolerates(tolerations: readonly V1Toleration[], taint: V1Taint): boolean {
  return tolerations.some(
    (t) =>
      (t.effect === undefined || t.effect === "" || t.effect === taint.effect) &&
      (t.operator === "Exists" ? t.key === undefined || t.key === "" || t.key === taint.key : t.key === taint.key && (t.value ?? "") === (taint.value ?? "")),
  );
}

export function isSchedulable(node: V1Node): boolean {
  const ready = node.status?.conditions?.find((c) => c.type === "Ready");
  return ready?.status === "True" && !node.spec?.unschedulable;
}

/** Whether a workbench of this shape could ever run on the node (labels, taints, GPU kind). */
export function fits(node: V1Node, shape: ShapeSpec, regionId: string): boolean {
  const labels = node.metadata?.labels ?? {};
  if (labels[LABELS.region] !== regionId || !isSchedulable(node)) return false;
  const tolerations = shapeTolerations(shape);
  for (const taint of node.spec?.taints ?? []) {
    if ((taint.effect === "NoSchedule" || taint.effect === "NoExecute") && !tolerates(tolerations, taint)) return false;
  }
  const placement = shapePlacement(shape);
  if (!placement.resourceName) return true;
  const product = labels[LABELS.gpuProduct];
  if (shape.migProfile) {
    // Mixed MIG strategy keeps the GPU's product name; the single strategy appends "-MIG-<profile>".
    return product === undefined || placement.gpuProducts.some((p) => product === p || product.startsWith(`${p}-MIG`));
  }
  return product !== undefined && placement.gpuProducts.includes(product);
}

function needs(shape: ShapeSpec): Resources {
  const placement = shapePlacement(shape);
  return {
    cpu: shape.vcpu,
    memory: shape.memoryGb * 2 ** 30,
    ...(placement.resourceName ? { [placement.resourceName]: placement.resourceCount } : {}),
  };
}

function slots(available: Resources, need: Resources): number {
  let n = Number.POSITIVE_INFINITY;
  for (const [k, v] of Object.entries(need)) {
    if (v <= 0) continue;
    n = Math.min(n, Math.floor(Math.max(0, available[k] ?? 0) / v + 1e-9));
  }
  return Number.isFinite(n) ? n : 0;
}

/** A pod that holds resources on a node: placed, and neither finished nor failed. */
export function holdsResources(pod: V1Pod): boolean {
  const phase = pod.status?.phase;
  return Boolean(pod.spec?.nodeName) && phase !== "Succeeded" && phase !== "Failed";
}

/** Workbench pods waiting for room, per region and shape ("<region>|<shape>"). */
export function queuedCounts(pods: readonly V1Pod[]): Map<string, number> {
  const counts = new Map<string, number>();
  for (const pod of pods) {
    if (!isWaitingForCapacity(pod)) continue;
    const labels = pod.metadata?.labels ?? {};
    const key = `${labels[LABELS.regionId] ?? ""}|${labels[LABELS.shapeId] ?? ""}`;
    counts.set(key, (counts.get(key) ?? 0) + 1);
  }
  return counts;
}

/** The catalogue's shapes with capacity per region, from the nodes and all pods of the cluster. */
export function shapesWithCapacity(nodes: readonly V1Node[], pods: readonly V1Pod[]): Shape[] {
  const used = new Map<string, Resources>();
  for (const pod of pods) {
    if (!holdsResources(pod)) continue;
    const node = pod.spec!.nodeName!;
    const total = used.get(node) ?? {};
    add(total, podRequests(pod));
    used.set(node, total);
  }
  const queued = queuedCounts(pods);

  return SHAPES.map((shape) => {
    const need = needs(shape);
    const capacity: ShapeCapacity[] = REGIONS.map((region) => {
      let total = 0;
      let available = 0;
      for (const node of nodes) {
        if (!fits(node, shape, region.id)) continue;
        const allocatable = quantities(node.status?.allocatable);
        total += slots(allocatable, need);
        const free = { ...allocatable };
        add(free, used.get(node.metadata?.name ?? "") ?? {}, -1);
        available += slots(free, need);
      }
      return { regionId: region.id, available, total, queued: queued.get(`${region.id}|${shape.id}`) ?? 0 };
    });
    return { ...shape, capacity };
  });
}

/** The pool a workbench queues in: region and the kind of device it waits for. */
export function queuePoolOf(pod: V1Pod): string | null {
  const labels = pod.metadata?.labels ?? {};
  const shape = findShape(labels[LABELS.shapeId] ?? "");
  const region = labels[LABELS.regionId];
  if (!shape || !region) return null;
  const placement = shapePlacement(shape);
  return `${region}|${placement.resourceName ?? "cpu"}|${shape.gpuModel ?? ""}`;
}

/** Position (1 = next) of each waiting workbench pod in its region's queue for the same kind of device. */
export function queuePositions(pods: readonly V1Pod[]): Map<string, number> {
  const pools = new Map<string, V1Pod[]>();
  for (const pod of pods) {
    if (!isWaitingForCapacity(pod)) continue;
    const pool = queuePoolOf(pod);
    if (!pool) continue;
    pools.set(pool, [...(pools.get(pool) ?? []), pod]);
  }
  const positions = new Map<string, number>();
  for (const waiting of pools.values()) {
    waiting.sort((a, b) => {
      const ta = new Date(a.metadata?.creationTimestamp ?? 0).getTime();
      const tb = new Date(b.metadata?.creationTimestamp ?? 0).getTime();
      return ta - tb || `${a.metadata?.namespace}/${a.metadata?.name}`.localeCompare(`${b.metadata?.namespace}/${b.metadata?.name}`);
    });
    waiting.forEach((pod, i) => positions.set(`${pod.metadata?.namespace}/${pod.metadata?.name}`, i + 1));
  }
  return positions;
}
