// Provider-side approval of a pending organisation (a CLI step until the operators' console exists).
import "server-only";
import { db } from "../db";
import { AppError } from "../errors";
import { recordAudit } from "../audit/record";
import { normaliseOrgNumber } from "../validation/org-number";

/** Sets an organisation ACTIVE by org number or slug; audited as the named operator. Idempotent. */
export async function approveOrganisation(orgNumberOrSlug: string, operator: string) {
  const key = orgNumberOrSlug.trim();
  const org = await db.organization.findFirst({
    where: { OR: [{ orgNumber: normaliseOrgNumber(key) }, { slug: key.toLowerCase() }] },
  });
  if (!org) throw new AppError("errors.notFound");
  if (org.status === "ACTIVE") return { ...org, changed: false };
  const updated = await db.$transaction(async (tx) => {
    const row = await tx.organization.update({ where: { id: org.id }, data: { status: "ACTIVE", approvedAt: new Date() } });
    await recordAudit(
      tx,
      { actorId: null, actorLabel: `operator:${operator}`, ip: "127.0.0.1", userAgent: "portal-cli" },
      { orgId: org.id, action: "org.approved", targetType: "organization", targetId: org.id, details: { from: org.status, to: "ACTIVE" } },
    );
    return row;
  });
  return { ...updated, changed: true };
}
