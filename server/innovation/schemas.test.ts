import { describe, expect, it } from "vitest";
import { AppError } from "../errors";
import { parseInput } from "../validation/parse";
import { draftSchema, statusChangeSchema, submitSchema } from "./schemas";
import { canCustomerEdit, canProviderMove, INNOVATION_STATUSES, PROVIDER_TRANSITIONS, visibleToProvider } from "./status";

const complete = {
  orgId: "org1",
  title: "Referral triage",
  problem: "Radiology referrals wait weeks for triage.",
  outcome: "A model that ranks referrals by urgency.",
  sector: "HEALTH",
  sensitivity: "RESTRICTED",
  shapeId: "h100-1x",
  gpuQuantity: "2",
  durationValue: "500",
  durationUnit: "HOURS",
  startDate: "2027-01-04",
  endDate: "2027-06-30",
  contactName1: "Kari Nordmann",
  contactEmail1: "Kari@Example.NO",
  contactRole1: "Project lead",
};

function fieldErrors(schema: Parameters<typeof parseInput>[0], input: unknown): Record<string, string> {
  try {
    parseInput(schema, input);
  } catch (error) {
    if (error instanceof AppError) return error.fieldErrors ?? {};
    throw error;
  }
  return {};
}

describe("request schemas", () => {
  it("saves a draft with only a title, a sector and a data sensitivity", () => {
    const draft = parseInput(draftSchema, { orgId: "org1", title: "Idea", sector: "RESEARCH", sensitivity: "OPEN", requestId: "" });
    expect(draft).toMatchObject({ requestId: null, title: "Idea", problem: "", shapeId: null, gpuQuantity: null, durationUnit: null, startDate: null, contacts: [] });
  });

  it("refuses a draft without a title or sensitivity, naming the fields", () => {
    expect(fieldErrors(draftSchema, { orgId: "org1", sector: "RESEARCH" })).toEqual({ title: "errors.required", sensitivity: "errors.sensitivityRequired" });
    expect(fieldErrors(draftSchema, { orgId: "org1", title: "ab", sector: "SPACE", sensitivity: "SECRET" })).toEqual({
      title: "errors.innovationTitleShort",
      sector: "errors.sectorInvalid",
      sensitivity: "errors.sensitivityRequired",
    });
  });

  it("submits a complete request, with dates, numbers and contacts parsed", () => {
    const data = parseInput(submitSchema, complete);
    expect(data).toMatchObject({ shapeId: "h100-1x", gpuQuantity: 2, durationValue: 500, durationUnit: "HOURS", contacts: [{ name: "Kari Nordmann", email: "kari@example.no", role: "Project lead" }] });
    expect(data.startDate?.toISOString()).toBe("2027-01-04T00:00:00.000Z");
  });

  it("asks for everything the provider reviews before submitting", () => {
    expect(fieldErrors(submitSchema, { orgId: "org1", title: "Idea", sector: "HEALTH", sensitivity: "OPEN", problem: "Too short" })).toEqual({
      problem: "errors.innovationTextShort",
      outcome: "errors.required",
      shapeId: "errors.required",
      gpuQuantity: "errors.required",
      durationValue: "errors.required",
      startDate: "errors.required",
      endDate: "errors.required",
      contactName1: "errors.contactRequired",
    });
  });

  it("checks shapes, ranges, dates and contact rows", () => {
    expect(
      fieldErrors(submitSchema, {
        ...complete,
        shapeId: "cpu-8",
        gpuQuantity: "65",
        durationValue: "37",
        durationUnit: "MONTHS",
        startDate: "2027-02-30",
        endDate: "2026-12-31",
        contactName1: "",
        contactEmail2: "not-an-address",
        contactRole3: "Data steward",
      }),
    ).toEqual({
      shapeId: "errors.unknownShape",
      gpuQuantity: "errors.quantityRange",
      durationValue: "errors.durationMonthsRange",
      startDate: "errors.dateInvalid",
      contactName1: "errors.contactNameRequired",
      contactName2: "errors.contactNameRequired",
      contactEmail2: "errors.emailInvalid",
      contactName3: "errors.contactNameRequired",
      contactEmail3: "errors.contactEmailRequired",
    });
    expect(fieldErrors(submitSchema, { ...complete, endDate: "2027-01-03" })).toEqual({ endDate: "errors.dateOrder" });
    expect(fieldErrors(submitSchema, { ...complete, gpuQuantity: "1.5", durationValue: "100001" })).toEqual({ gpuQuantity: "errors.quantityRange", durationValue: "errors.durationHoursRange" });
  });
});

