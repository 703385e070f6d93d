// Label and annotation keys on the objects this backend creates, and the OpenShift specifics of each shape.
import { H100_MODEL, L40S_MODEL, type ShapeSpec } from "../../catalogue";

export const MANAGED_BY = "nordlys-control-plane";

export const LABELS = {
  /** The OpenShift AI dashboard lists only resources carrying this label ("true"). */
  dashboard: "opendatahub.io/dashboard",
  odhManaged: "opendatahub.io/odh-managed",
  modelmeshEnabled: "modelmesh-enabled",
  app: "app",
  managedBy: "app.kubernetes.io/managed-by",
  tenantId: "nordlys.cloud/tenant-id",
  externalId: "nordlys.cloud/external-id",
  shapeId: "nordlys.cloud/shape-id",
  regionId: "nordlys.cloud/region-id",
  imageId: "nordlys.cloud/image-id",
  /** sha256 of the idempotency key (label values are limited to 63 characters); the key itself is an annotation. */
  idempotencyKeyHash: "nordlys.cloud/idempotency-key-sha256",
  /** Set by the notebook controller on the workbench pod. */
  notebookName: "notebook-name",
  /** Node labels. */
  region: "topology.kubernetes.io/region",
  gpuProduct: "nvidia.com/gpu.product",
} as const;

export const ANNOTATIONS = {
  displayName: "openshift.io/display-name",
  injectAuth: "notebooks.opendatahub.io/inject-auth",
  lastImageSelection: "notebooks.opendatahub.io/last-image-selection",
  imageDisplayName: "opendatahub.io/image-display-name",
  hardwareProfileName: "opendatahub.io/hardware-profile-name",
  hardwareProfileNamespace: "opendatahub.io/hardware-profile-namespace",
  username: "opendatahub.io/username",
  /** Present = stopped; the value is the time of the stop request (RFC 3339, no fraction). */
  stopped: "kubeflow-resource-stopped",
  /** Set by the idle culler of the notebook controller. */
  lastActivity: "notebooks.kubeflow.org/last-activity",
  /** The exact portal ids (the labels of the same name may hold a hash when an id is not a label value). */
  tenantId: "nordlys.cloud/tenant-id",
  externalId: "nordlys.cloud/external-id",
  idempotencyKey: "nordlys.cloud/idempotency-key",
  requestSha256: "nordlys.cloud/request-sha256",
  storageGb: "nordlys.cloud/storage-gb",
  idleTimeoutMinutes: "nordlys.cloud/idle-timeout-minutes",
} as const;

export const NOTEBOOK_API = { group: "kubeflow.org", version: "v1", plural: "notebooks", kind: "Notebook" } as const;

/** The PVC is mounted where the OpenShift AI images keep the user's files. */
export const HOME_MOUNT_PATH = "/opt/app-root/src";
export const NOTEBOOK_PORT = 8888;

export const GPU_RESOURCE = "nvidia.com/gpu";
export const GPU_TAINT_KEY = "nvidia.com/gpu";

/** How a shape lands on the cluster: which extended resource it requests and which nodes can hold it. */
export interface ShapePlacement {
  /** Extended resource per workbench (whole GPUs or one MIG slice), null for CPU-only shapes. */
  resourceName: string | null;
  resourceCount: number;
  /** Values of the node label nvidia.com/gpu.product (set by GPU feature discovery) that fit the shape. */
  gpuProducts: readonly string[];
  /** What is missing while such a workbench waits, in words: "no free NVIDIA H100 SXM 80GB". */
  shortage: string;
}

const GPU_PRODUCTS: Record<string, readonly string[]> = {
  [H100_MODEL]: ["NVIDIA-H100-80GB-HBM3"],
  [L40S_MODEL]: ["NVIDIA-L40S"],
};

/** The catalogue's GPU model for a value of nvidia.com/gpu.product ("NVIDIA-H100-80GB-HBM3" -> "NVIDIA H100 SXM 80GB"); unknown products read with spaces. */
export function gpuModelOfProduct(product: string): string {
  for (const [model, products] of Object.entries(GPU_PRODUCTS)) if (products.includes(product)) return model;
  return product.replace(/-/g, " ");
}

export function shapePlacement(shape: ShapeSpec): ShapePlacement {
  if (shape.migProfile) {
    return {
      resourceName: `nvidia.com/mig-${shape.migProfile}`,
      resourceCount: 1,
      gpuProducts: GPU_PRODUCTS[shape.gpuModel ?? ""] ?? [],
      shortage: `no free ${shape.gpuModel ?? "GPU"} MIG slice (${shape.migProfile})`,
    };
  }
  if (shape.gpuCount > 0) {
    return {
      resourceName: GPU_RESOURCE,
      resourceCount: shape.gpuCount,
      gpuProducts: GPU_PRODUCTS[shape.gpuModel ?? ""] ?? [],
      shortage:
        shape.gpuCount === 1
          ? `no free ${shape.gpuModel ?? "GPU"}`
          : `no server with ${shape.gpuCount} free ${shape.gpuModel ?? "GPU"} GPUs`,
    };
  }
  return {
    resourceName: null,
    resourceCount: 0,
    gpuProducts: [],
    shortage: `no server with ${shape.vcpu} free vCPUs and ${shape.memoryGb} GiB of memory`,
  };
}

/** The HardwareProfile the dashboard would show as chosen for this shape. */
export function hardwareProfileName(shapeId: string): string {
  return `nordlys-${shapeId}`;
}
