// The Kubernetes objects behind a workbench, built the way the OpenShift AI dashboard builds them
// (project labels, PVC, kubeflow.org/v1 Notebook, stop/start patches), plus the HardwareProfile per shape.
import { createHash } from "node:crypto";
import type { V1Container, V1PodSpec, V1Probe, V1Toleration } from "@kubernetes/client-node";
import type { CreateWorkbenchRequest, WorkbenchImage } from "../../api-types";
import type { ShapeSpec } from "../../catalogue";
import {
  ANNOTATIONS,
  GPU_TAINT_KEY,
  HOME_MOUNT_PATH,
  LABELS,
  MANAGED_BY,
  NOTEBOOK_API,
  NOTEBOOK_PORT,
  hardwareProfileName,
  shapePlacement,
} from "./constants";
import { labelValueFor, pvcName } from "./naming";

export interface ObjectMeta {
  name: string;
  namespace?: string;
  uid?: string;
  resourceVersion?: string;
  generation?: number;
  creationTimestamp?: string;
  deletionTimestamp?: string;
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
}

/** Metadata of an object this backend sends: the server fills in uid, times and versions. */
export interface NewObjectMeta {
  name: string;
  namespace?: string;
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
}

export interface NamespaceManifest {
  apiVersion: "v1";
  kind: "Namespace";
  metadata: NewObjectMeta;
}

export interface PvcManifest {
  apiVersion: "v1";
  kind: "PersistentVolumeClaim";
  metadata: NewObjectMeta;
  spec: {
    accessModes: string[];
    resources: { requests: Record<string, string> };
    volumeMode: "Filesystem";
    storageClassName?: string;
  };
}

/** A container state as the notebook controller copies it into the Notebook status (JSON, times as strings). */
export interface ContainerStateJson {
  running?: { startedAt?: string };
  waiting?: { reason?: string; message?: string };
  terminated?: { reason?: string; message?: string; exitCode?: number; finishedAt?: string };
}

export interface NotebookCondition {
  type: string;
  status: string;
  reason?: string;
  message?: string;
  lastProbeTime?: string;
  lastTransitionTime?: string;
}

export interface NotebookObject {
  apiVersion: string;
  kind: "Notebook";
  metadata: ObjectMeta;
  spec: { template: { spec: V1PodSpec } };
  status?: { readyReplicas?: number; containerState?: ContainerStateJson; conditions?: NotebookCondition[] };
}

export interface JsonPatchOp {
  op: "add" | "remove" | "replace";
  path: string;
  value?: unknown;
}

export interface WorkbenchPlan {
  namespace: string;
  request: CreateWorkbenchRequest;
  idempotencyKey: string;
  shape: ShapeSpec;
  image: WorkbenchImage;
  hardwareProfileNamespace: string;
  storageClassName: string | null;
}

const dashboardTrue = { [LABELS.dashboard]: "true" } as const;

/** The organisation's project: listed by the dashboard, no ModelMesh serving, tied to the tenant. */
export function namespaceManifest(namespace: string, tenantId: string): NamespaceManifest {
  return {
    apiVersion: "v1",
    kind: "Namespace",
    metadata: {
      name: namespace,
      labels: {
        ...dashboardTrue,
        [LABELS.modelmeshEnabled]: "false",
        [LABELS.managedBy]: MANAGED_BY,
        [LABELS.tenantId]: labelValueFor(tenantId),
      },
      annotations: { [ANNOTATIONS.tenantId]: tenantId },
    },
  };
}

function ownershipLabels(request: CreateWorkbenchRequest): Record<string, string> {
  return {
    [LABELS.managedBy]: MANAGED_BY,
    [LABELS.tenantId]: labelValueFor(request.tenantId),
    [LABELS.externalId]: labelValueFor(request.externalId),
  };
}

/** The workbench's home volume, `<name>-storage`, as the dashboard creates it for a new workbench. */
export function pvcManifest(plan: WorkbenchPlan): PvcManifest {
  const { request } = plan;
  return {
    apiVersion: "v1",
    kind: "PersistentVolumeClaim",
    metadata: {
      name: pvcName(request.name),
      namespace: plan.namespace,
      labels: { ...dashboardTrue, ...ownershipLabels(request) },
      annotations: { [ANNOTATIONS.displayName]: request.displayName },
    },
    spec: {
      accessModes: ["ReadWriteOnce"],
      resources: { requests: { storage: `${request.storageGb}Gi` } },
      volumeMode: "Filesystem",
      ...(plan.storageClassName ? { storageClassName: plan.storageClassName } : {}),
    },
  };
}

