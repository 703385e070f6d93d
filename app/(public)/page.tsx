import Link from "@/components/ui/link";
import { Flame, Leaf, MapPin, ShieldCheck } from "lucide-react";
import { getT } from "@/server/i18n/server";
import { buttonClass } from "@/components/ui/button";

export default async function LandingPage() {
  const t = await getT();
  const points = [
    { icon: MapPin, title: t("landing.sovereignTitle"), body: t("landing.sovereignBody") },
    { icon: Leaf, title: t("landing.carbonTitle"), body: t("landing.carbonBody") },
    { icon: Flame, title: t("landing.heatTitle"), body: t("landing.heatBody") },
    { icon: ShieldCheck, title: t("landing.regulatedTitle"), body: t("landing.regulatedBody") },
  ];
  return (
    <div className="mx-auto max-w-6xl px-4 py-12">
      <section className="max-w-3xl">
        <h1 className="text-4xl font-semibold tracking-tight">{t("landing.title")}</h1>
        <p className="mt-4 text-lg text-slate-700 dark:text-slate-300">{t("landing.lead")}</p>
        <div className="mt-8 flex flex-wrap gap-3">
          <Link href="/sign-up" className={buttonClass("primary")}>
            {t("landing.ctaSignUp")}
          </Link>
          <Link href="/sign-in" className={buttonClass("secondary")}>
            {t("landing.ctaSignIn")}
          </Link>
        </div>
      </section>
      <section aria-labelledby="why" className="mt-14">
        <h2 id="why" className="sr-only">
          {t("landing.whyHeading")}
        </h2>
        <ul className="grid gap-6 sm:grid-cols-2">
          {points.map(({ icon: Icon, title, body }) => (
            <li key={title} className="rounded-lg border border-slate-200 bg-white p-5 dark:border-slate-800 dark:bg-slate-900">
              <Icon aria-hidden="true" className="size-6 text-brand-700 dark:text-sky-300" />
              <h3 className="mt-3 font-semibold">{title}</h3>
              <p className="mt-1 text-sm text-slate-700 dark:text-slate-300">{body}</p>
            </li>
          ))}
        </ul>
      </section>
    </div>
  );
}
