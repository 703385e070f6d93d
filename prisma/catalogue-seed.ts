// The provider's seeded price list and the first carbon factor set (values and sources from the
// domain brief). Operators edit both later; the seed only creates what is missing.

export const SHAPE_OFFERS: Array<{ shapeId: string; pricePerHourOre: number; sortOrder: number }> = [
  { shapeId: "h100-mig-1g10gb", pricePerHourOre: 750, sortOrder: 10 },
  { shapeId: "h100-mig-3g40gb", pricePerHourOre: 1950, sortOrder: 20 },
  { shapeId: "h100-1x", pricePerHourOre: 3900, sortOrder: 30 },
  { shapeId: "h100-2x", pricePerHourOre: 7800, sortOrder: 40 },
  { shapeId: "h100-4x", pricePerHourOre: 15600, sortOrder: 50 },
  { shapeId: "h100-8x", pricePerHourOre: 31200, sortOrder: 60 },
  { shapeId: "l40s-1x", pricePerHourOre: 1600, sortOrder: 70 },
  { shapeId: "cpu-8", pricePerHourOre: 240, sortOrder: 80 },
];

export const FACTOR_SET = { id: "2026.1", label: "Factors 2026.1 (NVE 2023, zone factors 2025, Ember 2023)", validFrom: new Date("2026-01-01T00:00:00Z") };

export const FACTORS: Array<{ key: string; value: number; unit: string; year: number; source: string }> = [
  { key: "grid.location.NO", value: 15, unit: "gCO2e/kWh", year: 2023, source: "NVE electricity disclosure (varedeklarasjon) 2023" },
  { key: "grid.location.NO1", value: 26.0, unit: "gCO2e/kWh", year: 2025, source: "CodeCarbon 2025 data, bidding zone NO1" },
  { key: "grid.location.NO2", value: 27.0, unit: "gCO2e/kWh", year: 2025, source: "CodeCarbon 2025 data, bidding zone NO2" },
  { key: "grid.location.NO3", value: 25.8, unit: "gCO2e/kWh", year: 2025, source: "CodeCarbon 2025 data, bidding zone NO3" },
  { key: "grid.location.NO4", value: 51.7, unit: "gCO2e/kWh", year: 2025, source: "CodeCarbon 2025 data, bidding zone NO4" },
  { key: "grid.location.NO5", value: 26.6, unit: "gCO2e/kWh", year: 2025, source: "CodeCarbon 2025 data, bidding zone NO5" },
  { key: "grid.eu_average", value: 243.83, unit: "gCO2e/kWh", year: 2023, source: "Ember, EU average 2023 (comparison only)" },
  { key: "grid.residual_mix.NO", value: 402, unit: "gCO2e/kWh", year: 2020, source: "NVE, Norwegian residual mix" },
  { key: "pue.site", value: 1.15, unit: "ratio", year: 2026, source: "Operator measurement, Nordic best in class 1.07-1.15" },
  { key: "pue.industry_average", value: 1.58, unit: "ratio", year: 2023, source: "Uptime Institute global data center survey 2023" },
  { key: "embodied.gpu_hour", value: 11.8, unit: "gCO2e/GPU-hour", year: 2024, source: "Boavizta figures as used by EcoLogits: 3,000 kg per 8-GPU server + 143 kg per GPU over 5 years" },
  { key: "utilisation.default", value: 0.5, unit: "ratio", year: 2023, source: "Cloud Carbon Footprint default utilisation when no measurement exists" },
];

/** Factors added for metered usage (node overhead, guarantees of origin, heat reuse): set 2026.2. */
export const FACTOR_SET_2 = { id: "2026.2", label: "Factors 2026.2 (2026.1 + node overhead, guarantees of origin, heat reuse)", validFrom: new Date("2026-06-01T00:00:00Z") };

export const FACTORS_2: Array<{ key: string; value: number; unit: string; year: number; source: string }> = [
  ...FACTORS,
  { key: "overhead.node_w_per_gpu", value: 150, unit: "W per reserved GPU", year: 2026, source: "Operator measurement: CPU, memory, NICs and fans of an 8-GPU H100 server, allocated pro rata to reserved GPUs" },
  { key: "market.go_coverage", value: 1.0, unit: "share of consumption", year: 2026, source: "Guarantees of origin (hydro) cancelled by the operator for the site's consumption" },
  { key: "market.go_factor", value: 0, unit: "gCO2e/kWh", year: 2026, source: "Consumption covered by cancelled guarantees of origin from hydro power (GHG Protocol Scope 2 market-based)" },
  { key: "heat.reuse_share", value: 0.6, unit: "share of facility energy", year: 2026, source: "Operator: energy delivered to district heating / total data-centre energy (ERF, ISO/IEC 30134-6)" },
  { key: "heat.home_annual_kwh", value: 15000, unit: "kWh per home per year", year: 2023, source: "Typical space and water heating demand of a Norwegian detached home (NVE)" },
];
