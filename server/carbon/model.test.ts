import { describe, expect, it } from "vitest";
import { FACTORS, FACTORS_2, FACTOR_SET, FACTOR_SET_2 } from "@/prisma/catalogue-seed";
import { factorValues } from "./estimate";
import { carbonFor, sumFigures } from "./model";

const f2 = factorValues(FACTOR_SET_2.id, FACTORS_2);
/** Factor set 2026.2 without node overhead and without guarantees of origin, for the worked example. */
const bare = factorValues("bare", FACTORS_2.map((x) => (x.key === "overhead.node_w_per_gpu" || x.key === "market.go_coverage" ? { ...x, value: 0 } : x)));

describe("carbon model", () => {
  it("reproduces the worked example: 1 H100 GPU-hour at 1.0 kWh IT energy, PUE 1.15", () => {
    const fig = carbonFor({ energyWh: 1000, gpuSeconds: 3600, gridZone: "NO" }, bare);
    expect(fig.facilityKwh).toBeCloseTo(1.15, 10);
    expect(fig.locationG).toBeCloseTo(17.25, 10); // 17.2 g (NVE 2023)
    expect(carbonFor({ energyWh: 1000, gpuSeconds: 3600, gridZone: "NO1" }, bare).locationG).toBeCloseTo(29.9, 10);
    expect(fig.marketG).toBeCloseTo(462.3, 10); // residual mix 402 x 1.15
    expect(fig.embodiedG).toBeCloseTo(11.8, 10);
    // EU-average comparison uses the industry PUE: 1.0 x 1.58 x 243.83 + 11.8
    expect(fig.comparisonG).toBeCloseTo(1.58 * 243.83 + 11.8, 8);
  });

  it("adds node overhead per reserved GPU, and guarantees of origin lower only the market-based figure", () => {
    // 2 GPUs for 30 minutes = 1 GPU-hour; 600 Wh measured; overhead 150 W x 1 h = 150 Wh
    const fig = carbonFor({ energyWh: 600, gpuSeconds: 3600, gridZone: "NO1" }, f2);
    expect(fig.overheadKwh).toBeCloseTo(0.15, 10);
    expect(fig.itKwh).toBeCloseTo(0.75, 10);
    expect(fig.facilityKwh).toBeCloseTo(0.8625, 10);
    expect(fig.locationG).toBeCloseTo(0.8625 * 26.0, 10);
    expect(fig.marketG).toBe(0); // fully covered by hydro GOs
    const half = factorValues("half", FACTORS_2.map((x) => (x.key === "market.go_coverage" ? { ...x, value: 0.5 } : x)));
    expect(carbonFor({ energyWh: 600, gpuSeconds: 3600, gridZone: "NO1" }, half).marketG).toBeCloseTo(0.8625 * 0.5 * 402, 10);
    expect(carbonFor({ energyWh: 600, gpuSeconds: 3600, gridZone: "NO1" }, half).locationG).toBeCloseTo(fig.locationG, 10);
  });

  it("reports reused heat separately and in homes heated", () => {
    const fig = carbonFor({ energyWh: 10_000_000, gpuSeconds: 0, gridZone: "NO1" }, f2);
    expect(fig.heatReusedKwh).toBeCloseTo(10_000 * 1.15 * 0.6, 6);
    expect(fig.homesHeatedYears).toBeCloseTo((10_000 * 1.15 * 0.6) / 15000, 10);
    expect(fig.locationG).toBeCloseTo(10_000 * 1.15 * 26.0, 6); // heat is never subtracted
  });

  it("sums zones and names the factor set; older sets lack the new factors", () => {
    const a = carbonFor({ energyWh: 1000, gpuSeconds: 3600, gridZone: "NO1" }, f2);
    const b = carbonFor({ energyWh: 500, gpuSeconds: 1800, gridZone: "NO3" }, f2);
    const total = sumFigures([a, b], f2.setId);
    expect(total.factorSetId).toBe("2026.2");
    expect(total.locationG).toBeCloseTo(a.locationG + b.locationG, 10);
    expect(total.embodiedG).toBeCloseTo(11.8 * 1.5, 10);
    const old = factorValues(FACTOR_SET.id, FACTORS);
    expect(() => carbonFor({ energyWh: 1, gpuSeconds: 1, gridZone: "NO1" }, old)).toThrow(/overhead.node_w_per_gpu missing from set 2026.1/);
  });
});
