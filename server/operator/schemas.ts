// Input schemas for the operators' console.
import { z } from "zod";
import { idField } from "../validation/fields";

const reason = z.string().trim().max(1000, "errors.tooLong").optional().transform((v) => (v ? v : null));

export const orgStatusSchema = z
  .object({
    orgId: idField,
    transition: z.enum(["approve", "reject", "suspend", "reactivate"], { error: "errors.invalidValue" }),
    reason,
  })
  .refine((v) => !["reject", "suspend"].includes(v.transition) || (v.reason && v.reason.length >= 5), { message: "errors.reasonRequired", path: ["reason"] });

const shapeId = z.string().trim().regex(/^[a-z0-9][a-z0-9.-]{0,63}$/, "errors.invalidValue");

export const orgLimitsSchema = z.object({
  orgId: idField,
  gpuQuota: z.coerce.number({ error: "errors.invalidValue" }).int("errors.invalidValue").min(0, "errors.invalidValue").max(512, "errors.invalidValue"),
  /** Checkbox values; none ticked with allShapes = "1" means every offered shape. */
  allShapes: z.enum(["on", "1"]).optional(),
  shapes: z.union([shapeId, z.array(shapeId)]).optional().transform((v) => (v === undefined ? [] : Array.isArray(v) ? v : [v])),
});

export const creditNoteSchema = z.object({
  invoiceId: idField,
  reason: z.string({ error: "errors.required" }).trim().min(5, "errors.reasonRequired").max(1000, "errors.tooLong"),
  /** NOK before VAT, e.g. "1234,50"; empty = the whole remaining amount. */
  amount: z
    .string()
    .trim()
    .optional()
    .transform((v) => (v ? v.replace(/\s/g, "").replace(",", ".") : ""))
    .pipe(z.string().regex(/^(\d{1,9}(\.\d{1,2})?)?$/, "errors.amountInvalid")),
});

export const shapeOfferSchema = z.object({
  shapeId,
  /** NOK per hour, e.g. "39" or "39,50". */
  price: z
    .string({ error: "errors.required" })
    .trim()
    .transform((v) => v.replace(/\s/g, "").replace(",", "."))
    .pipe(z.string().regex(/^\d{1,6}(\.\d{1,2})?$/, "errors.amountInvalid")),
  available: z.enum(["on", "1"]).optional(),
});

export const factorSchema = z.object({
  key: z.string().trim().regex(/^[a-z0-9_.]{2,80}$/i, "errors.invalidValue"),
  value: z
    .string({ error: "errors.required" })
    .trim()
    .transform((v) => v.replace(",", "."))
    .pipe(z.string().regex(/^\d{1,9}(\.\d{1,9})?$/, "errors.invalidValue")),
  source: z.string({ error: "errors.required" }).trim().min(3, "errors.required").max(500, "errors.tooLong"),
  year: z.coerce.number({ error: "errors.invalidValue" }).int("errors.invalidValue").min(2000, "errors.invalidValue").max(2100, "errors.invalidValue"),
});
