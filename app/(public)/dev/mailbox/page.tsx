import Link from "@/components/ui/link";
import { notFound } from "next/navigation";
import type { Metadata } from "next";
import { getT } from "@/server/i18n/server";
import { listMailbox } from "@/server/email/mailbox";

export async function generateMetadata(): Promise<Metadata> {
  return { title: (await getT())("mailbox.title") };
}

export default async function MailboxPage({ searchParams }: { searchParams: Promise<{ to?: string }> }) {
  const t = await getT();
  const { to } = await searchParams;
  const filter = typeof to === "string" && to.length > 0 ? to.slice(0, 254) : undefined;
  const messages = await listMailbox(filter);
  if (!messages) notFound();
  return (
    <div className="mx-auto max-w-4xl px-4 py-8">
      <h1 className="text-2xl font-semibold">{t("mailbox.title")}</h1>
      <p className="mt-1 text-sm text-slate-700 dark:text-slate-300">{t("mailbox.lead")}</p>
      <form className="mt-4 flex flex-wrap items-end gap-2" role="search">
        <div>
          <label htmlFor="mailbox-to" className="mb-1 block text-sm font-medium">
            {t("mailbox.recipient")}
          </label>
          <input id="mailbox-to" name="to" type="search" defaultValue={filter} className="rounded-md border border-slate-400 px-3 py-2 text-sm dark:bg-slate-950" />
        </div>
        <button type="submit" className="rounded-md border border-slate-400 px-3 py-2 text-sm">
          {t("common.filter")}
        </button>
      </form>
      {messages.length === 0 ? (
        <p className="mt-6">{t("mailbox.empty")}</p>
      ) : (
        <table className="mt-6 w-full text-left text-sm">
          <caption className="sr-only">{t("mailbox.title")}</caption>
          <thead>
            <tr className="border-b border-slate-300 dark:border-slate-700">
              <th scope="col" className="py-2 pr-4">{t("mailbox.when")}</th>
              <th scope="col" className="py-2 pr-4">{t("mailbox.recipient")}</th>
              <th scope="col" className="py-2">{t("mailbox.subject")}</th>
            </tr>
          </thead>
          <tbody>
            {messages.map((m) => (
              <tr key={m.id} className="border-b border-slate-200 dark:border-slate-800">
                <td className="py-2 pr-4 whitespace-nowrap">{m.createdAt.toISOString().replace("T", " ").slice(0, 19)}</td>
                <td className="py-2 pr-4">{m.to}</td>
                <td className="py-2">
                  <Link href={`/dev/mailbox/${m.id}`}>{m.subject}</Link>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </div>
  );
}
