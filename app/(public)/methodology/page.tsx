import type { Metadata } from "next";
import { getLocale, getT } from "@/server/i18n/server";
import { factorSetInForce } from "@/server/carbon/methodology";
import { formatNumber } from "@/components/format";

export async function generateMetadata(): Promise<Metadata> {
  return { title: (await getT())("methodology.title") };
}

const SECTIONS = ["scope", "energy", "location", "market", "embodied", "heat", "comparison", "estimate", "example"] as const;

export default async function MethodologyPage() {
  const [t, locale, set] = await Promise.all([getT(), getLocale(), factorSetInForce()]);
  return (
    <div className="mx-auto max-w-4xl px-4 py-10">
      <h1 className="text-3xl font-semibold tracking-tight">{t("methodology.title")}</h1>
      <p className="mt-3 text-slate-700 dark:text-slate-300">{t("methodology.lead")}</p>
      {SECTIONS.map((s) => (
        <section key={s} className="mt-6">
          <h2 className="text-xl font-semibold">{t(`methodology.${s}Title`)}</h2>
          <p className="mt-1 text-sm leading-6">{t(`methodology.${s}Body`)}</p>
        </section>
      ))}
      <section className="mt-8" aria-labelledby="factors">
        <h2 id="factors" className="text-xl font-semibold">{t("methodology.factorsTitle")}</h2>
        {set ? (
          <>
            <p className="mt-1 text-sm">{t("methodology.factorsLead", { set: `${set.id} (${set.label})`, from: set.validFrom.toISOString().slice(0, 10) })}</p>
            <div className="mt-3 overflow-x-auto">
              <table className="w-full min-w-[40rem] text-left text-sm">
                <caption className="sr-only">{t("methodology.factorsTitle")}</caption>
                <thead>
                  <tr className="border-b border-slate-300 dark:border-slate-700">
                    <th scope="col" className="py-2 pr-3">{t("methodology.factor")}</th>
                    <th scope="col" className="py-2 pr-3 text-right">{t("methodology.value")}</th>
                    <th scope="col" className="py-2 pr-3">{t("methodology.unit")}</th>
                    <th scope="col" className="py-2 pr-3">{t("methodology.year")}</th>
                    <th scope="col" className="py-2">{t("methodology.source")}</th>
                  </tr>
                </thead>
                <tbody>
                  {set.factors.map((f) => (
                    <tr key={f.key} className="border-b border-slate-200 align-top dark:border-slate-800">
                      <th scope="row" className="py-1 pr-3 font-mono text-xs font-normal">{f.key}</th>
                      <td className="py-1 pr-3 text-right tabular-nums">{formatNumber(f.value, locale, f.value % 1 === 0 ? 0 : 2)}</td>
                      <td className="py-1 pr-3">{f.unit}</td>
                      <td className="py-1 pr-3">{f.year}</td>
                      <td className="py-1">{f.source}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          </>
        ) : (
          <p className="mt-1 text-sm">{t("methodology.noFactors")}</p>
        )}
      </section>
    </div>
  );
}
