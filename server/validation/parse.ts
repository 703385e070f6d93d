// Parses input with a zod schema; failure becomes an AppError carrying per-field message keys.
import type { z } from "zod";
import { AppError } from "../errors";

export function parseInput<S extends z.ZodType>(schema: S, raw: unknown): z.infer<S> {
  const parsed = schema.safeParse(raw);
  if (parsed.success) return parsed.data;
  const fieldErrors: Record<string, string> = {};
  for (const issue of parsed.error.issues) {
    const field = issue.path.length > 0 ? issue.path.map(String).join(".") : "_form";
    fieldErrors[field] ??= issue.message.startsWith("errors.") ? issue.message : "errors.invalidValue";
  }
  throw new AppError("errors.validation", fieldErrors);
}
