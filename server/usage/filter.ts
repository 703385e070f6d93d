// Usage dashboard filters from the query string; malformed values fall back to defaults.
import { z } from "zod";
import { isCalendarDay, isStorableText } from "../validation/fields";

const day = z.string().refine(isCalendarDay);
const id = z.string().trim().max(64).regex(/^[A-Za-z0-9_.-]+$/);

export const usageFilterSchema = z.object({
  from: day.optional().catch(undefined),
  to: day.optional().catch(undefined),
  project: z.string().trim().min(1).max(40).refine(isStorableText).optional().catch(undefined),
  user: id.optional().catch(undefined),
  workbench: id.optional().catch(undefined),
  shape: id.optional().catch(undefined),
  granularity: z.enum(["day", "hour"]).default("day").catch("day"),
});
export type UsageFilterInput = z.infer<typeof usageFilterSchema>;

export interface UsageFilter extends UsageFilterInput {
  fromDate: Date;
  /** Exclusive end. */
  toDate: Date;
}

const DAY_MS = 86_400_000;

/** Resolves the period: default the last 30 days (UTC), at most 400 days, hourly at most 31 days. */
export function resolveFilter(input: UsageFilterInput, now = new Date()): UsageFilter {
  const today = Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate());
  let toDate = input.to ? new Date(Date.parse(`${input.to}T00:00:00Z`) + DAY_MS) : new Date(today + DAY_MS);
  let fromDate = input.from ? new Date(`${input.from}T00:00:00Z`) : new Date(toDate.getTime() - 30 * DAY_MS);
  if (fromDate >= toDate) [fromDate, toDate] = [new Date(toDate.getTime() - DAY_MS), new Date(fromDate.getTime() + DAY_MS)];
  if (toDate.getTime() - fromDate.getTime() > 400 * DAY_MS) fromDate = new Date(toDate.getTime() - 400 * DAY_MS);
  const granularity = input.granularity === "hour" && toDate.getTime() - fromDate.getTime() <= 31 * DAY_MS ? "hour" : "day";
  return { ...input, granularity, fromDate, toDate };
}
