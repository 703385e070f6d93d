import { describe, expect, it } from "vitest";
import { budgetState, forecastOre, monthOf, oreToAmountInput, parseNokAmount, percentOf, reachedAlerts, reaches } from "./budget-math";

describe("monthOf", () => {
  it("is the UTC calendar month, across year ends and leap years", () => {
    expect(monthOf(new Date("2026-11-15T12:00:00Z"))).toEqual({ start: new Date("2026-11-01T00:00:00Z"), end: new Date("2026-12-01T00:00:00Z") });
    expect(monthOf(new Date("2026-12-31T23:59:59.999Z")).end).toEqual(new Date("2027-01-01T00:00:00Z"));
    // 00:30 in Oslo on 1 December is still November in UTC.
    expect(monthOf(new Date("2026-11-30T23:30:00Z")).start).toEqual(new Date("2026-11-01T00:00:00Z"));
    expect(monthOf(new Date("2028-02-10T00:00:00Z")).end).toEqual(new Date("2028-03-01T00:00:00Z"));
  });
});

describe("forecastOre", () => {
  const november = monthOf(new Date("2026-11-01T00:00:00Z")); // 30 days

  it("gives no forecast before 24 hours of the month have passed", () => {
    expect(forecastOre(50_000, new Date("2026-11-01T00:00:00Z"))).toBeNull();
    expect(forecastOre(50_000, new Date("2026-11-01T23:59:59.999Z"))).toBeNull();
    expect(forecastOre(50_000, new Date("2026-11-02T00:00:00Z"))).toBe(1_500_000); // 1 of 30 days
  });

  it("is spend divided by the elapsed fraction of the month", () => {
    expect(forecastOre(100_000, new Date("2026-11-16T00:00:00Z"), november)).toBe(200_000); // half the month
    expect(forecastOre(300_000, new Date("2026-11-11T00:00:00Z"), november)).toBe(900_000); // a third
    expect(forecastOre(0, new Date("2026-11-20T00:00:00Z"), november)).toBe(0);
    // February 2027 has 28 days: 7 days in, x4.
    expect(forecastOre(12_345, new Date("2027-02-08T00:00:00Z"))).toBe(49_380);
  });

  it("rounds half up to whole øre, exactly", () => {
    // 10 øre after 7 of 30 days: 10 x 30 / 7 = 42.857... -> 43
    expect(forecastOre(10, new Date("2026-11-08T00:00:00Z"))).toBe(43);
    // 1 øre after 4 of 30 days: 7.5 -> 8 (half up)
    expect(forecastOre(1, new Date("2026-11-05T00:00:00Z"))).toBe(8);
    // 1 øre after 12 of 30 days: 2.5 -> 3
    expect(forecastOre(1, new Date("2026-11-13T00:00:00Z"))).toBe(3);
    // Large amounts stay exact: NOK 90 million after 29 of 30 days.
    expect(forecastOre(9_000_000_000, new Date("2026-11-30T00:00:00Z"))).toBe(9_310_344_828); // 9 310 344 827.586...
  });

  it("is the spend itself once the month is over", () => {
    expect(forecastOre(777, new Date("2026-12-03T00:00:00Z"), november)).toBe(777);
  });
});

describe("thresholds and state", () => {
  it("compares exactly at the boundary", () => {
    expect(reaches(80_000, 100_000, 80)).toBe(true);
    expect(reaches(79_999, 100_000, 80)).toBe(false);
    expect(reaches(100_000, 100_000, 100)).toBe(true);
    expect(reaches(99_999, 100_000, 100)).toBe(false);
    expect(reaches(1, 3, 33)).toBe(true); // 33.33 %
  });

  it("shows percent rounded down to a tenth", () => {
    expect(percentOf(99_960, 100_000)).toBe(99.9);
    expect(percentOf(80_000, 100_000)).toBe(80);
    expect(percentOf(250_000, 100_000)).toBe(250);
  });

  it("is ok, warning (80 % actual or forecast) or exceeded (100 % actual)", () => {
    expect(budgetState(10_000, null, 100_000)).toBe("ok");
    expect(budgetState(10_000, 79_999, 100_000)).toBe("ok");
    expect(budgetState(10_000, 80_000, 100_000)).toBe("warning");
    expect(budgetState(80_000, null, 100_000)).toBe("warning");
    expect(budgetState(100_000, 100_000, 100_000)).toBe("exceeded");
  });

  it("lists the alerts reached, actual and forecast", () => {
    expect(reachedAlerts(50_000, null, 100_000)).toEqual([]);
    expect(reachedAlerts(50_000, 90_000, 100_000)).toEqual([{ threshold: 80, kind: "FORECAST" }]);
    expect(reachedAlerts(85_000, 120_000, 100_000)).toEqual([
      { threshold: 80, kind: "ACTUAL" },
      { threshold: 80, kind: "FORECAST" },
      { threshold: 100, kind: "FORECAST" },
    ]);
  });
});

describe("parseNokAmount", () => {
  it("reads amounts as people type them, exactly in øre", () => {
    expect(parseNokAmount("25000")).toEqual({ ok: true, ore: 2_500_000 });
    expect(parseNokAmount("25 000,50")).toEqual({ ok: true, ore: 2_500_050 });
    expect(parseNokAmount("25\u00a0000.5")).toEqual({ ok: true, ore: 2_500_050 });
    expect(parseNokAmount("kr 1 000")).toEqual({ ok: true, ore: 100_000 });
    expect(parseNokAmount("0,01")).toEqual({ ok: true, ore: 1 });
    expect(parseNokAmount("100000000")).toEqual({ ok: true, ore: 10_000_000_000 });
  });

  it("refuses text, negative or zero amounts, three decimals and absurd sizes", () => {
    expect(parseNokAmount("abc")).toEqual({ ok: false, error: "errors.budgetAmountInvalid" });
    expect(parseNokAmount("12e3")).toEqual({ ok: false, error: "errors.budgetAmountInvalid" });
    expect(parseNokAmount("-100")).toEqual({ ok: false, error: "errors.budgetAmountPositive" });
    expect(parseNokAmount("0")).toEqual({ ok: false, error: "errors.budgetAmountPositive" });
    expect(parseNokAmount("0,00")).toEqual({ ok: false, error: "errors.budgetAmountPositive" });
    expect(parseNokAmount("10,555")).toEqual({ ok: false, error: "errors.budgetAmountDecimals" });
    expect(parseNokAmount("100000000,01")).toEqual({ ok: false, error: "errors.budgetAmountTooLarge" });
    expect(parseNokAmount("99999999999999999999")).toEqual({ ok: false, error: "errors.budgetAmountTooLarge" });
  });

  it("round-trips through the form's text", () => {
    expect(oreToAmountInput(2_500_050)).toBe("25000.50");
    expect(oreToAmountInput(2_500_000)).toBe("25000");
    expect(oreToAmountInput(5)).toBe("0.05");
    expect(parseNokAmount(oreToAmountInput(123_456_789))).toEqual({ ok: true, ore: 123_456_789 });
  });
});
