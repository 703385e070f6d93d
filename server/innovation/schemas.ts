// Input schemas for joint-innovation requests. Form values arrive as strings; a draft needs only a title,
// a sector and a data sensitivity, a submission needs everything the provider reviews. Messages are keys.
import { z } from "zod";
import type { DataSensitivity, Sector } from "@/generated/prisma/enums";
import { SHAPES } from "@/control-plane/catalogue";
import { parseNokAmount } from "../billing/budget-math";
import { SECTORS } from "../orgs/schemas";
import { idField } from "../validation/fields";
import { PROVIDER_TARGETS } from "./status";

export const SENSITIVITIES = ["OPEN", "INTERNAL", "CONFIDENTIAL", "RESTRICTED"] as const satisfies readonly DataSensitivity[];
export const DURATION_UNITS = ["HOURS", "MONTHS"] as const;
export const MAX_CONTACTS = 3;
export const CONTACT_SLOTS = [1, 2, 3] as const;

/** Shapes a request can estimate its needs in: the catalogue's GPU shapes (whole GPUs and MIG slices). */
export const GPU_SHAPES = SHAPES.filter((s) => s.gpuModel !== null);

export interface InnovationContact {
  name: string;
  email: string;
  role: string;
}

/** A request's content as stored. */
export interface InnovationRequestData {
  orgId: string;
  /** The request to update; null creates a new one. */
  requestId: string | null;
  title: string;
  problem: string;
  outcome: string;
  sector: Sector;
  sensitivity: DataSensitivity;
  shapeId: string | null;
  gpuQuantity: number | null;
  durationValue: number | null;
  durationUnit: (typeof DURATION_UNITS)[number] | null;
  startDate: Date | null;
  endDate: Date | null;
  contacts: InnovationContact[];
}

const text = (max: number) =>
  z
    .string({ error: "errors.invalidValue" })
    .trim()
    .max(max, "errors.tooLong")
    .optional()
    .transform((v) => v ?? "");

const contactFields = Object.fromEntries(
  CONTACT_SLOTS.flatMap((n) => [
    [`contactName${n}`, text(120)],
    [`contactEmail${n}`, text(254)],
    [`contactRole${n}`, text(80)],
  ]),
) as Record<`contact${"Name" | "Email" | "Role"}${1 | 2 | 3}`, ReturnType<typeof text>>;

const requestFields = z.object({
  orgId: idField,
  requestId: z
    .union([idField, z.literal("")])
    .optional()
    .transform((v) => (v ? v : null)),
  title: text(160),
  problem: text(4000),
  outcome: text(4000),
  sector: text(40),
  sensitivity: text(40),
  shapeId: text(64),
  gpuQuantity: text(10),
  durationValue: text(10),
  durationUnit: text(10),
  startDate: text(10),
  endDate: text(10),
  ...contactFields,
});

type RequestFields = z.infer<typeof requestFields>;

const MIN_DESCRIPTION = 20;
const DURATION_MAX = { HOURS: 100_000, MONTHS: 36 } as const;

/** "YYYY-MM-DD" as a UTC midnight date, or null when it is not a real calendar date. */
export function parseDay(value: string): Date | null {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(value)) return null;
  const date = new Date(`${value}T00:00:00Z`);
  return Number.isNaN(date.getTime()) || date.toISOString().slice(0, 10) !== value ? null : date;
}

function wholeNumber(value: string, min: number, max: number): number | null {
  if (!/^\d{1,9}$/.test(value)) return null;
  const n = Number(value);
  return n >= min && n <= max ? n : null;
}

const isEmail = (value: string) => value.length <= 254 && z.email().safeParse(value).success;

/**
 * Checks a request's fields and builds what is stored. `mode` "submit" also asks for everything the
 * provider needs to review it. Problems are reported per field (as message keys) through `report`.
 */
