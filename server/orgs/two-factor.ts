// An organisation's rule that every member uses two-factor authentication: the setting, and how
// many members already have it (for owners and admins deciding to switch it on).
import "server-only";
import { z } from "zod";
import { db } from "../db";
import { recordAudit } from "../audit/record";
import { defineOrgOperation } from "../actions/define";
import { idField } from "../validation/fields";
import { assertCan, type OrgMembership } from "./queries";

/** A checkbox: "on" when ticked, absent when not. */
const checkboxField = z
  .union([z.boolean(), z.enum(["on", "true", "false", ""])], { error: "errors.invalidValue" })
  .optional()
  .transform((v) => v === true || v === "on" || v === "true");

export const twoFactorRequirementSchema = z.object({ orgId: idField, requireTotp: checkboxField });

/** Switches the two-factor requirement on or off; audited with the before and after. */
export const setTwoFactorRequirement = defineOrgOperation({
  name: "org.two_factor_requirement",
  permission: "org.update",
  schema: twoFactorRequirementSchema,
  async handler(ctx, input) {
    const before = await ctx.tx.organization.findUniqueOrThrow({ where: { id: ctx.org.id }, select: { requireTotp: true } });
    if (before.requireTotp === input.requireTotp) return { changed: false, required: input.requireTotp };
    await ctx.tx.organization.update({ where: { id: ctx.org.id }, data: { requireTotp: input.requireTotp } });
    await recordAudit(ctx.tx, ctx.actor, {
      orgId: ctx.org.id,
      action: input.requireTotp ? "org.two_factor_required" : "org.two_factor_optional",
      targetType: "organization",
      targetId: ctx.org.id,
      details: { requireTotp: { from: before.requireTotp, to: input.requireTotp } },
    });
    return { changed: true, required: input.requireTotp };
  },
});

/** Whether the organisation requires two-factor, and how many members have it on (settings page). */
export async function getTwoFactorRequirement(membership: OrgMembership) {
  assertCan(membership, "settings.view");
  const [org, members, enrolled] = await Promise.all([
    db.organization.findUniqueOrThrow({ where: { id: membership.org.id }, select: { requireTotp: true } }),
    db.membership.count({ where: { orgId: membership.org.id } }),
    db.membership.count({ where: { orgId: membership.org.id, user: { totpEnabledAt: { not: null } } } }),
  ]);
  return { required: org.requireTotp, members, enrolled };
}
