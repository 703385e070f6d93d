// The organisation's billing references and approval rule, for the settings form on the invoices page.
// Belongs with the billing domain's queries (server/billing/queries.ts); kept here until it moves.
import "server-only";
import { db } from "@/server/db";
import { assertCan, type OrgMembership } from "@/server/orgs/queries";

export interface BillingSettings {
  buyerReference: string;
  orderReference: string | null;
  invoiceApprovals: number;
}

/** Current billing settings of the caller's organisation; needs billing.settings. */
export async function getBillingSettings(membership: OrgMembership): Promise<BillingSettings> {
  assertCan(membership, "billing.settings");
  return db.organization.findUniqueOrThrow({
    where: { id: membership.org.id },
    select: { buyerReference: true, orderReference: true, invoiceApprovals: true },
  });
}
