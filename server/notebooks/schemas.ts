// Input rules for launching and managing notebooks.
import { z } from "zod";
import { idField } from "../validation/fields";

const catalogueId = z.string({ error: "errors.required" }).trim().min(1, "errors.required").max(64, "errors.invalidValue").regex(/^[a-z0-9][a-z0-9.-]*$/, "errors.invalidValue");

export const launchSchema = z.object({
  orgId: idField,
  displayName: z.string({ error: "errors.required" }).trim().min(1, "errors.required").max(60, "errors.tooLong"),
  project: z
    .string()
    .trim()
    .max(40, "errors.tooLong")
    .regex(/^[\p{L}\p{N} ._-]*$/u, "errors.invalidValue")
    .optional()
    .transform((v) => (v ? v : "General")),
  imageId: catalogueId,
  shapeId: catalogueId,
  regionId: catalogueId,
  storageGb: z.coerce.number({ error: "errors.storageRange" }).int("errors.storageRange").min(10, "errors.storageRange").max(1000, "errors.storageRange"),
  idleTimeoutMinutes: z.coerce.number({ error: "errors.idleRange" }).int("errors.idleRange").min(15, "errors.idleRange").max(1440, "errors.idleRange"),
});
export type LaunchInput = z.infer<typeof launchSchema>;

export const workbenchRefSchema = z.object({ orgId: idField, workbenchId: idField });

/** A DNS-1123 label for the workbench from its display name, unique within the organisation. */
export function workbenchName(displayName: string, suffix: string): string {
  const base = displayName
    .toLowerCase()
    .normalize("NFKD")
    .replace(/[\u0300-\u036f]/g, "")
    .replace(/æ/g, "ae")
    .replace(/ø/g, "o")
    .replace(/å/g, "a")
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/^-+|-+$/g, "")
    .slice(0, 40)
    .replace(/-+$/g, "");
  return `${base || "notebook"}-${suffix}`.replace(/^[^a-z]+/, "nb-");
}
