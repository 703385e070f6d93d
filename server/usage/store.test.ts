import { describe, expect, it } from "vitest";
import { pricedSecondsToOre, sumDecimals } from "../billing/money";
import { rollupSql } from "./store";

describe("usage money", () => {
  it("rounds the cost of an aggregate once, half up", () => {
    expect(pricedSecondsToOre(String(3900 * 3600))).toBe(3900);
    expect(pricedSecondsToOre(String(3900 * 300))).toBe(325);
    expect(pricedSecondsToOre("1800")).toBe(1); // exactly 0.5 øre rounds up
    expect(pricedSecondsToOre("1799.999999")).toBe(0);
    expect(pricedSecondsToOre(String(750 * 60))).toBe(13); // 12.5 -> 13
    expect(pricedSecondsToOre("0")).toBe(0);
    expect(pricedSecondsToOre("0.000000")).toBe(0);
  });

  it("does not accumulate per-record rounding: 12 intervals of 12.5 øre cost 150 øre, not 12 x 13", () => {
    const perInterval = String(750 * 60);
    expect(pricedSecondsToOre(sumDecimals(Array(12).fill(perInterval)))).toBe(150);
  });

  it("adds database numerics exactly", () => {
    expect(sumDecimals(["0.1", "0.2"])).toBe("0.3");
    expect(sumDecimals(["123.457000", "300", "-0.000001"])).toBe("423.456999");
    expect(sumDecimals([])).toBe("0");
    expect(sumDecimals(["-1.5", "0.25"])).toBe("-1.25");
    expect(sumDecimals(["99999999999999999999.999999", "0.000001"])).toBe("100000000000000000000.000000");
  });

  it("buckets the rollups by UTC hour and day", () => {
    expect(rollupSql("usage_hourly", "inserted")).toContain("date_trunc('hour', interval_start, 'UTC')");
    expect(rollupSql("usage_daily", "usage_record", "WHERE id LIKE $1")).toMatch(/date_trunc\('day', interval_start, 'UTC'\)[\s\S]*FROM usage_record WHERE id LIKE \$1/);
  });
});
