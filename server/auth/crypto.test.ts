import { describe, expect, it } from "vitest";
import { keyedHash, open, seal } from "./crypto";
import { hashRecoveryCode, newRecoveryCode, newRecoveryCodes, normaliseRecoveryCode, RECOVERY_CODE_COUNT } from "./recovery-codes";

const SECRET = "unit-test-auth-secret-0123456789abcdef";

describe("sealing secrets (AES-256-GCM, key from AUTH_SECRET by HKDF)", () => {
  it("round-trips, with a fresh IV each time", () => {
    const a = seal("JBSWY3DPEHPK3PXP", "totp-secret", "user-1", SECRET);
    const b = seal("JBSWY3DPEHPK3PXP", "totp-secret", "user-1", SECRET);
    expect(a).not.toBe(b);
    expect(a).not.toContain("JBSWY3DPEHPK3PXP");
    expect(open(a, "totp-secret", "user-1", SECRET)).toBe("JBSWY3DPEHPK3PXP");
    expect(open(b, "totp-secret", "user-1", SECRET)).toBe("JBSWY3DPEHPK3PXP");
  });

  it("opens only with the same context, purpose and secret", () => {
    const sealed = seal("secret text", "totp-secret", "user-1", SECRET);
    expect(open(sealed, "totp-secret", "user-2", SECRET)).toBeNull();
    expect(open(sealed, "sign-in-challenge", "user-1", SECRET)).toBeNull();
    expect(open(sealed, "totp-secret", "user-1", `${SECRET}-rotated`)).toBeNull();
  });

  it("detects tampering and malformed input", () => {
    const sealed = seal("secret text", "totp-secret", "", SECRET);
    const [version, iv, body, tag] = sealed.split(".");
    const flipped = Buffer.from(body!, "base64url");
    flipped[0] = flipped[0]! ^ 1;
    expect(open([version, iv, flipped.toString("base64url"), tag].join("."), "totp-secret", "", SECRET)).toBeNull();
    expect(open("v1.abc", "totp-secret", "", SECRET)).toBeNull();
    expect(open("v2.a.b.c", "totp-secret", "", SECRET)).toBeNull();
    expect(open("", "totp-secret", "", SECRET)).toBeNull();
  });

  it("keyed hashes are stable per secret and purpose", () => {
    expect(keyedHash("x", "recovery-code", SECRET)).toBe(keyedHash("x", "recovery-code", SECRET));
    expect(keyedHash("x", "recovery-code", SECRET)).not.toBe(keyedHash("x", "recovery-code", `${SECRET}!`));
    expect(keyedHash("x", "recovery-code", SECRET)).not.toBe(keyedHash("x", "totp-secret", SECRET));
  });
});

describe("recovery codes", () => {
  it("come ten at a time, distinct, in an unambiguous alphabet", () => {
    const codes = newRecoveryCodes();
    expect(codes).toHaveLength(RECOVERY_CODE_COUNT);
    expect(new Set(codes).size).toBe(RECOVERY_CODE_COUNT);
    for (const code of codes) expect(code).toMatch(/^[2-9A-HJKMNP-Z]{5}-[2-9A-HJKMNP-Z]{5}$/);
  });

  it("hash alike however they are typed, and unlike each other", () => {
    const code = newRecoveryCode();
    const hash = hashRecoveryCode(code, SECRET);
    expect(hash).toMatch(/^[0-9a-f]{64}$/);
    expect(hash).not.toContain(code.replace("-", "").toLowerCase());
    expect(hashRecoveryCode(code.toLowerCase(), SECRET)).toBe(hash);
    expect(hashRecoveryCode(` ${code.replace("-", " ")} `, SECRET)).toBe(hash);
    expect(hashRecoveryCode(code.replace("-", ""), SECRET)).toBe(hash);
    let other = newRecoveryCode();
    while (other === code) other = newRecoveryCode();
    expect(hashRecoveryCode(other, SECRET)).not.toBe(hash);
  });

  it("are refused when they cannot be one (wrong length, letters outside the alphabet)", () => {
    expect(normaliseRecoveryCode("ABCDE-FGH")).toBeNull();
    expect(normaliseRecoveryCode("ABCDE-FGHI0")).toBeNull();
    expect(normaliseRecoveryCode("ABCDE-FGHIJ")).toBeNull(); // I is not in the alphabet
    expect(normaliseRecoveryCode("abcde fghjk")).toBe("ABCDEFGHJK");
    expect(hashRecoveryCode("123456", SECRET)).toBeNull();
  });
});
