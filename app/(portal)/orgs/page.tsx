import Link from "@/components/ui/link";
import { redirect } from "next/navigation";
import type { Metadata } from "next";
import { portalContext } from "@/server/portal-context";
import { getT } from "@/server/i18n/server";
import { PortalShell } from "@/components/shell/portal-shell";
import { Badge, PageHeader } from "@/components/ui/card";

export async function generateMetadata(): Promise<Metadata> {
  return { title: (await getT())("orgs.title") };
}

export default async function OrgsPage() {
  const { t, locale, path, user, orgs, operator } = await portalContext();
  if (orgs.length === 1) redirect(`/${orgs[0]!.slug}`);
  if (orgs.length === 0 && operator) redirect("/operator");
  return (
    <PortalShell t={t} locale={locale} path={path} user={user} orgs={orgs} operator={operator}>
      <PageHeader title={t("orgs.title")} description={orgs.length ? t("orgs.lead") : t("orgs.none")} />
      <ul className="grid gap-4 sm:grid-cols-2">
        {orgs.map((o) => (
          <li key={o.slug}>
            <Link
              href={`/${o.slug}`}
              className="block rounded-lg border border-slate-200 bg-white p-5 text-slate-900 no-underline hover:border-brand-600 hover:no-underline dark:border-slate-800 dark:bg-slate-900 dark:text-slate-100"
            >
              <span className="block font-semibold">{o.name}</span>
              <span className="mt-2 flex gap-2">
                <Badge>{t(`roles.${o.role}`)}</Badge>
                <Badge tone={o.status === "ACTIVE" ? "success" : "warning"}>{t(`org.status.${o.status}`)}</Badge>
              </span>
            </Link>
          </li>
        ))}
      </ul>
    </PortalShell>
  );
}
