// The development mailbox: reads the outbox when no SMTP server is configured.
import "server-only";
import { db } from "../db";
import { devMailboxEnabled } from "../env";

/** Latest messages, optionally for one recipient; null when the mailbox is switched off. */
export async function listMailbox(to?: string) {
  if (!devMailboxEnabled()) return null;
  return db.outboxEmail.findMany({
    where: to ? { to: to.toLowerCase() } : {},
    orderBy: { createdAt: "desc" },
    take: 100,
    select: { id: true, to: true, subject: true, createdAt: true },
  });
}

/** One message; null when missing or the mailbox is off. */
export async function readMailboxMessage(id: string) {
  if (!devMailboxEnabled() || !/^[a-z0-9]{1,40}$/.test(id)) return null;
  return db.outboxEmail.findUnique({ where: { id }, select: { id: true, to: true, subject: true, text: true, createdAt: true } });
}
