// zod schemas of the control-plane API, one per type in api-types.ts (checked at compile time below) and
// per schema in openapi.json (checked by contract.test.ts). The server validates requests with them, the
// client validates responses with them. Response schemas are not strict: a newer server may add fields.
import { z } from "zod";
import type {
  CapacityReport,
  CreateWorkbenchRequest,
  PoolCapacity,
  Problem,
  Region,
  Shape,
  ShapeCapacity,
  UsagePage,
  UsageRecord,
  Workbench,
  WorkbenchEvent,
  WorkbenchImage,
} from "./api-types";

export const WORKBENCH_PHASES = [
  "QUEUED",
  "SCHEDULED",
  "PULLING_IMAGE",
  "STARTING",
  "RUNNING",
  "STOPPING",
  "STOPPED",
  "FAILED",
  "DELETING",
  "DELETED",
] as const;

export const WORKBENCH_EVENT_TYPES = [
  "QUEUED",
  "SCHEDULED",
  "PULLING_IMAGE",
  "STARTING",
  "RUNNING",
  "STOP_REQUESTED",
  "STOPPED",
  "START_REQUESTED",
  "FAILED",
  "DELETE_REQUESTED",
  "DELETED",
  "IDLE",
] as const;

export const PROBLEM_CODES = [
  "unauthorized",
  "not_found",
  "validation",
  "idempotency_conflict",
  "invalid_state",
  "unknown_shape",
  "unknown_region",
  "unknown_image",
  "unavailable",
  "internal",
] as const;

export const CAPACITY_UNITS = ["gpu", "mig-slice", "vcpu"] as const;

export const GRID_ZONES = ["NO1", "NO2", "NO3", "NO4", "NO5"] as const;

/** DNS-1123 label: lower-case letters, digits and '-', starting and ending with a letter or digit. */
export const DNS_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;

const timestamp = z.iso.datetime({ offset: true });
const nonNegative = z.number().min(0);

export const regionSchema = z.object({
  id: z.string(),
  name: z.string(),
  dataCentre: z.string(),
  country: z.literal("NO"),
  gridZone: z.enum(GRID_ZONES),
});

export const shapeCapacitySchema = z.object({
  regionId: z.string(),
  available: z.int().min(0),
  total: z.int().min(0),
  queued: z.int().min(0),
});

export const shapeSchema = z.object({
  id: z.string(),
  name: z.string(),
  gpuModel: z.string().nullable(),
  gpuCount: z.int().min(0),
  migProfile: z.string().nullable(),
  gpuMemoryGb: nonNegative,
  gpuFraction: z.number().min(0).max(1),
  vcpu: nonNegative,
  memoryGb: nonNegative,
  powerIdleW: nonNegative,
  powerMaxW: nonNegative,
  capacity: z.array(shapeCapacitySchema),
});

export const workbenchImageSchema = z.object({
  id: z.string(),
  name: z.string(),
  description: z.string(),
  image: z.string(),
  gpu: z.boolean(),
});

export const workbenchPhaseSchema = z.enum(WORKBENCH_PHASES);

export const workbenchSchema = z.object({
  id: z.string(),
  externalId: z.string(),
  tenantId: z.string(),
  project: z.string(),
  name: z.string(),
  displayName: z.string(),
  owner: z.string(),
  imageId: z.string(),
  shapeId: z.string(),
  regionId: z.string(),
  storageGb: z.int(),
  idleTimeoutMinutes: z.int(),
  phase: workbenchPhaseSchema,
  queuePosition: z.int().min(1).nullable(),
  reason: z.string().nullable(),
  url: z.string().nullable(),
  createdAt: timestamp,
  updatedAt: timestamp,
  startedAt: timestamp.nullable(),
  stoppedAt: timestamp.nullable(),
  lastActivityAt: timestamp.nullable(),
  energyWh: nonNegative,
  gpuSeconds: nonNegative,
});

/** The create request: strict (an unknown field is a mistake worth a 422, not silence). */
export const createWorkbenchRequestSchema = z.strictObject({
  externalId: z.string().min(1).max(200),
  tenantId: z.string().min(1).max(200),
  tenantSlug: z.string().min(1).max(59).regex(DNS_LABEL, "must be a DNS-1123 label (a-z, 0-9, '-')"),
  name: z.string().min(1).max(63).regex(DNS_LABEL, "must be a DNS-1123 label (a-z, 0-9, '-')"),
  displayName: z.string().min(1).max(200),
  owner: z.email().max(320),
  imageId: z.string().min(1).max(100),
  shapeId: z.string().min(1).max(100),
  regionId: z.string().min(1).max(100),
  storageGb: z.int().min(10).max(1000),
  idleTimeoutMinutes: z.int().min(15).max(1440),
});

