import { describe, expect, it } from "vitest";
import { intervalCostOre } from "./store";

describe("interval cost in øre", () => {
  it("charges price per hour x reserved time, rounded half up to whole øre", () => {
    expect(intervalCostOre(3900, 3600)).toBe(3900);
    expect(intervalCostOre(3900, 300)).toBe(325);
    expect(intervalCostOre(1, 1800)).toBe(1); // exactly 0.5 øre rounds up
    expect(intervalCostOre(1, 1799)).toBe(0);
    expect(intervalCostOre(750, 60)).toBe(13); // 12.5 -> 13
    expect(intervalCostOre(31200, 0)).toBe(0);
  });

  it("never drifts on fractional seconds", () => {
    // 7800 øre/h x 0.001 s = 0.002166... øre -> 0
    expect(intervalCostOre(7800, 0.001)).toBe(0);
    // 3600 øre/h x 1.5 s = 1.5 øre -> 2
    expect(intervalCostOre(3600, 1.5)).toBe(2);
  });
});
