// Input schemas for the deletion-request workflow (customer and operator side).
import { z } from "zod";
import { idField } from "../validation/fields";

const optionalText = (max: number) =>
  z
    .string()
    .trim()
    .max(max, "errors.tooLong")
    .optional()
    .transform((v) => (v ? v : null));

export const requestDeletionSchema = z.object({
  orgId: idField,
  reason: optionalText(2000),
});

export const cancelDeletionSchema = z.object({
  orgId: idField,
  requestId: idField,
});

export const approveDeletionSchema = z.object({
  requestId: idField,
  note: optionalText(1000),
});

export const rejectDeletionSchema = z.object({
  requestId: idField,
  note: z.string({ error: "errors.reasonRequired" }).trim().min(5, "errors.reasonRequired").max(1000, "errors.tooLong"),
});

export const completeDeletionSchema = z.object({
  requestId: idField,
  note: optionalText(1000),
});

/** Operator list filter: open (requested or approved) by default. */
export const deletionListFilterSchema = z.object({
  status: z.enum(["open", "REQUESTED", "APPROVED", "COMPLETED", "CANCELLED", "all"]).default("open").catch("open"),
});
