import { describe, expect, it } from "vitest";
import {
  buildTotals,
  buildVatBreakdown,
  formatNok,
  lineNetOre,
  oreDecimalToKroner,
  oreToDecimal,
  vatForRate,
} from "./money";

describe("vatForRate", () => {
  it("rounds exactly half an øre away from zero", () => {
    // 1 234,50 kr x 25 % = 308,625 kr: the third decimal is exactly 5 -> 308,63 kr
    expect(vatForRate(123_450, 25)).toBe(30_863);
    expect(vatForRate(-123_450, 25)).toBe(-30_863);
    expect(vatForRate(2, 25)).toBe(1); // 0.5 øre
    expect(vatForRate(-2, 25)).toBe(-1);
    expect(vatForRate(10, 15)).toBe(2); // 1.5 øre
    expect(vatForRate(-10, 15)).toBe(-2);
  });

  it("rounds below half down and above half up, for both signs", () => {
    expect(vatForRate(1, 25)).toBe(0); // 0.25
    expect(vatForRate(3, 25)).toBe(1); // 0.75
    expect(vatForRate(-1, 25)).toBe(0);
    expect(vatForRate(-3, 25)).toBe(-1);
    expect(vatForRate(12_345, 25)).toBe(3_086); // 3086.25
    expect(vatForRate(12_347, 25)).toBe(3_087); // 3086.75
  });

  it("handles other Norwegian rates, including 11.11 %, exactly", () => {
    expect(vatForRate(25, 12)).toBe(3); // exactly 3
    expect(vatForRate(4_500, 11.11)).toBe(500); // 499.95
    expect(vatForRate(45, 11.11)).toBe(5); // 4.9995
    expect(vatForRate(1_000_000, 0)).toBe(0);
    expect(vatForRate(0, 25)).toBe(0);
  });

  it("is exact for large amounts and refuses fractions of øre", () => {
    expect(vatForRate(99_999_999_999, 25)).toBe(25_000_000_000); // 24 999 999 999.75
    expect(() => vatForRate(1.5, 25)).toThrow(/whole number of øre/);
    expect(() => vatForRate(100, -1)).toThrow(/between 0 and 100/);
  });
});

describe("lineNetOre", () => {
  it("multiplies decimal strings exactly", () => {
    expect(lineNetOre("12.5000", "39000")).toBe(487_500);
    expect(lineNetOre("1.15", "100")).toBe(115); // 1.15 * 100 in floating point is 114.999...
    expect(lineNetOre("4.35", "100")).toBe(435); // and this 434.999...
    expect(lineNetOre("720", "12.5000")).toBe(9_000);
    expect(lineNetOre("0", "39000")).toBe(0);
  });

  it("rounds to whole øre, half away from zero", () => {
    expect(lineNetOre("0.0001", "3900")).toBe(0); // 0.39
    expect(lineNetOre("0.0002", "3900")).toBe(1); // 0.78
    expect(lineNetOre("3", "0.5")).toBe(2); // 1.5
    expect(lineNetOre("-3", "0.5")).toBe(-2);
    expect(lineNetOre("3", "-0.5")).toBe(-2);
    expect(lineNetOre("1.5", "0.3333")).toBe(0); // 0.49995
    expect(lineNetOre("1", "-500000")).toBe(-500_000);
  });

  it("refuses anything but plain decimals", () => {
    for (const bad of ["1e3", "abc", "1.", ".5", "1,5", "+1", ""]) {
      expect(() => lineNetOre(bad, "100")).toThrow(/decimal number/);
    }
  });
});

