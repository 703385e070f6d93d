import { describe, expect, it } from "vitest";
import { isValidKid, kidMod10CheckDigit, kidMod11CheckDigit, kidSchemes, makeKid } from "./kid";
import { mod11CheckDigit as orgNumberCheckDigit } from "../validation/org-number";

describe("KID MOD10 (Luhn)", () => {
  it("computes check digits worked by hand", () => {
    // 7992739871, from the right x2,x1,...: 1*2=2, 7, 8*2=16->7, 9, 3*2=6, 7, 2*2=4, 9, 9*2=18->9, 7
    // sum 67 -> check (10 - 7) % 10 = 3
    expect(kidMod10CheckDigit("7992739871")).toBe(3);
    expect(isValidKid("79927398713", "MOD10")).toBe(true);
    // 123456789: 9*2=18->9, 8, 7*2=14->5, 6, 5*2=10->1, 4, 3*2=6, 2, 1*2=2; sum 43 -> check 7
    expect(kidMod10CheckDigit("123456789")).toBe(7);
    expect(isValidKid("1234567897", "MOD10")).toBe(true);
    // 40: 0*2=0, 4; sum 4 -> check 6
    expect(isValidKid("406", "MOD10")).toBe(true);
    // 19: 9*2=18->9, 1; sum 10 -> check (10 - 0) % 10 = 0
    expect(kidMod10CheckDigit("19")).toBe(0);
    expect(isValidKid("190", "MOD10")).toBe(true);
  });

  it("rejects a wrong check digit, letters and bad lengths", () => {
    expect(isValidKid("79927398710")).toBe(false);
    expect(isValidKid("1234567898", "MOD10")).toBe(false);
    expect(isValidKid("7992739871-")).toBe(false);
    expect(isValidKid("7 992739871 3")).toBe(false);
    expect(isValidKid("0")).toBe(false); // 1 digit
    expect(isValidKid("00")).toBe(true); // 2 digits is the minimum
    expect(isValidKid(`${"1".repeat(24)}${kidMod10CheckDigit("1".repeat(24))}`)).toBe(true); // 25 digits
    expect(isValidKid(`${"1".repeat(25)}${kidMod10CheckDigit("1".repeat(25).slice(0, 24))}`)).toBe(false); // 26
  });
});

describe("KID MOD11", () => {
  it("computes check digits worked by hand", () => {
    // 123456789, weights 2..7 from the right: 9*2 + 8*3 + 7*4 + 6*5 + 5*6 + 4*7 + 3*2 + 2*3 + 1*4 = 174
    // 174 mod 11 = 9 -> check 11 - 9 = 2
    expect(kidMod11CheckDigit("123456789")).toBe(2);
    expect(isValidKid("1234567892", "MOD11")).toBe(true);
    expect(isValidKid("1234567892", "MOD10")).toBe(false);
    // 31: 1*2 + 3*3 = 11, remainder 0 -> check 0
    expect(kidMod11CheckDigit("31")).toBe(0);
    expect(isValidKid("310", "MOD11")).toBe(true);
  });

  it("has no check digit when the remainder is 1 (check digit 10)", () => {
    // 40: 0*2 + 4*3 = 12, remainder 1 -> 11 - 1 = 10: no MOD11 KID starts with this payload
    expect(kidMod11CheckDigit("40")).toBeNull();
    for (let digit = 0; digit <= 9; digit++) expect(isValidKid(`40${digit}`, "MOD11")).toBe(false);
    expect(kidMod11CheckDigit("6")).toBeNull(); // 6*2 = 12
  });

  it("agrees with organisation numbers (weights 3,2,7,6,5,4,3,2 are 2..7 from the right)", () => {
    // 92360901: 1*2 + 0*3 + 9*4 + 0*5 + 6*6 + 3*7 + 2*2 + 9*3 = 126, 126 mod 11 = 5 -> check 6
    expect(isValidKid("923609016", "MOD11")).toBe(true);
    for (const payload of ["92345678", "97412345", "12345678", "98765432", "00000000"]) {
      expect(kidMod11CheckDigit(payload)).toBe(orgNumberCheckDigit(payload));
    }
  });

  it("names the schemes a KID satisfies", () => {
    expect(kidSchemes("1234567892")).toEqual(["MOD11"]);
    expect(kidSchemes("1234567897")).toEqual(["MOD10"]);
    // 1234567: Luhn sum 26 -> 4; MOD11 sum 106, remainder 7 -> 4: valid by both
    expect(kidSchemes("12345674")).toEqual(["MOD10", "MOD11"]);
    expect(kidSchemes("12345675")).toEqual([]);
    expect(kidSchemes("abc")).toEqual([]);
  });
});

describe("makeKid", () => {
  it("makes an 18-digit MOD10 KID from customer and invoice number", () => {
    // payload 0000042 + 2026000123; from the right x2,x1,...: 3*2=6, 2, 1*2=2, 0, 0, 0, 6*2=12->3, 2, 0, 2,
    // 2*2=4, 4, 0, ... -> sum 25 -> check 5
    const kid = makeKid(42, "2026-000123");
    expect(kid).toBe("000004220260001235");
    expect(kid).toHaveLength(18);
    expect(isValidKid(kid, "MOD10")).toBe(true);
    // 00000010000000007: 7*2=14->5; the 1 is the 11th digit from the right, so x2 = 2; sum 7 -> check 3
    expect(makeKid("1", "7")).toBe("000000100000000073");
  });

  it("refuses numbers that do not fit", () => {
    expect(() => makeKid(12_345_678, "1")).toThrow(/Customer number/);
    expect(() => makeKid("-1", "1")).toThrow(/Customer number/);
    expect(() => makeKid(1, "2026-00000001234")).toThrow(/Invoice number/);
    expect(() => makeKid(1, "draft")).toThrow(/Invoice number/);
  });
});
