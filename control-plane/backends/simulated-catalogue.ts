// What the simulated backend adds to the shared catalogue (../catalogue.ts): the hardware behind each
// region (nodes), where each shape is placed, and how long each image takes to pull.
//
// Capacity model: a pool is one kind of schedulable device in a region ("h100" = whole H100 GPUs,
// "h100-mig-1g10gb" = 1g.10gb MIG slices, "cpu" = vCPUs). A node offers a number of units of one or more
// pools; a shape needs `units` of its pool on ONE node (a 4-GPU workbench cannot span two servers).
// The MIG-partitioned H100 servers use the mixed layout 1 x 3g.40gb + 4 x 1g.10gb per GPU (7 compute
// slices, 8 memory slices), so each such server offers 8 slices of 3g.40gb and 32 of 1g.10gb.
import type { CapacityUnit, Region, WorkbenchImage } from "../api-types";
import {
  H100_MODEL,
  IMAGES as CATALOGUE_IMAGES,
  L40S_MODEL,
  REGIONS as CATALOGUE_REGIONS,
  SHAPES as CATALOGUE_SHAPES,
  type ShapeSpec,
} from "../catalogue";

export interface PoolSeed {
  id: string;
  /** What the pool offers, in words (the capacity report's label): "NVIDIA H100 SXM 80GB". */
  label: string;
  /** What one of its units is. */
  unit: CapacityUnit;
}

export interface NodeSeed {
  id: string;
  regionId: string;
  pool: string;
  units: number;
}

export interface ShapeSeed extends ShapeSpec {
  pool: string;
  units: number;
  /** Completes "Waiting for ... in Oslo": "a free NVIDIA H100". */
  waitingFor: string;
}

export interface ImageSeed extends WorkbenchImage {
  /** First pull of the image into a region, seconds at speed 1 (later pulls are cached: 2 s). */
  pullSeconds: number;
}

export const REGIONS: Region[] = CATALOGUE_REGIONS.map((r) => ({ ...r }));

/** In the order the capacity report lists them within a region. */
export const POOLS: PoolSeed[] = [
  { id: "h100", label: H100_MODEL, unit: "gpu" },
  { id: "l40s", label: L40S_MODEL, unit: "gpu" },
  { id: "h100-mig-3g40gb", label: `${H100_MODEL}, MIG 3g.40gb`, unit: "mig-slice" },
  { id: "h100-mig-1g10gb", label: `${H100_MODEL}, MIG 1g.10gb`, unit: "mig-slice" },
  { id: "cpu", label: "CPU (vCPU)", unit: "vcpu" },
];

const GPUS_PER_SERVER = 8;

function nodes(regionId: string, prefix: string, count: number, pools: Record<string, number>): NodeSeed[] {
  const out: NodeSeed[] = [];
  for (let i = 1; i <= count; i++) {
    const id = `${regionId.split("-")[1]}-${prefix}-${String(i).padStart(2, "0")}`;
    for (const [pool, units] of Object.entries(pools)) out.push({ id, regionId, pool, units });
  }
  return out;
}

export const NODES: NodeSeed[] = [
  // Oslo: 4 x 8 H100, 1 MIG-partitioned H100 server, 2 x 4 L40S, 2 CPU servers of 64 vCPU.
  ...nodes("no-osl-1", "h100", 4, { h100: GPUS_PER_SERVER }),
  ...nodes("no-osl-1", "h100-mig", 1, { "h100-mig-1g10gb": 4 * GPUS_PER_SERVER, "h100-mig-3g40gb": GPUS_PER_SERVER }),
  ...nodes("no-osl-1", "l40s", 2, { l40s: 4 }),
  ...nodes("no-osl-1", "cpu", 2, { cpu: 64 }),
  // Trondheim: 2 x 8 H100, 1 MIG-partitioned H100 server, 1 x 4 L40S, 1 CPU server.
  ...nodes("no-trd-1", "h100", 2, { h100: GPUS_PER_SERVER }),
  ...nodes("no-trd-1", "h100-mig", 1, { "h100-mig-1g10gb": 4 * GPUS_PER_SERVER, "h100-mig-3g40gb": GPUS_PER_SERVER }),
  ...nodes("no-trd-1", "l40s", 1, { l40s: 4 }),
  ...nodes("no-trd-1", "cpu", 1, { cpu: 64 }),
];

/** Where a shape of the shared catalogue runs in the simulated cluster. */
function placement(shape: ShapeSpec): Pick<ShapeSeed, "pool" | "units" | "waitingFor"> {
  if (shape.migProfile) {
    return { pool: `h100-mig-${shape.migProfile.replace(".", "")}`, units: 1, waitingFor: `a free NVIDIA H100 MIG slice (${shape.migProfile})` };
  }
  if (shape.gpuModel === null) return { pool: "cpu", units: shape.vcpu, waitingFor: `${shape.vcpu} free vCPUs` };
  const [pool, label] = shape.gpuModel.includes("H100") ? ["h100", "NVIDIA H100"] : shape.gpuModel.includes("L40S") ? ["l40s", "NVIDIA L40S"] : [];
  if (!pool || !label) throw new Error(`the simulated cluster has no hardware for the shape ${shape.id} (${shape.gpuModel})`);
  const n = shape.gpuCount;
  const waitingFor =
    n === 1 ? `a free ${label}` : n === GPUS_PER_SERVER ? `a whole free ${label} server (${n} GPUs)` : `${n} free ${label} GPUs on one server`;
  return { pool, units: n, waitingFor };
}

export const SHAPES: ShapeSeed[] = CATALOGUE_SHAPES.map((shape) => ({ ...shape, ...placement(shape) }));

/** First-pull time per image at speed 1 (bigger CUDA images take longer); unknown images 15 s. */
const PULL_SECONDS: Record<string, number> = {
  "jupyter-minimal-2025.2": 10,
  "code-server-2025.2": 12,
  "jupyter-tensorflow-2025.2": 18,
  "jupyter-pytorch-2025.2": 20,
};

export const IMAGES: ImageSeed[] = CATALOGUE_IMAGES.map((image) => ({ ...image, pullSeconds: PULL_SECONDS[image.id] ?? 15 }));