export function buildRequest(v: RequestFields, mode: "draft" | "submit", report: (field: string, message: string) => void): InnovationRequestData {
  const complete = mode === "submit";
  if (v.title.length < 3) report("title", v.title ? "errors.innovationTitleShort" : "errors.required");
  for (const field of ["problem", "outcome"] as const) {
    if (complete && v[field].length < MIN_DESCRIPTION) report(field, v[field] ? "errors.innovationTextShort" : "errors.required");
  }
  const sector = (SECTORS as readonly string[]).includes(v.sector) ? (v.sector as Sector) : null;
  if (!sector) report("sector", "errors.sectorInvalid");
  const sensitivity = (SENSITIVITIES as readonly string[]).includes(v.sensitivity) ? (v.sensitivity as DataSensitivity) : null;
  if (!sensitivity) report("sensitivity", "errors.sensitivityRequired");

  let shapeId: string | null = null;
  if (v.shapeId) {
    if (GPU_SHAPES.some((s) => s.id === v.shapeId)) shapeId = v.shapeId;
    else report("shapeId", "errors.unknownShape");
  } else if (complete) report("shapeId", "errors.required");

  let gpuQuantity: number | null = null;
  if (v.gpuQuantity) {
    gpuQuantity = wholeNumber(v.gpuQuantity, 1, 64);
    if (gpuQuantity === null) report("gpuQuantity", "errors.quantityRange");
  } else if (complete) report("gpuQuantity", "errors.required");

  let durationUnit: InnovationRequestData["durationUnit"] = null;
  if (v.durationUnit) {
    if ((DURATION_UNITS as readonly string[]).includes(v.durationUnit)) durationUnit = v.durationUnit as (typeof DURATION_UNITS)[number];
    else report("durationUnit", "errors.invalidValue");
  }
  let durationValue: number | null = null;
  if (v.durationValue) {
    durationValue = wholeNumber(v.durationValue, 1, DURATION_MAX[durationUnit ?? "HOURS"]);
    if (durationValue === null) report("durationValue", durationUnit === "MONTHS" ? "errors.durationMonthsRange" : "errors.durationHoursRange");
    else if (!durationUnit) report("durationUnit", "errors.required");
  } else if (complete) report("durationValue", "errors.required");

  const startDate = v.startDate ? parseDay(v.startDate) : null;
  if (v.startDate && !startDate) report("startDate", "errors.dateInvalid");
  else if (!v.startDate && complete) report("startDate", "errors.required");
  const endDate = v.endDate ? parseDay(v.endDate) : null;
  if (v.endDate && !endDate) report("endDate", "errors.dateInvalid");
  else if (!v.endDate && complete) report("endDate", "errors.required");
  if (startDate && endDate && endDate < startDate) report("endDate", "errors.dateOrder");

  const contacts: InnovationContact[] = [];
  for (const n of CONTACT_SLOTS) {
    const name = v[`contactName${n}`];
    const email = v[`contactEmail${n}`].toLowerCase();
    const role = v[`contactRole${n}`];
    if (!name && !email && !role) continue;
    if (!name) report(`contactName${n}`, "errors.contactNameRequired");
    if (!email) report(`contactEmail${n}`, "errors.contactEmailRequired");
    else if (!isEmail(email)) report(`contactEmail${n}`, "errors.emailInvalid");
    contacts.push({ name, email, role });
  }
  if (complete && contacts.length === 0) report("contactName1", "errors.contactRequired");

  return {
    orgId: v.orgId,
    requestId: v.requestId,
    title: v.title,
    problem: v.problem,
    outcome: v.outcome,
    sector: sector ?? "OTHER",
    sensitivity: sensitivity ?? "RESTRICTED",
    shapeId,
    gpuQuantity,
    durationValue,
    durationUnit: durationValue !== null ? durationUnit : null,
    startDate,
    endDate,
    contacts,
  };
}

function requestSchema(mode: "draft" | "submit") {
  return requestFields.transform((v, ctx): InnovationRequestData => {
    const data = buildRequest(v, mode, (field, message) => ctx.addIssue({ code: "custom", message, path: [field] }));
    return data;
  });
}

/** Saving a draft: a title, a sector and a data sensitivity are enough. */
export const draftSchema = requestSchema("draft");
/** Submitting (or resubmitting): the whole request. */
export const submitSchema = requestSchema("submit");

export const requestRefSchema = z.object({ orgId: idField, requestId: idField });

const commentBody = z.string({ error: "errors.required" }).trim().min(1, "errors.required").max(4000, "errors.tooLong");

export const commentSchema = requestRefSchema.extend({ body: commentBody });

// The operators' side.

export const operatorCommentSchema = z.object({ requestId: idField, body: commentBody });

export const assignSchema = z.object({ requestId: idField, assigneeId: idField });

const statusChangeFields = z.object({
  requestId: idField,
  status: z.enum(PROVIDER_TARGETS, { error: "errors.invalidValue" }),
  note: text(2000),
  /** NOK before VAT, e.g. "50 000" or "12500,50"; empty = no credit. Only when accepting. */
  creditAmount: text(40),
  creditFrom: text(10),
  creditUntil: text(10),
});

export interface StatusChange {
  requestId: string;
  status: (typeof PROVIDER_TARGETS)[number];
  note: string | null;
  credit: { amountOre: number; validFrom: Date | null; validUntil: Date } | null;
}

const AMOUNT_ERRORS: Record<string, string> = {
  "errors.budgetAmountInvalid": "errors.amountInvalid",
  "errors.budgetAmountDecimals": "errors.budgetAmountDecimals",
  "errors.budgetAmountPositive": "errors.creditAmountPositive",
  "errors.budgetAmountTooLarge": "errors.creditAmountTooLarge",
};

/** Checks a status change: declining needs a reason, asking for information a note; a credit only when accepting. */
export function buildStatusChange(v: z.infer<typeof statusChangeFields>, report: (field: string, message: string) => void): StatusChange {
  if (v.status === "DECLINED" && v.note.length < 5) report("note", "errors.declineReasonRequired");
  if (v.status === "NEEDS_INFO" && v.note.length < 5) report("note", "errors.needsInfoNoteRequired");
  let credit: StatusChange["credit"] = null;
  const wantsCredit = Boolean(v.creditAmount || v.creditFrom || v.creditUntil);
  if (wantsCredit && v.status !== "ACCEPTED") {
    report("creditAmount", "errors.creditOnlyWhenAccepting");
  } else if (wantsCredit) {
    const amount = v.creditAmount ? parseNokAmount(v.creditAmount) : ({ ok: false, error: "errors.required" } as const);
    if (!amount.ok) report("creditAmount", AMOUNT_ERRORS[amount.error] ?? amount.error);
    const validFrom = v.creditFrom ? parseDay(v.creditFrom) : null;
    if (v.creditFrom && !validFrom) report("creditFrom", "errors.dateInvalid");
    const validUntil = v.creditUntil ? parseDay(v.creditUntil) : null;
    if (!v.creditUntil) report("creditUntil", "errors.creditUntilRequired");
    else if (!validUntil) report("creditUntil", "errors.dateInvalid");
    else if (validFrom && validUntil < validFrom) report("creditUntil", "errors.dateOrder");
    if (amount.ok && validUntil) credit = { amountOre: amount.ore, validFrom, validUntil };
  }
  return { requestId: v.requestId, status: v.status, note: v.note || null, credit };
}

export const statusChangeSchema = statusChangeFields.transform((v, ctx) =>
  buildStatusChange(v, (field, message) => ctx.addIssue({ code: "custom", message, path: [field] })),
);
