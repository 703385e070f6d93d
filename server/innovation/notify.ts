// Who hears about a change to a joint-innovation request, in their own language, queued in the same
// transaction as the change. Provider changes go to the customer (the request's creator and the
// organisation's owners and admins); customer changes go to the assigned operator, else the provider's
// innovation inbox. E-mails name the request and its new status only: its content stays in the portal.
import "server-only";
import type { InnovationStatus } from "@/generated/prisma/enums";
import type { Tx } from "../db";
import { enqueueEmail } from "../email/outbox";
import { innovationCustomerMessage, innovationProviderMessage } from "../email/templates";
import { isLocale, type Locale } from "../i18n/locales";

/** The provider's shared inbox for requests nobody has been assigned yet. */
export const PROVIDER_INNOVATION_INBOX = "innovation@nordlys.example";

export interface NotifiedRequest {
  id: string;
  orgId: string;
  title: string;
  createdById: string;
  assignedToId: string | null;
}

interface Recipient {
  email: string;
  locale: Locale;
}

const localeOf = (value: string): Locale => (isLocale(value) ? value : "en");

/** The request's creator (while still a member) and the organisation's owners and admins, each once. */
export async function customerRecipients(tx: Tx, request: Pick<NotifiedRequest, "orgId" | "createdById">): Promise<Recipient[]> {
  const rows = await tx.membership.findMany({
    where: { orgId: request.orgId, OR: [{ role: { in: ["OWNER", "ADMIN"] } }, { userId: request.createdById }] },
    select: { user: { select: { email: true, locale: true } } },
    orderBy: { createdAt: "asc" },
  });
  const seen = new Map<string, Recipient>();
  for (const { user } of rows) if (!seen.has(user.email)) seen.set(user.email, { email: user.email, locale: localeOf(user.locale) });
  return [...seen.values()];
}

/** The assigned operator (while still an operator), else the provider's innovation inbox. */
export async function providerRecipients(tx: Tx, request: Pick<NotifiedRequest, "assignedToId">): Promise<Recipient[]> {
  if (request.assignedToId) {
    const operator = await tx.user.findUnique({ where: { id: request.assignedToId }, select: { email: true, locale: true, platformRole: true } });
    if (operator?.platformRole === "OPERATOR") return [{ email: operator.email, locale: localeOf(operator.locale) }];
  }
  return [{ email: PROVIDER_INNOVATION_INBOX, locale: "en" }];
}

export type CustomerNotice = { kind: "status"; status: InnovationStatus } | { kind: "comment" } | { kind: "assigned"; operator: string };

/** Tells the customer about a provider change. */
export async function notifyCustomer(tx: Tx, request: NotifiedRequest, org: { name: string; slug: string }, notice: CustomerNotice, baseUrl: string): Promise<void> {
  const link = `${baseUrl}/${org.slug}/innovation/${request.id}`;
  for (const to of await customerRecipients(tx, request)) {
    await enqueueEmail(tx, innovationCustomerMessage(to.locale, to.email, notice, { title: request.title, org: org.name }, link));
  }
}

export type ProviderNotice = { kind: "submitted" } | { kind: "resubmitted" } | { kind: "comment" } | { kind: "assignedToYou" };

/** Tells the provider about a customer change (or an operator about a request handed to them). */
export async function notifyProvider(
  tx: Tx,
  request: NotifiedRequest,
  org: { name: string },
  notice: ProviderNotice,
  by: string,
  baseUrl: string,
): Promise<void> {
  const link = `${baseUrl}/operator/innovation/${request.id}`;
  for (const to of await providerRecipients(tx, request)) {
    await enqueueEmail(tx, innovationProviderMessage(to.locale, to.email, notice.kind, { title: request.title, org: org.name, by }, link));
  }
}
