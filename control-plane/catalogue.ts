// The provider's regions, workbench shapes and images: one list shared by every control-plane backend.
// Plain data only (no imports with side effects), so the portal, the simulated backend and the OpenShift
// backend can all import it. Shapes carry no capacity here: each backend measures that itself.

import type { Region, Shape, WorkbenchImage } from "./api-types";

export type ShapeSpec = Omit<Shape, "capacity">;

export const REGIONS: readonly Region[] = [
  { id: "no-osl-1", name: "Oslo", dataCentre: "Oslo DC1 (Ulven)", country: "NO", gridZone: "NO1" },
  { id: "no-trd-1", name: "Trondheim", dataCentre: "Trondheim DC1 (Sluppen)", country: "NO", gridZone: "NO3" },
];

export const H100_MODEL = "NVIDIA H100 SXM 80GB";
export const L40S_MODEL = "NVIDIA L40S 48GB";

/** Power of one GPU, watts: max from the NVIDIA datasheets; idle estimated (H100: the A100 idle/max ratio applied to 700 W). */
export const GPU_POWER_W = {
  [H100_MODEL]: { idle: 79, max: 700 },
  [L40S_MODEL]: { idle: 35, max: 350 },
} as const;

const round1 = (n: number): number => Math.round(n * 10) / 10;

function h100(count: 1 | 2 | 4 | 8): ShapeSpec {
  return {
    id: `h100-${count}x`,
    name: `${count} x NVIDIA H100 SXM 80GB`,
    gpuModel: H100_MODEL,
    gpuCount: count,
    migProfile: null,
    gpuMemoryGb: 80 * count,
    gpuFraction: 1,
    vcpu: 24 * count,
    memoryGb: 240 * count,
    powerIdleW: GPU_POWER_W[H100_MODEL].idle * count,
    powerMaxW: GPU_POWER_W[H100_MODEL].max * count,
  };
}

/** A MIG slice of an H100: its power profile is the GPU's scaled by its share of the 7 compute slices. */
function h100Mig(profile: "1g.10gb" | "3g.40gb", slices: number, gpuMemoryGb: number, vcpu: number, memoryGb: number): ShapeSpec {
  const fraction = slices / 7;
  return {
    id: `h100-mig-${profile.replace(".", "")}`,
    name: `NVIDIA H100 MIG ${profile} (${slices}/7 GPU)`,
    gpuModel: H100_MODEL,
    gpuCount: 0,
    migProfile: profile,
    gpuMemoryGb,
    gpuFraction: fraction,
    vcpu,
    memoryGb,
    powerIdleW: round1(GPU_POWER_W[H100_MODEL].idle * fraction),
    powerMaxW: round1(GPU_POWER_W[H100_MODEL].max * fraction),
  };
}

export const SHAPES: readonly ShapeSpec[] = [
  h100(1),
  h100(2),
  h100(4),
  h100(8),
  h100Mig("1g.10gb", 1, 10, 4, 32),
  h100Mig("3g.40gb", 3, 40, 12, 120),
  {
    id: "l40s-1x",
    name: "1 x NVIDIA L40S 48GB",
    gpuModel: L40S_MODEL,
    gpuCount: 1,
    migProfile: null,
    gpuMemoryGb: 48,
    gpuFraction: 1,
    vcpu: 16,
    memoryGb: 128,
    powerIdleW: GPU_POWER_W[L40S_MODEL].idle,
    powerMaxW: GPU_POWER_W[L40S_MODEL].max,
  },
  {
    id: "cpu-8",
    name: "8 vCPU, 32 GB (no GPU)",
    gpuModel: null,
    gpuCount: 0,
    migProfile: null,
    gpuMemoryGb: 0,
    gpuFraction: 0,
    vcpu: 8,
    memoryGb: 32,
    powerIdleW: 20,
    powerMaxW: 120,
  },
];

/** OpenShift AI keeps its workbench image streams in its applications namespace; the internal registry serves them there. */
const IMAGE_REGISTRY = "image-registry.openshift-image-registry.svc:5000/redhat-ods-applications";
const IMAGE_TAG = "2025.2";

export const IMAGES: readonly WorkbenchImage[] = [
  {
    id: "jupyter-minimal-2025.2",
    name: "Minimal Python",
    description: "JupyterLab with Python 3.12 and the scientific basics (NumPy, pandas). Runs on any shape.",
    image: `${IMAGE_REGISTRY}/s2i-minimal-notebook:${IMAGE_TAG}`,
    gpu: false,
  },
  {
    id: "jupyter-pytorch-2025.2",
    name: "PyTorch",
    description: "JupyterLab with PyTorch, CUDA and Hugging Face libraries.",
    image: `${IMAGE_REGISTRY}/pytorch:${IMAGE_TAG}`,
    gpu: true,
  },
  {
    id: "jupyter-tensorflow-2025.2",
    name: "TensorFlow",
    description: "JupyterLab with TensorFlow and CUDA.",
    image: `${IMAGE_REGISTRY}/tensorflow:${IMAGE_TAG}`,
    gpu: true,
  },
  {
    id: "code-server-2025.2",
    name: "VS Code (code-server)",
    description: "Visual Studio Code in the browser with Python 3.12. Runs on any shape.",
    image: `${IMAGE_REGISTRY}/code-server-notebook:${IMAGE_TAG}`,
    gpu: false,
  },
];

export function findRegion(id: string): Region | undefined {
  return REGIONS.find((r) => r.id === id);
}

export function findShape(id: string): ShapeSpec | undefined {
  return SHAPES.find((s) => s.id === id);
}

export function findImage(id: string): WorkbenchImage | undefined {
  return IMAGES.find((i) => i.id === id);
}
