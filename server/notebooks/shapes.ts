// The GPU shape catalogue as customers see it: specs and live capacity from the control plane,
// price from the provider's offer, and the estimated energy and carbon per hour.
import "server-only";
import { db } from "../db";
import { assertCan, type OrgMembership } from "../orgs/queries";
import { currentFactorSet } from "../carbon/factors";
import { estimateHour, type HourlyEstimate } from "../carbon/estimate";
import { getCatalogue } from "./control-plane";

export interface ShapeCard {
  id: string;
  name: string;
  gpuModel: string | null;
  gpuCount: number;
  gpuFraction: number;
  migProfile: string | null;
  gpuMemoryGb: number;
  vcpu: number;
  memoryGb: number;
  pricePerHourOre: number;
  regions: Array<{ regionId: string; regionName: string; gridZone: string; available: number; total: number; queued: number; estimate: HourlyEstimate | null }>;
}

/** Offered shapes with live availability and per-hour estimates; throws if the control plane is down. */
export async function listShapeCards(membership: OrgMembership) {
  assertCan(membership, "shapes.view");
  const [catalogue, offers, factors] = await Promise.all([
    getCatalogue({ fresh: true }),
    db.shapeOffer.findMany({ where: { available: true }, orderBy: { sortOrder: "asc" } }),
    currentFactorSet(),
  ]);
  const regions = new Map(catalogue.regions.map((r) => [r.id, r]));
  const cards: ShapeCard[] = [];
  for (const offer of offers) {
    const shape = catalogue.shapes.find((s) => s.id === offer.shapeId);
    if (!shape) continue;
    const gpuShare = shape.gpuCount > 0 ? shape.gpuCount : shape.gpuFraction;
    cards.push({
      id: shape.id,
      name: shape.name,
      gpuModel: shape.gpuModel,
      gpuCount: shape.gpuCount,
      gpuFraction: shape.gpuFraction,
      migProfile: shape.migProfile,
      gpuMemoryGb: shape.gpuMemoryGb,
      vcpu: shape.vcpu,
      memoryGb: shape.memoryGb,
      pricePerHourOre: offer.pricePerHourOre,
      regions: shape.capacity
        .filter((c) => c.total > 0 && regions.has(c.regionId))
        .map((c) => {
          const region = regions.get(c.regionId)!;
          return {
            regionId: c.regionId,
            regionName: region.name,
            gridZone: region.gridZone,
            available: c.available,
            total: c.total,
            queued: c.queued,
            estimate: factors ? estimateHour({ powerIdleW: shape.powerIdleW, powerMaxW: shape.powerMaxW, gpuShare }, region.gridZone, factors) : null,
          };
        }),
    });
  }
  return {
    cards,
    images: catalogue.images,
    regions: catalogue.regions,
    factorSet: factors ? { id: factors.setId, label: factors.label, pue: factors.get("pue.site"), utilisation: factors.get("utilisation.default") } : null,
  };
}
