// Language switch: a plain form posting to a server action, so it works without JavaScript.
import { setLocaleAction } from "@/server/auth/actions";
import type { Locale } from "@/server/i18n/locales";

export function LanguageSwitch({ locale, returnTo, label }: { locale: Locale; returnTo: string; label: string }) {
  const options: Array<{ value: Locale; name: string }> = [
    { value: "en", name: "English" },
    { value: "nb", name: "Norsk bokmål" },
  ];
  return (
    <form action={setLocaleAction} className="flex items-center gap-1" aria-label={label}>
      <input type="hidden" name="returnTo" value={returnTo} />
      {options.map((o) => (
        <button
          key={o.value}
          type="submit"
          name="locale"
          value={o.value}
          lang={o.value}
          aria-pressed={locale === o.value}
          className={
            locale === o.value
              ? "rounded px-2 py-1 text-sm font-semibold text-slate-900 underline underline-offset-4 dark:text-white"
              : "rounded px-2 py-1 text-sm text-slate-700 hover:bg-slate-200 dark:text-slate-300 dark:hover:bg-slate-800"
          }
        >
          {o.value === "en" ? "EN" : "NB"}
          <span className="sr-only"> ({o.name})</span>
        </button>
      ))}
    </form>
  );
}
