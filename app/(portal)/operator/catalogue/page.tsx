import type { Metadata } from "next";
import { getT } from "@/server/i18n/server";
import { operatorContext } from "@/server/operator/context";
import { catalogueForOperator } from "@/server/operator/queries";
import { publishFactorAction, updateShapeOfferAction } from "@/server/operator/operator-actions";
import { SHAPES } from "@/control-plane/catalogue";
import { PortalShell } from "@/components/shell/portal-shell";
import { Card, PageHeader } from "@/components/ui/card";
import { ActionForm, CheckboxField, Field, SelectField, SubmitButton } from "@/components/forms/action-form";
import { formatMomentDate } from "@/components/invoices/format";

export async function generateMetadata(): Promise<Metadata> {
  return { title: (await getT())("operator.catalogue.title") };
}

const kroner = (ore: number) => (ore / 100).toFixed(2);

export default async function OperatorCatalogue() {
  const { t, locale, path, user, orgs } = await operatorContext();
  const { offers, sets, current } = await catalogueForOperator(user.userId);
  const shapeName = (id: string) => SHAPES.find((s) => s.id === id)?.name ?? id;
  return (
    <PortalShell t={t} locale={locale} path={path} user={user} orgs={orgs} operator area="operator">
      <PageHeader title={t("operator.catalogue.title")} description={t("operator.catalogue.lead")} />
      <h2 className="mb-3 text-lg font-semibold">{t("operator.catalogue.offers")}</h2>
      <ul className="grid gap-4 md:grid-cols-2">
        {offers.map((o) => (
          <li key={o.shapeId}>
            <Card>
              <h3 className="font-semibold">
                {shapeName(o.shapeId)} <span className="text-sm font-normal text-slate-600 dark:text-slate-400">({o.shapeId})</span>
              </h3>
              <ActionForm action={updateShapeOfferAction} hidden={{ shapeId: o.shapeId }} className="mt-3" resetOnSuccess={false} label={`${t("operator.catalogue.offers")}: ${o.shapeId}`}>
                <Field name="price" label={t("operator.catalogue.price")} inputMode="text" defaultValue={kroner(o.pricePerHourOre)} required />
                <CheckboxField name="available" label={t("operator.catalogue.available")} defaultChecked={o.available} />
                <SubmitButton variant="secondary" pendingLabel={t("common.working")}>{t("operator.catalogue.save")}</SubmitButton>
              </ActionForm>
            </Card>
          </li>
        ))}
      </ul>

      <Card className="mt-8">
        <h2 className="text-lg font-semibold">{t("operator.catalogue.factors")}</h2>
        <p className="mt-1 max-w-3xl text-sm text-slate-700 dark:text-slate-300">{t("operator.catalogue.factorsLead")}</p>
        {current ? (
          <>
            <p className="mt-3 text-sm font-medium">
              {t("operator.catalogue.current", { label: current.label, date: formatMomentDate(current.validFrom.toISOString(), locale), count: current.factors.length })}
            </p>
            <div className="mt-3 overflow-x-auto" tabIndex={0} role="region" aria-label={t("operator.catalogue.factors")}>
              <table className="w-full text-left text-sm">
                <caption className="sr-only">{t("operator.catalogue.factors")}</caption>
                <thead>
                  <tr className="border-b border-slate-200 dark:border-slate-700">
                    <th scope="col" className="py-2 pr-3">{t("operator.catalogue.key")}</th>
                    <th scope="col" className="py-2 pr-3 text-right">{t("operator.catalogue.value")}</th>
                    <th scope="col" className="py-2 pr-3">{t("operator.catalogue.unit")}</th>
                    <th scope="col" className="py-2 pr-3">{t("operator.catalogue.year")}</th>
                    <th scope="col" className="py-2">{t("operator.catalogue.source")}</th>
                  </tr>
                </thead>
                <tbody>
                  {current.factors.map((f) => (
                    <tr key={f.key} className="border-b border-slate-100 dark:border-slate-800">
                      <th scope="row" className="py-1 pr-3 font-mono text-xs">{f.key}</th>
                      <td className="py-1 pr-3 text-right tabular-nums">{f.value}</td>
                      <td className="py-1 pr-3">{f.unit}</td>
                      <td className="py-1 pr-3">{f.year}</td>
                      <td className="py-1 text-xs">{f.source}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
            <ActionForm action={publishFactorAction} className="mt-4 max-w-xl" label={t("operator.catalogue.publish")}>
              <SelectField name="key" label={t("operator.catalogue.key")} options={current.factors.map((f) => ({ value: f.key, label: `${f.key} (${f.value} ${f.unit})` }))} required />
              <Field name="value" label={t("operator.catalogue.value")} inputMode="text" required />
              <Field name="year" label={t("operator.catalogue.year")} inputMode="numeric" defaultValue={String(new Date().getUTCFullYear())} required />
              <Field name="source" label={t("operator.catalogue.source")} required maxLength={500} />
              <SubmitButton pendingLabel={t("common.working")}>{t("operator.catalogue.publish")}</SubmitButton>
            </ActionForm>
          </>
        ) : null}
        <h3 className="mt-6 font-semibold">{t("operator.catalogue.sets")}</h3>
        <table className="mt-2 w-full text-left text-sm">
          <caption className="sr-only">{t("operator.catalogue.sets")}</caption>
          <thead>
            <tr className="border-b border-slate-200 dark:border-slate-700">
              <th scope="col" className="py-2 pr-3">{t("operator.catalogue.set")}</th>
              <th scope="col" className="py-2 pr-3">{t("operator.catalogue.validFrom")}</th>
              <th scope="col" className="py-2 text-right">{t("operator.catalogue.count")}</th>
            </tr>
          </thead>
          <tbody>
            {sets.map((s) => (
              <tr key={s.id} className="border-b border-slate-100 dark:border-slate-800">
                <th scope="row" className="py-1 pr-3 font-medium">{s.label}</th>
                <td className="py-1 pr-3">{formatMomentDate(s.validFrom.toISOString(), locale)}</td>
                <td className="py-1 text-right tabular-nums">{s.factors}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </Card>
    </PortalShell>
  );
}
