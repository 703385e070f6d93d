import { describe, expect, it } from "vitest";
import { signUpSchema } from "./schemas";
import { emailField, passwordField, roleField, tokenField } from "../validation/fields";
import { parseInput } from "../validation/parse";
import { AppError } from "../errors";
import { auditFilterSchema } from "../audit/filter-schema";

const valid = {
  orgName: "Helse Test HF",
  orgNumber: "923 609 016",
  sector: "HEALTH",
  billingStreet: "Testveien 1",
  billingPostalCode: "0150",
  billingCity: "Oslo",
  buyerReference: "REF-1",
  name: "Test Person",
  email: "  Test.Person@Example.NO ",
  password: "correct horse battery",
  acceptDpa: "on",
};

function fieldErrors(input: unknown): Record<string, string> {
  try {
    parseInput(signUpSchema, input);
  } catch (error) {
    if (error instanceof AppError) return error.fieldErrors ?? {};
    throw error;
  }
  return {};
}

describe("sign-up schema", () => {
  it("normalises a valid registration", () => {
    const parsed = signUpSchema.parse(valid);
    expect(parsed.orgNumber).toBe("923609016");
    expect(parsed.email).toBe("test.person@example.no");
  });

  it("explains an invalid or malformed organisation number", () => {
    expect(fieldErrors({ ...valid, orgNumber: "923609017" }).orgNumber).toBe("errors.orgNumberChecksum");
    expect(fieldErrors({ ...valid, orgNumber: "12345" }).orgNumber).toBe("errors.orgNumberFormat");
    expect(fieldErrors({ ...valid, orgNumber: "" }).orgNumber).toBe("errors.required");
  });

  it("requires the DPA to be accepted", () => {
    expect(fieldErrors({ ...valid, acceptDpa: undefined }).acceptDpa).toBe("errors.dpaRequired");
    expect(fieldErrors({ ...valid, acceptDpa: "yes" }).acceptDpa).toBe("errors.dpaRequired");
  });

  it("reports every missing field with a message key, never a raw zod message", () => {
    const errors = fieldErrors({});
    for (const key of ["orgName", "orgNumber", "sector", "billingStreet", "billingPostalCode", "billingCity", "buyerReference", "name", "email", "password", "acceptDpa"]) {
      expect(errors[key], key).toMatch(/^errors\./);
    }
  });

  it("rejects wrong types, unknown sectors, bad postal codes and huge strings", () => {
    expect(fieldErrors({ ...valid, sector: "MILITARY" }).sector).toBe("errors.sectorInvalid");
    expect(fieldErrors({ ...valid, billingPostalCode: "12345" }).billingPostalCode).toBe("errors.postalCodeInvalid");
    expect(fieldErrors({ ...valid, orgName: "x".repeat(5000) }).orgName).toBe("errors.tooLong");
    expect(fieldErrors({ ...valid, name: 42 }).name).toBe("errors.required");
    expect(fieldErrors("not an object")._form).toMatch(/^errors\./);
  });
});

describe("shared fields", () => {
  it("validates e-mail, password, role and token", () => {
    expect(emailField.safeParse("not-an-email").success).toBe(false);
    expect(emailField.parse(" A@B.NO ")).toBe("a@b.no");
    expect(passwordField.safeParse("short").success).toBe(false);
    expect(passwordField.safeParse("twelve chars").success).toBe(true);
    expect(roleField.safeParse("OWNER").success).toBe(true);
    expect(roleField.safeParse("ROOT").success).toBe(false);
    expect(tokenField.safeParse("abc").success).toBe(false);
    expect(tokenField.safeParse("a".repeat(43)).success).toBe(true);
    expect(tokenField.safeParse("a".repeat(40) + "<script>").success).toBe(false);
  });

  it("degrades bad audit filters to no filter instead of failing", () => {
    const f = auditFilterSchema.parse({ action: "DROP TABLE", outcome: "MAYBE", from: "yesterday", page: "-3" });
    expect(f).toEqual({ action: undefined, actor: undefined, outcome: undefined, from: undefined, to: undefined, page: 1 });
  });
});
