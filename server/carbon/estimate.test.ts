import { describe, expect, it } from "vitest";
import { FACTORS, FACTOR_SET } from "@/prisma/catalogue-seed";
import { estimateHour, factorValues } from "./estimate";

const factors = factorValues(FACTOR_SET.id, FACTORS);

describe("hourly carbon estimate", () => {
  it("reproduces the worked example: 1 kWh of IT energy at PUE 1.15", () => {
    // A profile whose average draw is exactly 1,000 W at 50 % utilisation.
    const profile = { powerIdleW: 500, powerMaxW: 1500, gpuShare: 1 };
    const no1 = estimateHour(profile, "NO1", factors);
    expect(no1.itEnergyKwh).toBeCloseTo(1.0, 10);
    expect(no1.facilityEnergyKwh).toBeCloseTo(1.15, 10);
    expect(no1.locationCo2eG).toBeCloseTo(29.9, 1);
    expect(no1.embodiedCo2eG).toBeCloseTo(11.8, 10);
    expect(estimateHour(profile, "NO", factors).locationCo2eG).toBeCloseTo(17.25, 2);
  });

  it("estimates one H100 at 50 % utilisation in Oslo by hand", () => {
    // 79 + 0.5 x (700 - 79) = 389.5 W -> 0.3895 kWh IT -> 0.447925 kWh facility -> x 26.0 = 11.646 g
    const h = estimateHour({ powerIdleW: 79, powerMaxW: 700, gpuShare: 1 }, "NO1", factors);
    expect(h.itEnergyKwh).toBeCloseTo(0.3895, 10);
    expect(h.facilityEnergyKwh).toBeCloseTo(0.447925, 10);
    expect(h.locationCo2eG).toBeCloseTo(11.64605, 5);
    expect(h.totalCo2eG).toBeCloseTo(23.44605, 5);
    expect(h.factorSetId).toBe("2026.1");
  });

  it("scales embodied carbon with the GPU share and has none for CPU-only shapes", () => {
    expect(estimateHour({ powerIdleW: 11, powerMaxW: 100, gpuShare: 1 / 7 }, "NO3", factors).embodiedCo2eG).toBeCloseTo(11.8 / 7, 10);
    expect(estimateHour({ powerIdleW: 20, powerMaxW: 120, gpuShare: 0 }, "NO3", factors).embodiedCo2eG).toBe(0);
  });

  it("refuses to estimate with a missing factor", () => {
    expect(() => estimateHour({ powerIdleW: 1, powerMaxW: 2, gpuShare: 1 }, "SE3", factors)).toThrow(/grid.location.SE3 missing/);
  });
});