/** Requests and limits are equal, as the dashboard fills both from the hardware profile. */
export function shapeResources(shape: ShapeSpec): Record<string, string> {
  const placement = shapePlacement(shape);
  return {
    cpu: String(shape.vcpu),
    memory: `${shape.memoryGb}Gi`,
    ...(placement.resourceName ? { [placement.resourceName]: String(placement.resourceCount) } : {}),
  };
}

export function shapeTolerations(shape: ShapeSpec): V1Toleration[] {
  return shapePlacement(shape).resourceName ? [{ key: GPU_TAINT_KEY, operator: "Exists", effect: "NoSchedule" }] : [];
}

/**
 * Region, and for whole GPUs the GPU product (GPU feature discovery's label). A MIG slice needs no product
 * label: only MIG-partitioned nodes offer the nvidia.com/mig-* resource it requests.
 */
export function shapeNodeSelector(shape: ShapeSpec, regionId: string): Record<string, string> {
  const placement = shapePlacement(shape);
  const product = shape.migProfile ? undefined : placement.gpuProducts[0];
  return { [LABELS.region]: regionId, ...(product ? { [LABELS.gpuProduct]: product } : {}) };
}

/** `pytorch:2025.2` from `…/redhat-ods-applications/pytorch:2025.2`: the dashboard's image-stream selection. */
export function imageSelection(imageReference: string): string {
  return imageReference.slice(imageReference.lastIndexOf("/") + 1);
}

/** sha256 of the create request, to recognise a replay with another body under the same key. */
export function requestDigest(request: CreateWorkbenchRequest): string {
  const keys = Object.keys(request).sort() as (keyof CreateWorkbenchRequest)[];
  const canonical = JSON.stringify(keys.map((k) => [k, request[k]]));
  return createHash("sha256").update(canonical).digest("hex");
}

export function sha256Hex(text: string, length = 63): string {
  return createHash("sha256").update(text).digest("hex").slice(0, length);
}

function probe(path: string): V1Probe {
  return {
    initialDelaySeconds: 10,
    periodSeconds: 5,
    timeoutSeconds: 1,
    successThreshold: 1,
    failureThreshold: 3,
    httpGet: { scheme: "HTTP", path, port: "notebook-port" },
  };
}

/** The Notebook as the OpenShift AI dashboard assembles it (frontend/src/api/k8s/notebooks.ts, assembleNotebook). */
export function notebookManifest(plan: WorkbenchPlan): NotebookObject {
  const { request, shape, image, namespace } = plan;
  const name = request.name;
  const basePath = `/notebook/${namespace}/${name}`;
  const resources = shapeResources(shape);
  const tolerations = shapeTolerations(shape);
  const storage = pvcName(name);

  const container: V1Container = {
    name,
    image: image.image,
    imagePullPolicy: "Always",
    workingDir: HOME_MOUNT_PATH,
    env: [
      {
        name: "NOTEBOOK_ARGS",
        value: [
          `--ServerApp.port=${NOTEBOOK_PORT}`,
          "--ServerApp.token=''",
          "--ServerApp.password=''",
          `--ServerApp.base_url=${basePath}`,
          "--ServerApp.quit_button=False",
        ].join("\n"),
      },
      { name: "JUPYTER_IMAGE", value: image.image },
    ],
    resources: { requests: { ...resources }, limits: { ...resources } },
    volumeMounts: [
      { name: storage, mountPath: HOME_MOUNT_PATH },
      { name: "shm", mountPath: "/dev/shm" },
    ],
    ports: [{ name: "notebook-port", containerPort: NOTEBOOK_PORT, protocol: "TCP" }],
    livenessProbe: probe(`${basePath}/api`),
    readinessProbe: probe(`${basePath}/api`),
  };

  return {
    apiVersion: `${NOTEBOOK_API.group}/${NOTEBOOK_API.version}`,
    kind: "Notebook",
    metadata: {
      name,
      namespace,
      labels: {
        [LABELS.app]: name,
        ...dashboardTrue,
        [LABELS.odhManaged]: "true",
        ...ownershipLabels(request),
        [LABELS.shapeId]: shape.id,
        [LABELS.regionId]: request.regionId,
        [LABELS.imageId]: image.id,
        [LABELS.idempotencyKeyHash]: sha256Hex(plan.idempotencyKey),
      },
      annotations: {
        [ANNOTATIONS.displayName]: request.displayName,
        [ANNOTATIONS.injectAuth]: "true",
        [ANNOTATIONS.lastImageSelection]: imageSelection(image.image),
        [ANNOTATIONS.imageDisplayName]: image.name,
        [ANNOTATIONS.hardwareProfileName]: hardwareProfileName(shape.id),
        [ANNOTATIONS.hardwareProfileNamespace]: plan.hardwareProfileNamespace,
        [ANNOTATIONS.username]: request.owner,
        [ANNOTATIONS.tenantId]: request.tenantId,
        [ANNOTATIONS.externalId]: request.externalId,
        [ANNOTATIONS.idempotencyKey]: plan.idempotencyKey,
        [ANNOTATIONS.requestSha256]: requestDigest(request),
        [ANNOTATIONS.storageGb]: String(request.storageGb),
        [ANNOTATIONS.idleTimeoutMinutes]: String(request.idleTimeoutMinutes),
      },
    },
    spec: {
      template: {
        spec: {
          enableServiceLinks: false,
          containers: [container],
          volumes: [
            { name: storage, persistentVolumeClaim: { claimName: storage } },
            { name: "shm", emptyDir: { medium: "Memory" } },
          ],
          ...(tolerations.length > 0 ? { tolerations } : {}),
          nodeSelector: shapeNodeSelector(shape, request.regionId),
        },
      },
    },
  };
}

