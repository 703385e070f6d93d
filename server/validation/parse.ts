// Parses input with a zod schema; failure becomes an AppError carrying per-field message keys.
import type { z } from "zod";
import { AppError } from "../errors";
import { isStorableText } from "./fields";

export function parseInput<S extends z.ZodType>(schema: S, raw: unknown): z.infer<S> {
  const parsed = safeParse(schema, raw);
  if (parsed.success) {
    const unstorable = unstorableText(schema, raw) ?? unstorableDates(schema, parsed.data);
    if (unstorable) throw new AppError("errors.validation", unstorable);
    return parsed.data;
  }
  const fieldErrors: Record<string, string> = {};
  for (const issue of parsed.error.issues) {
    const field = issue.path.length > 0 ? issue.path.map(String).join(".") : "_form";
    fieldErrors[field] ??= issue.message.startsWith("errors.") ? issue.message : "errors.invalidValue";
  }
  throw new AppError("errors.validation", fieldErrors);
}

function safeParse<S extends z.ZodType>(schema: S, raw: unknown) {
  try {
    return schema.safeParse(raw);
  } catch {
    // Input no form can produce (e.g. an object that cannot be turned into a number) makes zod throw.
    throw new AppError("errors.validation", { _form: "errors.invalidValue" });
  }
}

/**
 * Fields of an otherwise valid input whose text could never be stored (NUL, a lone surrogate), as field
 * errors; null when there are none. Only the fields the schema reads count (extra ones are ignored).
 */
function unstorableText(schema: z.ZodType, raw: unknown): Record<string, string> | null {
  if (typeof raw !== "object" || raw === null) return typeof raw === "string" && !isStorableText(raw) ? { _form: "errors.invalidValue" } : null;
  const fields = topLevelFields(schema) ?? Object.keys(raw);
  const out: Record<string, string> = {};
  for (const field of fields) {
    if (!Object.prototype.hasOwnProperty.call(raw, field)) continue;
    const value = (raw as Record<string, unknown>)[field];
    const texts = Array.isArray(value) ? value : [value];
    if (texts.some((t) => typeof t === "string" && !isStorableText(t))) out[field] = "errors.invalidValue";
  }
  return Object.keys(out).length > 0 ? out : null;
}

/**
 * Dates in the parsed input that PostgreSQL cannot store (before year 1: "0000-01-01" is a real ISO
 * date, but year 0 does not exist there), as field errors on the field they came from; null when none.
 */
function unstorableDates(schema: z.ZodType, data: unknown): Record<string, string> | null {
  const fields = topLevelFields(schema) ?? [];
  const out: Record<string, string> = {};
  const visit = (value: unknown, path: string[], depth: number) => {
    if (value instanceof Date) {
      if (Number.isNaN(value.getTime()) || value.getUTCFullYear() < 1) out[path[0] && fields.includes(path[0]) ? path[0] : "_form"] ??= "errors.dateInvalid";
      return;
    }
    if (depth > 3 || typeof value !== "object" || value === null) return;
    for (const [key, inner] of Object.entries(value)) visit(inner, [...path, key], depth + 1);
  };
  visit(data, [], 0);
  return Object.keys(out).length > 0 ? out : null;
}

/** The keys an object schema reads, through pipes, transforms, refinements and optionals; null for other schemas. */
function topLevelFields(schema: z.ZodType): string[] | null {
  const def = (schema as unknown as { def?: { type?: string; shape?: Record<string, unknown>; in?: z.ZodType; innerType?: z.ZodType } }).def;
  if (!def) return null;
  if (def.type === "object" && def.shape) return Object.keys(def.shape);
  if (def.type === "pipe" && def.in) return topLevelFields(def.in);
  if (def.innerType) return topLevelFields(def.innerType);
  return null;
}
