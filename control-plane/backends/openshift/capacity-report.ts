// The capacity report on OpenShift: the nodes of each portal region grouped into pools by a node label
// (default nvidia.com/gpu.product, the GPU feature discovery label), their allocatable whole GPUs, MIG slices
// or vCPUs, what the pods placed on them request, and the workbench pods that run or wait for room.
import type { V1Node, V1Pod } from "@kubernetes/client-node";
import type { CapacityReport, CapacityUnit, PoolCapacity } from "../../api-types";
import { REGIONS, findShape, type ShapeSpec } from "../../catalogue";
import { fits, holdsResources, podRequests, quantities } from "./capacity";
import { GPU_RESOURCE, LABELS, MANAGED_BY, gpuModelOfProduct, shapePlacement } from "./constants";
import { isWaitingForCapacity } from "./status";

const MIG_RESOURCE = /^nvidia\.com\/mig-(.+)$/;
/** MIG "single" strategy: the product label gets the profile appended and the slices are offered as nvidia.com/gpu. */
const SINGLE_MIG_PRODUCT = /^(.+)-MIG-(.+)$/;
const CPU_LABEL = "CPU (vCPU)";
/** Nodes that run the cluster itself, never workbenches. */
const CLUSTER_ROLES = ["node-role.kubernetes.io/master", "node-role.kubernetes.io/control-plane", "node-role.kubernetes.io/infra"];
const UNIT_ORDER: Record<CapacityUnit, number> = { gpu: 0, "mig-slice": 1, vcpu: 2 };

/** One pool a node belongs to: the extended resource (or cpu) whose units it offers there. */
export interface NodePool {
  pool: string;
  label: string;
  unit: CapacityUnit;
  resource: string;
  units: number;
}

const round3 = (n: number) => Math.round(n * 1000) / 1000;

function gpuName(product: string | undefined): string {
  return product ? gpuModelOfProduct(product) : "GPU";
}

/**
 * The pools of one node: one for its whole GPUs and one per MIG profile it offers (mixed strategy); a node
 * without GPUs is in a vCPU pool. The pool id is the value of `poolLabel` (for MIG + "/mig-<profile>");
 * without that label, the GPU product, or "cpu".
 */
export function nodePools(node: V1Node, poolLabel: string): NodePool[] {
  const labels = node.metadata?.labels ?? {};
  const allocatable = quantities(node.status?.allocatable);
  const product = labels[LABELS.gpuProduct];
  const named = labels[poolLabel] || undefined;
  const gpuPool = named ?? product ?? "gpu";
  const pools: NodePool[] = [];
  const gpus = allocatable[GPU_RESOURCE] ?? 0;
  if (gpus > 0) {
    const single = product ? SINGLE_MIG_PRODUCT.exec(product) : null;
    pools.push({
      pool: gpuPool,
      label: single ? `${gpuName(single[1])}, MIG ${single[2]}` : gpuName(product),
      unit: single ? "mig-slice" : "gpu",
      resource: GPU_RESOURCE,
      units: gpus,
    });
  }
  for (const [resource, units] of Object.entries(allocatable).sort(([a], [b]) => a.localeCompare(b))) {
    const mig = MIG_RESOURCE.exec(resource);
    if (!mig || units <= 0) continue;
    pools.push({ pool: `${gpuPool}/mig-${mig[1]}`, label: `${gpuName(product)}, MIG ${mig[1]}`, unit: "mig-slice", resource, units });
  }
  if (pools.length === 0) pools.push({ pool: named ?? "cpu", label: CPU_LABEL, unit: "vcpu", resource: "cpu", units: allocatable.cpu ?? 0 });
  return pools;
}

/** The pool a waiting workbench of this shape would have, when no node of its region can take it at all. */
function poolForShape(shape: ShapeSpec): Omit<NodePool, "units"> {
  const placement = shapePlacement(shape);
  if (!placement.resourceName) return { pool: "cpu", label: CPU_LABEL, unit: "vcpu", resource: "cpu" };
  const product = placement.gpuProducts[0] ?? "gpu";
  const model = shape.gpuModel ?? gpuName(product);
  if (shape.migProfile) {
    return { pool: `${product}/mig-${shape.migProfile}`, label: `${model}, MIG ${shape.migProfile}`, unit: "mig-slice", resource: placement.resourceName };
  }
  return { pool: product, label: model, unit: "gpu", resource: placement.resourceName };
}

