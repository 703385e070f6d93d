// The one mail module: every message goes into the outbox table in the caller's transaction;
// with SMTP_URL it is delivered from there, without it the development mailbox shows it.
import "server-only";
import nodemailer from "nodemailer";
import { db, type Tx } from "../db";
import { serverEnv } from "../env";

export interface EmailMessage {
  to: string;
  subject: string;
  text: string;
  html: string;
}

/** Queues a message; it is only sent if the surrounding transaction commits. */
export async function enqueueEmail(tx: Tx, message: EmailMessage): Promise<void> {
  await tx.outboxEmail.create({ data: message });
}

let transport: nodemailer.Transporter | undefined;

/** Delivers pending messages over SMTP when configured; safe to run from several processes at once. */
export async function deliverPendingEmail(limit = 20): Promise<number> {
  const { SMTP_URL, MAIL_FROM } = serverEnv();
  if (!SMTP_URL) return 0;
  transport ??= nodemailer.createTransport(SMTP_URL);
  let delivered = 0;
  for (let i = 0; i < limit; i++) {
    const sent = await db.$transaction(async (tx) => {
      const rows = await tx.$queryRaw<Array<{ id: string }>>`
        SELECT id FROM outbox_email WHERE status = 'PENDING' ORDER BY created_at LIMIT 1 FOR UPDATE SKIP LOCKED`;
      const row = rows[0];
      if (!row) return false;
      const message = await tx.outboxEmail.findUniqueOrThrow({ where: { id: row.id } });
      try {
        await transport!.sendMail({ from: MAIL_FROM, to: message.to, subject: message.subject, text: message.text, html: message.html });
        await tx.outboxEmail.update({ where: { id: row.id }, data: { status: "SENT", sentAt: new Date() } });
      } catch (error) {
        await tx.outboxEmail.update({ where: { id: row.id }, data: { status: "FAILED", error: String(error).slice(0, 500) } });
      }
      return true;
    });
    if (!sent) break;
    delivered += 1;
  }
  return delivered;
}

/** Kicks off delivery after a commit without making the request wait for SMTP. */
export function deliverSoon(): void {
  if (!serverEnv().SMTP_URL) return;
  void deliverPendingEmail().catch((error: unknown) => console.error("[email] delivery failed", error));
}
