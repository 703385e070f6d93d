import { describe, expect, it } from "vitest";
import { base32Decode, base32Encode, generateTotpSecret, groupSecret, hotp, matchTotp, otpauthUrl, timeStep, totp } from "./totp";

// RFC 6238 appendix B: the SHA-1 key is the ASCII string "12345678901234567890".
const RFC_KEY = Buffer.from("12345678901234567890", "ascii");
const RFC_SECRET = base32Encode(RFC_KEY);

describe("base32 (RFC 4648)", () => {
  it("encodes and decodes the RFC test vectors", () => {
    const vectors: Array<[string, string]> = [
      ["", ""],
      ["f", "MY"],
      ["fo", "MZXQ"],
      ["foo", "MZXW6"],
      ["foob", "MZXW6YQ"],
      ["fooba", "MZXW6YTB"],
      ["foobar", "MZXW6YTBOI"],
    ];
    for (const [plain, encoded] of vectors) {
      expect(base32Encode(Buffer.from(plain))).toBe(encoded);
      expect(base32Decode(encoded).toString()).toBe(plain);
    }
    expect(RFC_SECRET).toBe("GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ");
  });

  it("ignores case, spaces, hyphens and padding, and rejects other characters", () => {
    expect(base32Decode("mzxw 6ytb-oi======").toString()).toBe("foobar");
    expect(() => base32Decode("MZXW1")).toThrow(/invalid base32/);
  });

  it("round-trips random secrets of 160 bits", () => {
    for (let i = 0; i < 20; i++) {
      const secret = generateTotpSecret();
      expect(secret).toMatch(/^[A-Z2-7]{32}$/);
      expect(base32Decode(secret)).toHaveLength(20);
      expect(base32Encode(base32Decode(secret))).toBe(secret);
    }
  });
});

describe("HOTP (RFC 4226 appendix D)", () => {
  it("matches the published values for counters 0 to 9", () => {
    const expected = ["755224", "287082", "359152", "969429", "338314", "254676", "287922", "162583", "399871", "520489"];
    expect(expected.map((_, counter) => hotp(RFC_KEY, counter))).toEqual(expected);
  });
});

describe("TOTP (RFC 6238 appendix B, SHA-1)", () => {
  const vectors: Array<[number, string]> = [
    [59, "94287082"],
    [1111111109, "07081804"],
    [1111111111, "14050471"],
    [1234567890, "89005924"],
    [2000000000, "69279037"],
    [20000000000, "65353130"],
  ];

  it("gives the 8-digit test values at each test time", () => {
    for (const [seconds, code] of vectors) expect(hotp(RFC_KEY, timeStep(seconds * 1000), 8), String(seconds)).toBe(code);
  });

  it("gives their last six digits as the 6-digit code of the base32 secret", () => {
    for (const [seconds, code] of vectors) expect(totp(RFC_SECRET, seconds * 1000)).toBe(code.slice(-6));
  });
});

describe("matching a typed code", () => {
  const at = 1_700_000_000_000;
  const now = timeStep(at);

  it("accepts the current step and one step either side, and nothing further", () => {
    expect(matchTotp(RFC_SECRET, totp(RFC_SECRET, at), at)).toBe(now);
    expect(matchTotp(RFC_SECRET, totp(RFC_SECRET, at - 30_000), at)).toBe(now - 1);
    expect(matchTotp(RFC_SECRET, totp(RFC_SECRET, at + 30_000), at)).toBe(now + 1);
    expect(matchTotp(RFC_SECRET, totp(RFC_SECRET, at - 60_000), at)).toBeNull();
    expect(matchTotp(RFC_SECRET, totp(RFC_SECRET, at + 60_000), at)).toBeNull();
  });

  it("refuses a code from the last used step or earlier (replay)", () => {
    const code = totp(RFC_SECRET, at);
    expect(matchTotp(RFC_SECRET, code, at, now)).toBeNull();
    expect(matchTotp(RFC_SECRET, totp(RFC_SECRET, at - 30_000), at, now)).toBeNull();
    expect(matchTotp(RFC_SECRET, totp(RFC_SECRET, at + 30_000), at, now)).toBe(now + 1);
  });

  it("refuses anything that is not six digits", () => {
    const code = totp(RFC_SECRET, at);
    for (const bad of ["", "12345", "1234567", `${code.slice(0, 5)}x`, ` ${code}`]) expect(matchTotp(RFC_SECRET, bad, at)).toBeNull();
  });
});

describe("otpauth URL", () => {
  it("carries the secret, issuer and parameters authenticator apps expect", () => {
    const text = otpauthUrl("JBSWY3DPEHPK3PXP", "eva@example.no", "Nordlys AI Cloud");
    expect(text.startsWith("otpauth://totp/Nordlys%20AI%20Cloud:eva%40example.no?")).toBe(true);
    const url = new URL(text);
    expect(Object.fromEntries(url.searchParams)).toEqual({ secret: "JBSWY3DPEHPK3PXP", issuer: "Nordlys AI Cloud", algorithm: "SHA1", digits: "6", period: "30" });
    expect(groupSecret("JBSWY3DPEHPK3PXP")).toBe("JBSW Y3DP EHPK 3PXP");
  });
});
