// Input schemas for organisation sign-up and organisation details.
import { z } from "zod";
import { emailField, nameField, passwordField } from "../validation/fields";
import { isValidOrgNumber, normaliseOrgNumber } from "../validation/org-number";

export const SECTORS = ["PUBLIC_SECTOR", "INDUSTRY", "HEALTH", "FINANCE", "RESEARCH", "OTHER"] as const;

export const orgNumberField = z
  .string({ error: "errors.required" })
  .transform(normaliseOrgNumber)
  .pipe(
    z
      .string()
      .min(1, "errors.required")
      .regex(/^\d{9}$/, "errors.orgNumberFormat")
      .refine(isValidOrgNumber, "errors.orgNumberChecksum"),
  );

export const orgDetailsSchema = z.object({
  orgName: z.string({ error: "errors.required" }).trim().min(2, "errors.orgNameTooShort").max(160, "errors.tooLong"),
  sector: z.enum(SECTORS, { error: "errors.sectorInvalid" }),
  billingStreet: z.string({ error: "errors.required" }).trim().min(1, "errors.required").max(200, "errors.tooLong"),
  billingPostalCode: z.string({ error: "errors.required" }).trim().regex(/^\d{4}$/, "errors.postalCodeInvalid"),
  billingCity: z.string({ error: "errors.required" }).trim().min(1, "errors.required").max(100, "errors.tooLong"),
  buyerReference: z.string({ error: "errors.required" }).trim().min(1, "errors.required").max(100, "errors.tooLong"),
});

export const signUpSchema = orgDetailsSchema.extend({
  orgNumber: orgNumberField,
  name: nameField,
  email: emailField,
  password: passwordField,
  acceptDpa: z.literal("on", { error: "errors.dpaRequired" }),
});

export type SignUpInput = z.infer<typeof signUpSchema>;
