// Changes to an organisation's own details, by its owners and admins.
import "server-only";
import { recordAudit } from "../audit/record";
import { defineOrgOperation } from "../actions/define";
import { idField } from "../validation/fields";
import { orgDetailsSchema } from "./schemas";

/** Updates name, sector, billing address and buyer reference; the audit event lists what changed. */
export const updateOrganisation = defineOrgOperation({
  name: "org.update",
  permission: "org.update",
  schema: orgDetailsSchema.extend({ orgId: idField }),
  async handler(ctx, input) {
    const before = await ctx.tx.organization.findUniqueOrThrow({ where: { id: ctx.org.id } });
    const next = {
      name: input.orgName,
      sector: input.sector,
      billingStreet: input.billingStreet,
      billingPostalCode: input.billingPostalCode,
      billingCity: input.billingCity,
      buyerReference: input.buyerReference,
    };
    const changed = Object.fromEntries(
      Object.entries(next)
        .filter(([key, value]) => before[key as keyof typeof next] !== value)
        .map(([key, value]) => [key, { from: before[key as keyof typeof next], to: value }]),
    );
    if (Object.keys(changed).length === 0) return { changed: [] as string[] };
    await ctx.tx.organization.update({ where: { id: ctx.org.id }, data: next });
    await recordAudit(ctx.tx, ctx.actor, {
      orgId: ctx.org.id,
      action: "org.updated",
      targetType: "organization",
      targetId: ctx.org.id,
      details: changed,
    });
    return { changed: Object.keys(changed) };
  },
});

