// The carbon model for metered usage (see the public methodology page):
//   IT energy       = measured GPU energy + node overhead (W per reserved GPU x reserved GPU-hours)
//   facility energy = IT energy x PUE
//   location-based  = facility energy x grid factor of the site's bidding zone
//   market-based    = facility energy covered by guarantees of origin x GO factor
//                     + the rest x the Norwegian residual mix
//   embodied        = reserved GPU-hours x embodied factor per GPU-hour
//   reused heat     = facility energy x heat reuse share (a separate benefit, never subtracted)
//   comparison      = IT energy x industry-average PUE x EU-average grid factor (+ the same embodied)
import type { FactorValues } from "./estimate";

export interface MeteredUsage {
  /** Measured GPU energy, Wh. */
  energyWh: number;
  /** Reserved GPU time, GPU-seconds (fractional for MIG slices). */
  gpuSeconds: number;
  /** Bidding zone of the site, e.g. "NO1". */
  gridZone: string;
}

export interface CarbonFigures {
  factorSetId: string;
  measuredKwh: number;
  overheadKwh: number;
  itKwh: number;
  facilityKwh: number;
  locationG: number;
  marketG: number;
  embodiedG: number;
  heatReusedKwh: number;
  homesHeatedYears: number;
  comparisonG: number;
}

export const ZERO_FIGURES = (factorSetId: string): CarbonFigures => ({
  factorSetId, measuredKwh: 0, overheadKwh: 0, itKwh: 0, facilityKwh: 0, locationG: 0, marketG: 0, embodiedG: 0, heatReusedKwh: 0, homesHeatedYears: 0, comparisonG: 0,
});

/** Carbon figures for usage in one grid zone. */
export function carbonFor(usage: MeteredUsage, f: FactorValues): CarbonFigures {
  const gpuHours = usage.gpuSeconds / 3600;
  const measuredKwh = usage.energyWh / 1000;
  const overheadKwh = (f.get("overhead.node_w_per_gpu") * gpuHours) / 1000;
  const itKwh = measuredKwh + overheadKwh;
  const facilityKwh = itKwh * f.get("pue.site");
  const coverage = Math.min(1, Math.max(0, f.get("market.go_coverage")));
  const embodiedG = gpuHours * f.get("embodied.gpu_hour");
  const heatReusedKwh = facilityKwh * f.get("heat.reuse_share");
  return {
    factorSetId: f.setId,
    measuredKwh,
    overheadKwh,
    itKwh,
    facilityKwh,
    locationG: facilityKwh * f.get(`grid.location.${usage.gridZone}`),
    marketG: facilityKwh * coverage * f.get("market.go_factor") + facilityKwh * (1 - coverage) * f.get("grid.residual_mix.NO"),
    embodiedG,
    heatReusedKwh,
    homesHeatedYears: heatReusedKwh / f.get("heat.home_annual_kwh"),
    comparisonG: itKwh * f.get("pue.industry_average") * f.get("grid.eu_average") + embodiedG,
  };
}

/** Adds figures from several zones (all from the same factor set). */
export function sumFigures(parts: CarbonFigures[], factorSetId: string): CarbonFigures {
  const total = ZERO_FIGURES(factorSetId);
  for (const p of parts) {
    for (const key of Object.keys(total) as Array<keyof CarbonFigures>) {
      if (key !== "factorSetId") (total[key] as number) += p[key] as number;
    }
  }
  return total;
}
