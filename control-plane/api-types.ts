// The control-plane API's resources, as the OpenAPI document (control-plane/openapi.json) defines them.
// Shared by the server, both backends and the typed client the portal uses.

export interface Region {
  id: string; // e.g. "no-osl-1"
  name: string; // "Oslo"
  dataCentre: string; // e.g. "Oslo DC1 (Ulven)"
  country: "NO";
  gridZone: "NO1" | "NO2" | "NO3" | "NO4" | "NO5";
}

export interface ShapeCapacity {
  regionId: string;
  /** How many more workbenches of this shape can start right now in the region. */
  available: number;
  /** How many of this shape the region could hold when empty. */
  total: number;
  /** Workbenches of this shape waiting for capacity in the region. */
  queued: number;
}

export interface Shape {
  id: string; // e.g. "h100-1x", "h100-mig-1g10gb", "l40s-1x", "cpu-8"
  name: string;
  gpuModel: string | null; // "NVIDIA H100 SXM 80GB", null for CPU-only
  gpuCount: number; // whole GPUs, 0 for CPU-only; a MIG slice counts as 0 whole GPUs
  migProfile: string | null; // "1g.10gb", "3g.40gb"
  /** GPU memory available to the workbench in GB. */
  gpuMemoryGb: number;
  /** Share of one physical GPU (1 for whole GPUs, 1/7 for 1g.10gb, 3/7 for 3g.40gb, 0 for CPU). */
  gpuFraction: number;
  vcpu: number;
  memoryGb: number;
  /** Power profile per workbench of this shape (GPU share), watts. */
  powerIdleW: number;
  powerMaxW: number;
  capacity: ShapeCapacity[];
}

export interface WorkbenchImage {
  id: string; // "jupyter-pytorch-2025.2"
  name: string; // "PyTorch"
  description: string;
  image: string; // full image reference
  gpu: boolean; // needs a GPU shape
}

export type WorkbenchPhase =
  | "QUEUED"
  | "SCHEDULED"
  | "PULLING_IMAGE"
  | "STARTING"
  | "RUNNING"
  | "STOPPING"
  | "STOPPED"
  | "FAILED"
  | "DELETING"
  | "DELETED";

export interface Workbench {
  id: string; // control plane id
  /** The caller's own id for this workbench (the portal's record id); also its idempotency key. */
  externalId: string;
  tenantId: string; // organisation id in the portal
  project: string; // namespace / project name, e.g. "org-helse-fjord"
  name: string; // DNS-1123 label, unique in the project
  displayName: string;
  owner: string; // e-mail of the person who launched it
  imageId: string;
  shapeId: string;
  regionId: string;
  storageGb: number;
  idleTimeoutMinutes: number;
  phase: WorkbenchPhase;
  /** Position in the region's queue (1 = next) while QUEUED, else null. */
  queuePosition: number | null;
  /** Plain-language reason for the current phase (why it waits or failed), else null. */
  reason: string | null;
  /** URL to open the workbench while RUNNING, else null. */
  url: string | null;
  createdAt: string; // RFC 3339 UTC
  updatedAt: string;
  startedAt: string | null; // last time it became RUNNING
  stoppedAt: string | null;
  /** Last user or kernel activity; drives idle detection. */
  lastActivityAt: string | null;
  /** Measured energy of its GPU share since creation, Wh (from the GPU energy counters). */
  energyWh: number;
  /** Reserved GPU time since creation, GPU-seconds (fractional for MIG slices). */
  gpuSeconds: number;
}

export interface CreateWorkbenchRequest {
  externalId: string;
  tenantId: string;
  tenantSlug: string;
  name: string;
  displayName: string;
  owner: string;
  imageId: string;
  shapeId: string;
  regionId: string;
  storageGb: number; // 10..1000
  idleTimeoutMinutes: number; // 15..1440
}

export type WorkbenchEventType =
  | "QUEUED"
  | "SCHEDULED"
  | "PULLING_IMAGE"
  | "STARTING"
  | "RUNNING"
  | "STOP_REQUESTED"
  | "STOPPED"
  | "START_REQUESTED"
  | "FAILED"
  | "DELETE_REQUESTED"
  | "DELETED"
  | "IDLE";