describe("amount formatting", () => {
  it("oreToDecimal gives exactly two decimals", () => {
    expect(oreToDecimal(123_456_750)).toBe("1234567.50");
    expect(oreToDecimal(5)).toBe("0.05");
    expect(oreToDecimal(-5)).toBe("-0.05");
    expect(oreToDecimal(-123)).toBe("-1.23");
    expect(oreToDecimal(0)).toBe("0.00");
    expect(() => oreToDecimal(0.5)).toThrow();
  });

  it("formatNok groups thousands with spaces and uses a decimal comma", () => {
    expect(formatNok(123_456_750)).toBe("1 234 567,50 kr");
    expect(formatNok(100_000)).toBe("1 000,00 kr");
    expect(formatNok(99_999)).toBe("999,99 kr");
    expect(formatNok(0)).toBe("0,00 kr");
    expect(formatNok(-5)).toBe("-0,05 kr");
    expect(formatNok(-50_000_000)).toBe("-500 000,00 kr");
    expect(formatNok(123_456_750, { noBreak: true })).toBe("1\u00a0234\u00a0567,50\u00a0kr");
  });

  it("oreDecimalToKroner shifts the decimal point and keeps every digit", () => {
    expect(oreDecimalToKroner("3900")).toBe("39.00");
    expect(oreDecimalToKroner("12.5000")).toBe("0.125000");
    expect(oreDecimalToKroner("123456.7")).toBe("1234.567");
    expect(oreDecimalToKroner("5")).toBe("0.05");
    expect(oreDecimalToKroner("-5")).toBe("-0.05");
    expect(oreDecimalToKroner("0")).toBe("0.00");
  });
});

describe("buildVatBreakdown and buildTotals", () => {
  it("rounds VAT once per rate, not per line", () => {
    const lines = [1, 1, 1].map((netOre) => ({ netOre, vatPercent: 25 }));
    // per line 0.25 øre would round to 0 each; the rate's 3 øre x 25 % = 0.75 -> 1
    expect(buildVatBreakdown(lines)).toEqual([{ percent: 25, category: "S", taxableOre: 3, taxOre: 1 }]);
  });

  it("sums many lines exactly", () => {
    const lines = Array.from({ length: 1000 }, (_, i) => ({ netOre: 4_321 + (i % 7), vatPercent: 25 }));
    const taxable = lines.reduce((sum, line) => sum + line.netOre, 0);
    expect(taxable).toBe(4_323_997); // 1000 x 4321 + 142 x (0+1+...+6) + (0+1+...+5)
    const vat = buildVatBreakdown(lines);
    expect(vat).toEqual([{ percent: 25, category: "S", taxableOre: 4_323_997, taxOre: 1_080_999 }]); // 1 080 999.25
    expect(buildTotals(lines, vat)).toEqual({
      lineExtensionOre: 4_323_997,
      taxExclusiveOre: 4_323_997,
      taxOre: 1_080_999,
      taxInclusiveOre: 5_404_996,
      payableOre: 5_404_996,
    });
  });

  it("nets credit lines against usage within their rate and keeps rates apart", () => {
    const lines = [
      { netOre: 1_000_000, vatPercent: 25 },
      { netOre: -250_002, vatPercent: 25 }, // innovation credit
      { netOre: 10, vatPercent: 15 },
      { netOre: 5_000, vatPercent: 0 },
      { netOre: 700, vatPercent: 0, vatCategory: "E" as const },
    ];
    const vat = buildVatBreakdown(lines);
    expect(vat).toEqual([
      { percent: 25, category: "S", taxableOre: 749_998, taxOre: 187_500 }, // 187 499.5 -> 187 500
      { percent: 15, category: "S", taxableOre: 10, taxOre: 2 }, // 1.5 -> 2
      { percent: 0, category: "Z", taxableOre: 5_000, taxOre: 0 },
      { percent: 0, category: "E", taxableOre: 700, taxOre: 0 },
    ]);
    const totals = buildTotals(lines, vat);
    expect(totals.lineExtensionOre).toBe(755_708);
    expect(totals.taxOre).toBe(187_502);
    expect(totals.payableOre).toBe(943_210);
  });

  it("gives an all-credit rate a negative VAT that mirrors the charge", () => {
    const vat = buildVatBreakdown([{ netOre: -123_450, vatPercent: 25 }]);
    expect(vat[0]?.taxOre).toBe(-30_863);
    expect(buildVatBreakdown([{ netOre: 123_450, vatPercent: 25 }])[0]?.taxOre).toBe(30_863);
  });

  it("refuses a breakdown that does not cover the lines", () => {
    const lines = [{ netOre: 100 }, { netOre: 200 }];
    expect(() => buildTotals(lines, [{ taxableOre: 100, taxOre: 25 }])).toThrow(/covers 100 øre but the lines sum to 300/);
    expect(() => buildVatBreakdown([{ netOre: 1.5, vatPercent: 25 }])).toThrow(/whole number of øre/);
  });
});
