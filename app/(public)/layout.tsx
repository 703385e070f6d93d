import Link from "@/components/ui/link";
import type { ReactNode } from "react";
import { Cpu } from "lucide-react";
import { getLocale, getT } from "@/server/i18n/server";
import { getSessionUser } from "@/server/auth/session";
import { currentPath } from "@/server/current-path";
import { LanguageSwitch } from "@/components/shell/language-switch";

export default async function PublicLayout({ children }: { children: ReactNode }) {
  const [t, locale, user, path] = await Promise.all([getT(), getLocale(), getSessionUser(), currentPath()]);
  return (
    <div className="flex min-h-screen flex-col">
      <header className="border-b border-slate-200 bg-white dark:border-slate-800 dark:bg-slate-900">
        <div className="mx-auto flex max-w-6xl flex-wrap items-center justify-between gap-3 px-4 py-3">
          <Link href="/" className="flex items-center gap-2 font-semibold text-slate-900 no-underline dark:text-white">
            <Cpu aria-hidden="true" className="size-5 text-brand-700 dark:text-sky-300" />
            {t("app.name")}
          </Link>
          <nav aria-label={t("nav.public")} className="flex items-center gap-4 text-sm">
            {user ? (
              <Link href="/orgs">{t("nav.goToPortal")}</Link>
            ) : (
              <>
                <Link href="/sign-in">{t("nav.signIn")}</Link>
                <Link href="/sign-up">{t("nav.signUp")}</Link>
              </>
            )}
            <LanguageSwitch locale={locale} returnTo={path} label={t("nav.language")} />
          </nav>
        </div>
      </header>
      <main id="main" className="flex-1">
        {children}
      </main>
      <footer className="border-t border-slate-200 py-6 text-center text-xs text-slate-600 dark:border-slate-800 dark:text-slate-400">
        <p>{t("footer.sovereignty")}</p>
        <p className="mt-1">
          <Link href="/dpa">{t("footer.dpa")}</Link> · <Link href="/methodology">{t("footer.methodology")}</Link>
        </p>
      </footer>
    </div>
  );
}