describe("status change schema", () => {
  const change = (v: Record<string, string>) => ({ requestId: "req1", ...v });

  it("needs a reason to decline and a note to ask for more information", () => {
    expect(fieldErrors(statusChangeSchema, change({ status: "DECLINED", note: " " }))).toEqual({ note: "errors.declineReasonRequired" });
    expect(fieldErrors(statusChangeSchema, change({ status: "NEEDS_INFO" }))).toEqual({ note: "errors.needsInfoNoteRequired" });
    expect(parseInput(statusChangeSchema, change({ status: "DECLINED", note: "Out of scope for this year." }))).toMatchObject({ note: "Out of scope for this year.", credit: null });
    expect(fieldErrors(statusChangeSchema, change({ status: "DRAFT" }))).toEqual({ status: "errors.invalidValue" });
  });

  it("takes a credit in exact øre, only when accepting, with a last valid day", () => {
    expect(parseInput(statusChangeSchema, change({ status: "ACCEPTED", creditAmount: "50 000,50", creditUntil: "2027-12-31" }))).toMatchObject({
      credit: { amountOre: 5_000_050, validFrom: null, validUntil: new Date("2027-12-31T00:00:00Z") },
    });
    expect(parseInput(statusChangeSchema, change({ status: "ACCEPTED", creditAmount: "", creditFrom: "", creditUntil: "" }))).toMatchObject({ credit: null });
    expect(fieldErrors(statusChangeSchema, change({ status: "ACTIVE", creditAmount: "100" }))).toEqual({ creditAmount: "errors.creditOnlyWhenAccepting" });
    expect(fieldErrors(statusChangeSchema, change({ status: "ACCEPTED", creditAmount: "12,345" }))).toEqual({ creditAmount: "errors.budgetAmountDecimals", creditUntil: "errors.creditUntilRequired" });
    expect(fieldErrors(statusChangeSchema, change({ status: "ACCEPTED", creditAmount: "0", creditFrom: "2027-02-01", creditUntil: "2027-01-31" }))).toEqual({
      creditAmount: "errors.creditAmountPositive",
      creditUntil: "errors.dateOrder",
    });
    expect(fieldErrors(statusChangeSchema, change({ status: "ACCEPTED", creditUntil: "2027-12-31" }))).toEqual({ creditAmount: "errors.required" });
  });
});

describe("request statuses", () => {
  it("let the provider move only along the review path", () => {
    const moves = INNOVATION_STATUSES.flatMap((from) => INNOVATION_STATUSES.filter((to) => canProviderMove(from, to)).map((to) => `${from}->${to}`));
    expect(moves).toEqual(["SUBMITTED->IN_REVIEW", "IN_REVIEW->NEEDS_INFO", "IN_REVIEW->ACCEPTED", "IN_REVIEW->DECLINED", "ACCEPTED->ACTIVE", "ACTIVE->COMPLETED"]);
    expect(Object.keys(PROVIDER_TRANSITIONS).sort()).toEqual([...INNOVATION_STATUSES].sort());
  });

  it("let the customer edit drafts and requests that need information; the provider never sees drafts", () => {
    expect(INNOVATION_STATUSES.filter(canCustomerEdit)).toEqual(["DRAFT", "NEEDS_INFO"]);
    expect(INNOVATION_STATUSES.filter((s) => !visibleToProvider(s))).toEqual(["DRAFT"]);
  });
});
