// Input schemas for the procurement actions on invoices.
import { z } from "zod";
import { idField } from "../validation/fields";

export const invoiceRefSchema = z.object({ orgId: idField, invoiceId: idField });

export const disputeSchema = invoiceRefSchema.extend({
  reason: z.string({ error: "errors.required" }).trim().min(10, "errors.disputeReasonShort").max(2000, "errors.tooLong"),
});

export const billingSettingsSchema = z.object({
  orgId: idField,
  buyerReference: z.string({ error: "errors.required" }).trim().min(1, "errors.required").max(100, "errors.tooLong"),
  orderReference: z
    .string()
    .trim()
    .max(100, "errors.tooLong")
    .optional()
    .transform((v) => (v ? v : null)),
  invoiceApprovals: z.coerce.number({ error: "errors.invalidValue" }).int("errors.invalidValue").min(1, "errors.invalidValue").max(2, "errors.invalidValue"),
});