/** RFC 3339 without milliseconds, as the dashboard writes the stop time. */
export function stopTimestamp(now: Date): string {
  return now.toISOString().replace(/\.\d{3}Z$/, "Z");
}

/** The dashboard's stop: JSON patch `add` of the stop annotation with the current time. */
export function stopPatch(now: Date): JsonPatchOp[] {
  return [{ op: "add", path: `/metadata/annotations/${ANNOTATIONS.stopped}`, value: stopTimestamp(now) }];
}

/** The dashboard's start: JSON patch `remove` of the stop annotation. */
export function startPatch(): JsonPatchOp[] {
  return [{ op: "remove", path: `/metadata/annotations/${ANNOTATIONS.stopped}` }];
}

export interface HardwareProfileManifest {
  apiVersion: "infrastructure.opendatahub.io/v1";
  kind: "HardwareProfile";
  metadata: ObjectMeta;
  spec: {
    identifiers: Array<{
      identifier: string;
      displayName: string;
      defaultCount: number | string;
      minCount: number | string;
      maxCount: number | string;
      resourceType: "CPU" | "Memory" | "Accelerator";
    }>;
    scheduling: { type: "Node"; node: { nodeSelector: Record<string, string>; tolerations: V1Toleration[] } };
  };
}

/**
 * The HardwareProfile of a shape, which an operator applies once, so the dashboard shows the shape that each
 * Notebook's hardware-profile annotations name. Fixed sizes (min = default = max); the region is not part of it.
 */
export function hardwareProfileManifest(shape: ShapeSpec, namespace: string): HardwareProfileManifest {
  const placement = shapePlacement(shape);
  const fixed = (value: number | string) => ({ defaultCount: value, minCount: value, maxCount: value });
  const product = shape.migProfile ? undefined : placement.gpuProducts[0];
  return {
    apiVersion: "infrastructure.opendatahub.io/v1",
    kind: "HardwareProfile",
    metadata: {
      name: hardwareProfileName(shape.id),
      namespace,
      labels: { [LABELS.managedBy]: MANAGED_BY },
      annotations: {
        "opendatahub.io/display-name": shape.name,
        "opendatahub.io/description": `${shape.vcpu} vCPU, ${shape.memoryGb} GiB memory${
          shape.gpuModel ? `, ${shape.migProfile ? `MIG ${shape.migProfile} slice of an` : `${shape.gpuCount} x`} ${shape.gpuModel}` : ""
        }`,
        "opendatahub.io/disabled": "false",
      },
    },
    spec: {
      identifiers: [
        { identifier: "cpu", displayName: "CPU", ...fixed(shape.vcpu), resourceType: "CPU" },
        { identifier: "memory", displayName: "Memory", ...fixed(`${shape.memoryGb}Gi`), resourceType: "Memory" },
        ...(placement.resourceName
          ? [
              {
                identifier: placement.resourceName,
                displayName: shape.migProfile ? `MIG ${shape.migProfile}` : "GPU",
                ...fixed(placement.resourceCount),
                resourceType: "Accelerator" as const,
              },
            ]
          : []),
      ],
      scheduling: {
        type: "Node",
        node: { nodeSelector: product ? { [LABELS.gpuProduct]: product } : {}, tolerations: shapeTolerations(shape) },
      },
    },
  };
}