export interface WorkbenchEvent {
  id: string;
  workbenchId: string;
  at: string; // RFC 3339 UTC
  type: WorkbenchEventType;
  /** Plain English explanation, e.g. "Waiting for a free H100 in Oslo: position 2 in the queue". */
  message: string;
  queuePosition: number | null;
}

/** One metering interval of one workbench; ids are unique and stable (replays repeat the same id). */
export interface UsageRecord {
  id: string;
  workbenchId: string;
  externalId: string;
  tenantId: string;
  shapeId: string;
  regionId: string;
  intervalStart: string; // RFC 3339 UTC
  intervalEnd: string;
  /**
   * Seconds during the interval in which the workbench held its shape (was scheduled: SCHEDULED, PULLING_IMAGE,
   * STARTING, RUNNING, STOPPING), whether busy or idle; 0 for storage-only intervals of a stopped workbench.
   * Billing charges price per hour x reservedSeconds / 3600; never more than intervalEnd - intervalStart.
   */
  reservedSeconds: number;
  gpuSeconds: number;
  energyWh: number;
  storageGbHours: number;
}

export interface UsagePage {
  records: UsageRecord[];
  /** Pass as `after` to continue; equals the input cursor when there is nothing new. */
  nextCursor: string | null;
}

/**
 * What one unit of a pool is: a whole GPU (`gpu`), one MIG slice of the pool's profile (`mig-slice`; a
 * 1g.10gb slice is 1/7 of an H100's compute, a 3g.40gb slice 3/7), or one vCPU (`vcpu`, CPU-only pools).
 */
export type CapacityUnit = "gpu" | "mig-slice" | "vcpu";

/** Capacity and utilisation of one node pool in one region: a kind of schedulable device and the nodes that offer it. */
export interface PoolCapacity {
  regionId: string;
  /** Pool id, stable per backend: e.g. "h100", "h100-mig-1g10gb", "cpu" (simulated); the node label value on OpenShift. */
  pool: string;
  /** Human name of what the pool offers, e.g. "NVIDIA H100 SXM 80GB", "NVIDIA H100 SXM 80GB, MIG 1g.10gb", "CPU (vCPU)". */
  label: string;
  unit: CapacityUnit;
  /** Nodes (servers) that offer units of this pool in the region. */
  nodes: number;
  /** Units the nodes offer in all (allocatable). */
  unitsTotal: number;
  /** Units held by what is placed on the nodes right now (requests of scheduled pods; may include other workloads). */
  unitsUsed: number;
  /** Workbenches in this pool and region that are RUNNING. */
  running: number;
  /** Workbenches waiting in this pool and region for capacity (QUEUED). */
  queued: number;
}

/** Capacity and utilisation per region and node pool, for the provider's operators. */
export interface CapacityReport {
  generatedAt: string; // RFC 3339 UTC
  /** Ordered by region, then by unit (gpu, mig-slice, vcpu), then by pool. */
  pools: PoolCapacity[];
}

/** RFC 9457 problem details, the body of every error response. */
export interface Problem {
  type: string; // e.g. "https://errors.control-plane/not-found"
  title: string;
  status: number;
  detail?: string;
  code:
    | "unauthorized"
    | "not_found"
    | "validation"
    | "idempotency_conflict"
    | "invalid_state"
    | "unknown_shape"
    | "unknown_region"
    | "unknown_image"
    | "unavailable"
    | "internal";
}

/** What a backend does; the HTTP server maps these onto the API. */
export interface ControlPlaneBackend {
  listRegions(): Promise<Region[]>;
  listShapes(): Promise<Shape[]>;
  listImages(): Promise<WorkbenchImage[]>;
  /** Creates once per idempotency key; the same key again returns the first result (created: false). */
  createWorkbench(idempotencyKey: string, request: CreateWorkbenchRequest): Promise<{ workbench: Workbench; created: boolean }>;
  getWorkbench(id: string): Promise<Workbench | null>;
  listWorkbenches(filter: { tenantId?: string; externalId?: string }): Promise<Workbench[]>;
  startWorkbench(id: string): Promise<Workbench>;
  stopWorkbench(id: string): Promise<Workbench>;
  deleteWorkbench(id: string): Promise<Workbench>;
  listEvents(id: string): Promise<WorkbenchEvent[]>;
  listUsage(after: string | null, limit: number): Promise<UsagePage>;
  /** Capacity and utilisation per region and node pool, measured now. */
  getCapacity(): Promise<CapacityReport>;
  close(): Promise<void>;
}