export const workbenchEventSchema = z.object({
  id: z.string(),
  workbenchId: z.string(),
  at: timestamp,
  type: z.enum(WORKBENCH_EVENT_TYPES),
  message: z.string(),
  queuePosition: z.int().min(1).nullable(),
});

export const usageRecordSchema = z.object({
  id: z.string(),
  workbenchId: z.string(),
  externalId: z.string(),
  tenantId: z.string(),
  shapeId: z.string(),
  regionId: z.string(),
  intervalStart: timestamp,
  intervalEnd: timestamp,
  reservedSeconds: nonNegative,
  gpuSeconds: nonNegative,
  energyWh: nonNegative,
  storageGbHours: nonNegative,
});

export const usagePageSchema = z.object({
  records: z.array(usageRecordSchema),
  nextCursor: z.string().nullable(),
});

export const poolCapacitySchema = z.object({
  regionId: z.string(),
  pool: z.string(),
  label: z.string(),
  unit: z.enum(CAPACITY_UNITS),
  nodes: z.int().min(0),
  unitsTotal: nonNegative,
  unitsUsed: nonNegative,
  running: z.int().min(0),
  queued: z.int().min(0),
});

export const capacityReportSchema = z.object({
  generatedAt: timestamp,
  pools: z.array(poolCapacitySchema),
});

export const problemSchema = z.object({
  type: z.string(),
  title: z.string(),
  status: z.int().min(400).max(599),
  detail: z.string().optional(),
  code: z.enum(PROBLEM_CODES),
});

// List envelopes (the API wraps every list in an object so it can grow).
export const regionListSchema = z.object({ regions: z.array(regionSchema) });
export const shapeListSchema = z.object({ shapes: z.array(shapeSchema) });
export const imageListSchema = z.object({ images: z.array(workbenchImageSchema) });
export const workbenchListSchema = z.object({ workbenches: z.array(workbenchSchema) });
export const eventListSchema = z.object({ events: z.array(workbenchEventSchema) });

// Query strings.
export const workbenchFilterSchema = z.strictObject({
  tenantId: z.string().min(1).max(200).optional(),
  externalId: z.string().min(1).max(200).optional(),
});

export const USAGE_PAGE_DEFAULT = 100;
export const USAGE_PAGE_MAX = 1000;
export const usageQuerySchema = z.strictObject({
  after: z.string().regex(/^\d{1,18}$/, "must be a cursor returned by this API").optional(),
  limit: z.coerce.number().pipe(z.int().min(1).max(USAGE_PAGE_MAX)).optional(),
});

export const idempotencyKeySchema = z.string().min(1).max(200).regex(/^[\x21-\x7e]+$/, "must be printable ASCII without spaces");

// ---------------------------------------------------------------------------------------------
// Compile-time proof that every schema is exactly its type in api-types.ts.
// ---------------------------------------------------------------------------------------------

type Equals<A, B> = (<T>() => T extends A ? 1 : 2) extends <T>() => T extends B ? 1 : 2 ? true : false;
function same<A, B>(proof: Equals<A, B>): void {
  void proof;
}
same<z.infer<typeof regionSchema>, Region>(true);
same<z.infer<typeof shapeCapacitySchema>, ShapeCapacity>(true);
same<z.infer<typeof shapeSchema>, Shape>(true);
same<z.infer<typeof workbenchImageSchema>, WorkbenchImage>(true);
same<z.infer<typeof workbenchSchema>, Workbench>(true);
same<z.infer<typeof createWorkbenchRequestSchema>, CreateWorkbenchRequest>(true);
same<z.infer<typeof workbenchEventSchema>, WorkbenchEvent>(true);
same<z.infer<typeof usageRecordSchema>, UsageRecord>(true);
same<z.infer<typeof usagePageSchema>, UsagePage>(true);
same<z.infer<typeof poolCapacitySchema>, PoolCapacity>(true);
same<z.infer<typeof capacityReportSchema>, CapacityReport>(true);
same<z.infer<typeof problemSchema>, Problem>(true);
