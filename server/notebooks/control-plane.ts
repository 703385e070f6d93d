// The portal's one connection to the control-plane API, and a short-lived catalogue cache.
import "server-only";
import { createControlPlaneClient, ControlPlaneError } from "@/control-plane/client";
import type { CapacityReport, Region, Shape, WorkbenchImage } from "@/control-plane/api-types";
import { REGIONS } from "@/control-plane/catalogue";
import { serverEnv } from "../env";
import { AppError } from "../errors";

type Client = ReturnType<typeof createControlPlaneClient>;
const globalForCp = globalThis as unknown as { controlPlane?: Client; cpKey?: string };

/** The typed client configured from CONTROL_PLANE_URL and CONTROL_PLANE_TOKEN. */
export function controlPlane(): Client {
  const env = serverEnv();
  // Read at call time so the endpoint can move (tests point it at fresh servers).
  const baseUrl = process.env.CONTROL_PLANE_URL || env.CONTROL_PLANE_URL;
  const token = process.env.CONTROL_PLANE_TOKEN || env.CONTROL_PLANE_TOKEN;
  const timeoutMs = Number(process.env.CONTROL_PLANE_TIMEOUT_MS) || 3000;
  const key = `${baseUrl}|${token}|${timeoutMs}`;
  if (!globalForCp.controlPlane || globalForCp.cpKey !== key) {
    // Requests wait on these calls: fail fast; the worker's reconciler does the patient retrying.
    globalForCp.controlPlane = createControlPlaneClient({ baseUrl, token, timeoutMs, retries: 1 });
    globalForCp.cpKey = key;
  }
  return globalForCp.controlPlane;
}

export interface Catalogue {
  regions: Region[];
  shapes: Shape[];
  images: WorkbenchImage[];
  fetchedAt: number;
}

const CATALOGUE_TTL_MS = 5_000;
let cached: Catalogue | undefined;
let inflight: Promise<Catalogue> | undefined;

/** Forgets the cached catalogue (tests, and after a failed call). */
export function resetCatalogueCache(): void {
  cached = undefined;
}

/** Regions, shapes (with live capacity) and images; cached a few seconds, refetched on demand. */
export async function getCatalogue(options: { fresh?: boolean } = {}): Promise<Catalogue> {
  if (!options.fresh && cached && Date.now() - cached.fetchedAt < CATALOGUE_TTL_MS) return cached;
  inflight ??= (async () => {
    try {
      const cp = controlPlane();
      const [regions, shapes, images] = await Promise.all([cp.listRegions(), cp.listShapes(), cp.listImages()]);
      cached = { regions, shapes, images, fetchedAt: Date.now() };
      return cached;
    } finally {
      inflight = undefined;
    }
  })();
  return inflight;
}

/** Capacity and utilisation per region and node pool, measured now (never cached; operators only, see server/operator/capacity.ts). */
export async function getCapacity(): Promise<CapacityReport> {
  return controlPlane().getCapacity();
}

/** Region id -> grid bidding zone; a site's zone never changes, so the built-in list stands in when the control plane is down. */
export async function regionGridZones(): Promise<Map<string, string>> {
  try {
    return new Map((await getCatalogue()).regions.map((r) => [r.id, r.gridZone]));
  } catch {
    return new Map(REGIONS.map((r) => [r.id, r.gridZone]));
  }
}

/** Maps a failed control-plane call to the message users see. */
export function controlPlaneFailure(error: unknown): AppError {
  if (error instanceof ControlPlaneError) {
    if (error.kind === "timeout") return new AppError("errors.controlPlaneTimeout");
    if (error.kind === "not_found") return new AppError("errors.notFound");
    if (error.kind === "conflict" || error.kind === "invalid") return new AppError("errors.controlPlaneRejected");
  }
  return new AppError("errors.controlPlaneUnavailable");
}
