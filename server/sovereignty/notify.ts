// E-mails every owner of an organisation about its data-deletion request, in each owner's language.
import "server-only";
import type { Tx } from "../db";
import { enqueueEmail } from "../email/outbox";
import { deletionMessage } from "../email/templates";
import { isLocale } from "../i18n/locales";

/** Queues the message to the organisation's owners inside the caller's transaction. */
export async function notifyOwnersOfDeletion(
  tx: Tx,
  org: { id: string; slug: string; name: string },
  kind: Parameters<typeof deletionMessage>[2],
  params: { by: string; deadline?: string; note?: string | null },
  baseUrl: string,
): Promise<number> {
  const owners = await tx.membership.findMany({ where: { orgId: org.id, role: "OWNER" }, select: { user: { select: { email: true, locale: true } } } });
  const link = `${baseUrl.replace(/\/$/, "")}/${org.slug}/sovereignty`;
  for (const { user } of owners) {
    const locale = isLocale(user.locale) ? user.locale : "en";
    await enqueueEmail(tx, deletionMessage(locale, user.email, kind, { org: org.name, by: params.by, deadline: params.deadline ?? "", note: params.note?.trim() || "—" }, link));
  }
  return owners.length;
}
