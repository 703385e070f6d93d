// A realistic recent history for the demo organisations: finished notebooks with hourly usage on
// working days, stored through the same code path as the live feed (records + rollups).
import { storeUsage, type UsageRow } from "../server/usage/store";

export const HISTORIC_WORKBENCHES = [
  { id: "seedwb-helse-radiology", org: "helse-fjord", user: "scientist@helse-fjord.example", name: "Radiology segmentation", project: "Radiology AI", shapeId: "h100-2x", regionId: "no-osl-1", gpuShare: 2, priceOre: 7800, busyW: 520, hours: [8, 16] },
  { id: "seedwb-helse-nlp", org: "helse-fjord", user: "consultant@nordlys-partner.example", name: "Clinical notes NLP", project: "Journal NLP", shapeId: "h100-mig-3g40gb", regionId: "no-trd-1", gpuShare: 3 / 7, priceOre: 1950, busyW: 230, hours: [9, 15] },
  { id: "seedwb-helse-prep", org: "helse-fjord", user: "admin@helse-fjord.example", name: "Data preparation", project: "Radiology AI", shapeId: "cpu-8", regionId: "no-osl-1", gpuShare: 0, priceOre: 240, busyW: 90, hours: [7, 11] },
  { id: "seedwb-nordvik-perception", org: "nordvik-robotics", user: "scientist@nordvik-robotics.example", name: "Perception training", project: "Autonomy", shapeId: "h100-8x", regionId: "no-osl-1", gpuShare: 8, priceOre: 31200, busyW: 610, hours: [0, 24] },
  { id: "seedwb-nordvik-sim", org: "nordvik-robotics", user: "consultant@nordlys-partner.example", name: "Simulation evaluation", project: "Validation", shapeId: "l40s-1x", regionId: "no-trd-1", gpuShare: 1, priceOre: 1600, busyW: 260, hours: [10, 18] },
] as const;

type SeedDb = {
  workbench: { findUnique(args: { where: { id: string } }): Promise<unknown>; create(args: { data: Record<string, unknown> }): Promise<unknown> };
  $transaction<T>(fn: (tx: Parameters<typeof storeUsage>[0]) => Promise<T>): Promise<T>;
};

/** Creates the historic notebooks (deleted by now) and their last 60 days of usage; skips what exists. */
export async function seedUsageHistory(db: SeedDb, orgIds: Map<string, string>, userIds: Map<string, string>, now = new Date()): Promise<number> {
  let created = 0;
  const today = Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate());
  for (const wb of HISTORIC_WORKBENCHES) {
    if (await db.workbench.findUnique({ where: { id: wb.id } })) continue;
    const orgId = orgIds.get(wb.org)!;
    const userId = userIds.get(wb.user)!;
    const rows: UsageRow[] = [];
    for (let d = 60; d >= 1; d--) {
      const day = new Date(today - d * 86_400_000);
      const weekday = day.getUTCDay();
      if (wb.hours[1] - wb.hours[0] < 24 && (weekday === 0 || weekday === 6)) continue;
      for (let h = wb.hours[0]; h < wb.hours[1]; h++) {
        const start = new Date(day.getTime() + h * 3_600_000);
        const variation = 0.75 + 0.25 * Math.sin(d * 1.7 + h * 0.9);
        const watts = wb.gpuShare > 0 ? wb.busyW * wb.gpuShare * variation : wb.busyW * variation;
        rows.push({
          id: `seed-${wb.id}-${start.toISOString()}`,
          orgId, workbenchId: wb.id, userId, project: wb.project, shapeId: wb.shapeId, regionId: wb.regionId,
          intervalStart: start, intervalEnd: new Date(start.getTime() + 3_600_000),
          reservedSeconds: 3600,
          gpuSeconds: Math.round(3600 * wb.gpuShare * 1000) / 1000,
          energyWh: Math.round(watts * 1000) / 1000,
          storageGbHours: 100,
          pricePerHourOre: wb.priceOre,
        });
      }
    }
    await db.$transaction(async (tx) => {
      await (tx as unknown as SeedDb).workbench.create({
        data: {
          id: wb.id, orgId, createdById: userId, name: wb.id.replace("seedwb-", ""), displayName: wb.name, project: wb.project,
          imageId: "jupyter-pytorch-2025.2", shapeId: wb.shapeId, regionId: wb.regionId, storageGb: 100, idleTimeoutMinutes: 120,
          gpuMilli: Math.round(wb.gpuShare * 1000), pricePerHourOre: wb.priceOre, desiredState: "DELETED", status: "DELETED",
          createdAt: new Date(today - 61 * 86_400_000),
        },
      });
      await storeUsage(tx, rows);
    });
    created++;
  }
  return created;
}