function isWorkbenchPod(pod: V1Pod): boolean {
  return pod.metadata?.labels?.[LABELS.managedBy] === MANAGED_BY;
}

function isReady(pod: V1Pod): boolean {
  return !pod.metadata?.deletionTimestamp && (pod.status?.conditions ?? []).some((c) => c.type === "Ready" && c.status === "True");
}

/** The GPU or MIG resource a pod asks for, else cpu: which of its node's pools it runs in. */
function deviceOf(pod: V1Pod): string {
  const requests = podRequests(pod);
  return Object.keys(requests).find((r) => (r === GPU_RESOURCE || MIG_RESOURCE.test(r)) && (requests[r] ?? 0) > 0) ?? "cpu";
}

/**
 * Capacity per region and pool from all nodes and the pods that are not finished. Used units are the requests
 * of every pod placed on the pool's nodes (workbenches and any other workload); running counts workbench pods
 * that are Ready; queued counts workbench pods the scheduler could not place yet (as listShapes does).
 */
export function capacityReport(nodes: readonly V1Node[], pods: readonly V1Pod[], poolLabel: string, now: Date): CapacityReport {
  const regionOrder = new Map(REGIONS.map((r, i) => [r.id, i]));
  const rows = new Map<string, PoolCapacity & { resource: string }>();
  /** Node name -> its pools (resource -> row key). */
  const nodeRows = new Map<string, Map<string, string>>();

  const rowFor = (regionId: string, p: Omit<NodePool, "units">): string => {
    const key = `${regionId}\u0000${p.pool}`;
    if (!rows.has(key)) {
      rows.set(key, { regionId, pool: p.pool, label: p.label, unit: p.unit, resource: p.resource, nodes: 0, unitsTotal: 0, unitsUsed: 0, running: 0, queued: 0 });
    }
    return key;
  };

  const sortedNodes = [...nodes].sort((a, b) => (a.metadata?.name ?? "").localeCompare(b.metadata?.name ?? ""));
  for (const node of sortedNodes) {
    const labels = node.metadata?.labels ?? {};
    const regionId = labels[LABELS.region];
    if (!regionId || !regionOrder.has(regionId) || CLUSTER_ROLES.some((role) => role in labels)) continue;
    const byResource = new Map<string, string>();
    for (const p of nodePools(node, poolLabel)) {
      const key = rowFor(regionId, p);
      const row = rows.get(key)!;
      row.nodes += 1;
      row.unitsTotal += p.units;
      byResource.set(p.resource, key);
    }
    nodeRows.set(node.metadata?.name ?? "", byResource);
  }

  for (const pod of pods) {
    if (holdsResources(pod)) {
      const byResource = nodeRows.get(pod.spec?.nodeName ?? "");
      if (!byResource) continue;
      const requests = podRequests(pod);
      for (const [resource, key] of byResource) rows.get(key)!.unitsUsed += requests[resource] ?? 0;
      if (isWorkbenchPod(pod) && isReady(pod)) {
        const key = byResource.get(deviceOf(pod));
        if (key) rows.get(key)!.running += 1;
      }
      continue;
    }
    if (!isWorkbenchPod(pod) || !isWaitingForCapacity(pod)) continue;
    const labels = pod.metadata?.labels ?? {};
    const regionId = labels[LABELS.regionId] ?? "";
    const shape = findShape(labels[LABELS.shapeId] ?? "");
    if (!shape || !regionOrder.has(regionId)) continue;
    // The pool of the first node that could ever take it; a pool without nodes when there is none.
    const resource = shapePlacement(shape).resourceName ?? "cpu";
    const fitting = sortedNodes.find((n) => fits(n, shape, regionId) && nodeRows.get(n.metadata?.name ?? "")?.has(resource));
    const key = fitting ? nodeRows.get(fitting.metadata?.name ?? "")!.get(resource)! : rowFor(regionId, poolForShape(shape));
    rows.get(key)!.queued += 1;
  }

  const pools = [...rows.values()]
    .sort(
      (a, b) =>
        (regionOrder.get(a.regionId) ?? 0) - (regionOrder.get(b.regionId) ?? 0) ||
        UNIT_ORDER[a.unit] - UNIT_ORDER[b.unit] ||
        a.pool.localeCompare(b.pool),
    )
    .map(({ resource: _resource, ...row }) => ({ ...row, unitsTotal: round3(row.unitsTotal), unitsUsed: round3(row.unitsUsed) }));
  return { generatedAt: now.toISOString(), pools };
}
