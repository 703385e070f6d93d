import { describe, expect, it } from "vitest";
import { isValidOrgNumber, mod11CheckDigit, normaliseOrgNumber } from "./org-number";

describe("organisation number MOD11", () => {
  it("accepts real registered numbers", () => {
    // Equinor ASA, DNB Bank ASA, Brønnøysundregistrene
    for (const n of ["923609016", "984851006", "974760673"]) expect(isValidOrgNumber(n)).toBe(true);
  });

  it("computes the check digit by hand-worked example", () => {
    // 9 2 3 6 0 9 0 1 x weights 3 2 7 6 5 4 3 2 = 27+4+21+36+0+36+0+2 = 126; 126 % 11 = 5; 11-5 = 6
    expect(mod11CheckDigit("92360901")).toBe(6);
  });

  it("maps remainder 0 to check digit 0 and rejects remainder 1", () => {
    // 1·3 + 4·2 = 11 -> remainder 0 -> check digit 0
    expect(mod11CheckDigit("10000004")).toBe(0);
    // 2·3 + 2·2 = 10 -> remainder 10 -> check digit 1
    expect(mod11CheckDigit("20000002")).toBe(1);
    // 4·3 = 12 -> remainder 1 -> check digit would be 10: no valid number has these first digits
    expect(mod11CheckDigit("40000000")).toBeNull();
    for (let d = 0; d <= 9; d++) expect(isValidOrgNumber(`40000000${d}`)).toBe(false);
  });

  it("rejects wrong check digits, wrong lengths and letters", () => {
    expect(isValidOrgNumber("923609017")).toBe(false);
    expect(isValidOrgNumber("92360901")).toBe(false);
    expect(isValidOrgNumber("9236090160")).toBe(false);
    expect(isValidOrgNumber("92360901a")).toBe(false);
    expect(isValidOrgNumber("")).toBe(false);
  });

  it("accepts the usual spacing people type", () => {
    expect(normaliseOrgNumber("923 609 016")).toBe("923609016");
    expect(isValidOrgNumber("923 609 016")).toBe(true);
    expect(isValidOrgNumber("923.609.016")).toBe(true);
  });
});
