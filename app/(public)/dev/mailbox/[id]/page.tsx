import Link from "@/components/ui/link";
import { notFound } from "next/navigation";
import { getT } from "@/server/i18n/server";
import { readMailboxMessage } from "@/server/email/mailbox";

const URL_PATTERN = /(https?:\/\/[^\s]+)/g;

export default async function MailboxMessagePage({ params }: { params: Promise<{ id: string }> }) {
  const t = await getT();
  const { id } = await params;
  const message = await readMailboxMessage(id);
  if (!message) notFound();
  const parts = message.text.split(URL_PATTERN);
  return (
    <div className="mx-auto max-w-3xl px-4 py-8">
      <p className="text-sm">
        <Link href="/dev/mailbox">{t("mailbox.back")}</Link>
      </p>
      <h1 className="mt-2 text-2xl font-semibold">{message.subject}</h1>
      <dl className="mt-2 grid grid-cols-[auto_1fr] gap-x-3 text-sm text-slate-700 dark:text-slate-300">
        <dt>{t("mailbox.recipient")}</dt>
        <dd>{message.to}</dd>
        <dt>{t("mailbox.when")}</dt>
        <dd>{message.createdAt.toISOString()}</dd>
      </dl>
      <article className="mt-6 whitespace-pre-wrap rounded-lg border border-slate-200 bg-white p-5 text-sm dark:border-slate-800 dark:bg-slate-900">
        {parts.map((part, i) =>
          /^https?:\/\//.test(part) ? (
            <a key={i} href={part} className="break-all">
              {part}
            </a>
          ) : (
            <span key={i}>{part}</span>
          ),
        )}
      </article>
    </div>
  );
}
