// Audit page filters from the query string; anything malformed is ignored rather than rejected.
import { z } from "zod";
import { isCalendarDay, isStorableText } from "../validation/fields";

const dateField = z.string().refine(isCalendarDay).optional().catch(undefined);

export const auditFilterSchema = z.object({
  action: z.string().trim().max(60).regex(/^[a-z_.]*$/).optional().catch(undefined),
  actor: z.string().trim().max(254).refine(isStorableText).optional().catch(undefined),
  outcome: z.enum(["SUCCESS", "DENIED", "FAILURE"]).optional().catch(undefined),
  from: dateField,
  to: dateField,
  page: z.coerce.number().int().min(1).max(10_000).default(1).catch(1),
});
export type AuditFilter = z.infer<typeof auditFilterSchema>;

