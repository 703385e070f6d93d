// Shared zod field rules; messages are message keys translated where they are shown.
import { z } from "zod";
import { ROLES } from "../permissions";

export const emailField = z
  .string({ error: "errors.required" })
  .trim()
  .toLowerCase()
  .min(1, "errors.required")
  .max(254, "errors.emailInvalid")
  .pipe(z.email("errors.emailInvalid"));

export const passwordField = z
  .string({ error: "errors.required" })
  .min(12, "errors.passwordTooShort")
  .max(256, "errors.passwordTooLong");

/** A password typed to sign in or confirm: any non-empty string within a sane bound. */
export const existingPasswordField = z.string({ error: "errors.required" }).min(1, "errors.required").max(256, "errors.passwordTooLong");

export const nameField = z.string({ error: "errors.required" }).trim().min(1, "errors.required").max(120, "errors.tooLong");

export const idField = z.string({ error: "errors.required" }).trim().min(1, "errors.required").max(64, "errors.invalidId").regex(/^[A-Za-z0-9_-]+$/, "errors.invalidId");

export const tokenField = z.string({ error: "errors.tokenInvalid" }).min(20, "errors.tokenInvalid").max(128, "errors.tokenInvalid").regex(/^[A-Za-z0-9_-]+$/, "errors.tokenInvalid");

export const roleField = z.enum(ROLES, { error: "errors.roleInvalid" });

/** Text the database can store: no NUL (PostgreSQL refuses it) and no lone surrogate (not Unicode at all). */
export function isStorableText(text: string): boolean {
  return !text.includes("\u0000") && text.isWellFormed();
}

/**
 * A real calendar day "YYYY-MM-DD" in the years 1000 to 9998. PostgreSQL has no year 0 and refuses the
 * way JavaScript writes year 10000, so this leaves room for reports reaching days or a year around it.
 */
export function isCalendarDay(text: string): boolean {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(text)) return false;
  const date = new Date(`${text}T00:00:00Z`);
  if (Number.isNaN(date.getTime()) || date.toISOString().slice(0, 10) !== text) return false;
  return date.getUTCFullYear() >= 1000 && date.getUTCFullYear() <= 9998;
}
