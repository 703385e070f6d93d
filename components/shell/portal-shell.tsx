// The signed-in app shell: top bar (organisation switcher, language, account) and the area navigation.
import Link from "@/components/ui/link";
import type { ReactNode } from "react";
import clsx from "clsx";
import { Building2, ChevronDown, Cpu, Home, Leaf, Lightbulb, NotebookPen, Receipt, ScrollText, Settings, ShieldCheck, Users, Wallet } from "lucide-react";
import type { Role } from "@/generated/prisma/enums";
import { can } from "@/server/permissions";
import type { Locale, Translate } from "@/server/i18n/locales";
import { signOutAction } from "@/server/auth/actions";
import { LanguageSwitch } from "./language-switch";
import { NAV_ITEMS, OPERATOR_NAV_ITEMS, type NavItem } from "./nav-items";

const ICONS: Record<NavItem["icon"], typeof Home> = {
  home: Home, cpu: Cpu, notebook: NotebookPen, leaf: Leaf, receipt: Receipt, wallet: Wallet, lightbulb: Lightbulb, users: Users, scroll: ScrollText, settings: Settings, shield: ShieldCheck,
};

export interface ShellOrg {
  slug: string;
  name: string;
  status: string;
  role: Role;
}

export function PortalShell({
  t,
  locale,
  path,
  user,
  orgs,
  current,
  operator,
  area,
  children,
}: {
  t: Translate;
  locale: Locale;
  path: string;
  user: { name: string; email: string };
  orgs: ShellOrg[];
  current?: ShellOrg;
  /** The user is provider staff: link to the operators' console. */
  operator?: boolean;
  /** Show the operators' console navigation instead of an organisation's. */
  area?: "operator";
  children: ReactNode;
}) {
  const items: Array<{ href: string; label: NavItem["label"]; icon: NavItem["icon"]; exact: boolean }> =
    area === "operator"
      ? OPERATOR_NAV_ITEMS.map((item) => ({ href: `/operator${item.segment ? `/${item.segment}` : ""}`, label: item.label, icon: item.icon, exact: !item.segment }))
      : current
        ? NAV_ITEMS.filter((item) => can(current.role, item.permission, current.status)).map((item) => ({
            href: item.segment ? `/${current.slug}/${item.segment}` : `/${current.slug}`,
            label: item.label,
            icon: item.icon,
            exact: !item.segment,
          }))
        : [];
  const pathname = path.split("?")[0] ?? path;
  const nav = items.length ? (
    <ul className="space-y-1">
      {items.map((item) => {
        const href = item.href;
        const active = item.exact ? pathname === href : pathname === href || pathname.startsWith(`${href}/`);
        const Icon = ICONS[item.icon];
        return (
          <li key={item.label}>
            <Link
              href={href}
              aria-current={active ? "page" : undefined}
              className={clsx(
                "flex items-center gap-2 rounded-md px-3 py-2 text-sm no-underline hover:no-underline",
                active
                  ? "bg-brand-100 font-semibold text-brand-900 dark:bg-slate-800 dark:text-white"
                  : "text-slate-800 hover:bg-slate-200 dark:text-slate-200 dark:hover:bg-slate-800",
              )}
            >
              <Icon aria-hidden="true" className="size-4" />
              {t(item.label)}
            </Link>
          </li>
        );
      })}
    </ul>
  ) : null;

  return (
    <div className="min-h-screen">
      <header className="border-b border-slate-200 bg-white dark:border-slate-800 dark:bg-slate-900">
        <div className="mx-auto flex max-w-7xl flex-wrap items-center justify-between gap-3 px-4 py-2">
          <div className="flex flex-wrap items-center gap-3">
            <Link href={area === "operator" ? "/operator" : current ? `/${current.slug}` : "/orgs"} className="flex items-center gap-2 font-semibold text-slate-900 no-underline dark:text-white">
              <Cpu aria-hidden="true" className="size-5 text-brand-700 dark:text-sky-300" />
              <span className="sr-only sm:not-sr-only">{t("app.name")}</span>
            </Link>
            {current ? (
              <details className="relative">
                <summary className="flex cursor-pointer list-none items-center gap-1 rounded-md border border-slate-300 px-2 py-1 text-sm dark:border-slate-600">
                  <Building2 aria-hidden="true" className="size-4" />
                  <span className="sr-only">{t("nav.currentOrg")}: </span>
                  {current.name}
                  <ChevronDown aria-hidden="true" className="size-4" />
                </summary>
                <div className="absolute left-0 z-20 mt-1 w-72 rounded-md border border-slate-200 bg-white p-2 shadow-lg dark:border-slate-700 dark:bg-slate-900">
                  <p className="px-2 pb-1 text-xs font-medium text-slate-600 dark:text-slate-400">{t("nav.switchOrg")}</p>
                  <ul>
                    {orgs.map((o) => (
                      <li key={o.slug}>
                        <Link
                          href={`/${o.slug}`}
                          aria-current={o.slug === current.slug ? "true" : undefined}
                          className="block rounded px-2 py-1.5 text-sm text-slate-900 no-underline hover:bg-slate-100 dark:text-slate-100 dark:hover:bg-slate-800"
                        >
                          {o.name} <span className="text-xs text-slate-600 dark:text-slate-400">· {t(`roles.${o.role}`)}</span>
                        </Link>
                      </li>
                    ))}
                  </ul>
                </div>
              </details>
            ) : null}
          </div>
          <div className="flex flex-wrap items-center gap-3 text-sm">
            {operator && area !== "operator" ? (
              <Link href="/operator" className="rounded-md border border-slate-300 px-2 py-1 text-slate-800 no-underline dark:border-slate-600 dark:text-slate-200">
                {t("nav.operatorConsole")}
              </Link>
            ) : null}
            <LanguageSwitch locale={locale} returnTo={path} label={t("nav.language")} />
            <Link href="/account" className="text-slate-800 dark:text-slate-200">
              <span className="sr-only">{t("nav.account")}: </span>
              {user.name}
            </Link>
            <form action={signOutAction}>
              <button type="submit" className="rounded-md px-2 py-1 text-slate-800 hover:bg-slate-200 dark:text-slate-200 dark:hover:bg-slate-800">
                {t("nav.signOut")}
              </button>
            </form>
          </div>
        </div>
      </header>
      <div className="mx-auto flex max-w-7xl flex-col gap-6 px-4 py-6 md:flex-row">
        {nav ? (
          <>
            <details className="md:hidden">
              <summary className="cursor-pointer rounded-md border border-slate-300 px-3 py-2 text-sm dark:border-slate-600">{t("nav.menu")}</summary>
              <nav aria-label={t("nav.main")} className="mt-2">
                {nav}
              </nav>
            </details>
            <nav aria-label={t("nav.main")} className="hidden w-56 shrink-0 md:block">
              {nav}
            </nav>
          </>
        ) : null}
        <main id="main" className="min-w-0 flex-1">
          {children}
        </main>
      </div>
    </div>
  );
}
