// Energy and carbon estimates for a workbench-hour before launch (no measurement exists yet):
// average draw = idle + utilisation x (max - idle); facility energy = IT energy x PUE;
// location-based CO2e = facility energy x grid factor of the site's bidding zone; embodied per GPU-hour.

export interface FactorValues {
  setId: string;
  get(key: string): number;
}

export interface PowerProfile {
  powerIdleW: number;
  powerMaxW: number;
  /** Whole GPUs, or the slice's share of one GPU; 0 for CPU-only shapes. */
  gpuShare: number;
}

export interface HourlyEstimate {
  factorSetId: string;
  itEnergyKwh: number;
  facilityEnergyKwh: number;
  locationCo2eG: number;
  embodiedCo2eG: number;
  totalCo2eG: number;
  gridFactor: number;
  pue: number;
}

/** Estimated energy and CO2e of one hour of a shape in a grid zone. */
export function estimateHour(profile: PowerProfile, gridZone: string, factors: FactorValues): HourlyEstimate {
  const utilisation = factors.get("utilisation.default");
  const pue = factors.get("pue.site");
  const gridFactor = factors.get(`grid.location.${gridZone}`);
  const averageW = profile.powerIdleW + utilisation * (profile.powerMaxW - profile.powerIdleW);
  const itEnergyKwh = averageW / 1000;
  const facilityEnergyKwh = itEnergyKwh * pue;
  const locationCo2eG = facilityEnergyKwh * gridFactor;
  const embodiedCo2eG = profile.gpuShare * factors.get("embodied.gpu_hour");
  return {
    factorSetId: factors.setId,
    itEnergyKwh,
    facilityEnergyKwh,
    locationCo2eG,
    embodiedCo2eG,
    totalCo2eG: locationCo2eG + embodiedCo2eG,
    gridFactor,
    pue,
  };
}

/** Factor lookup that fails loudly when a factor is missing from the set. */
export function factorValues(setId: string, rows: Array<{ key: string; value: number }>): FactorValues {
  const map = new Map(rows.map((r) => [r.key, r.value]));
  return {
    setId,
    get(key) {
      const value = map.get(key);
      if (value === undefined) throw new Error(`carbon factor ${key} missing from set ${setId}`);
      return value;
    },
  };
}
