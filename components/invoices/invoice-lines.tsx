// The lines of an invoice or credit note, each usage line with its way back to the metering: a link to
// the usage dashboard with the same filters, and the per-workbench rows behind the amount. Server-rendered.
import Link from "@/components/ui/link";
import type { DocumentLine } from "@/server/billing/document";
import type { Translate } from "@/server/i18n/locales";
import { formatNok, formatNumber, type UiLocale } from "@/components/format";
import { formatDecimal, formatUnitPrice } from "./format";

export interface WorkbenchShare {
  workbenchId: string;
  name: string;
  /** Hours for compute lines, GB-hours for storage lines, as shown. */
  quantity: string;
  energyKwh: number | null;
  amountOre: number;
}

export interface LineDrillDown {
  kind: "COMPUTE" | "STORAGE";
  /** The usage dashboard with this line's filters, for compute lines (the dashboard's cost is compute only). */
  usageHref: string | null;
  /** Set when the dashboard's filter also covers other lines of this invoice (the same shape and project at another price). */
  usageCoversOre: number | null;
  /** The breakdown could not be loaded (the amount and the link are still right). */
  unavailable: boolean;
  workbenches: WorkbenchShare[];
}

const UNIT_KEYS = { HUR: "invoices.units.HUR", GB: "invoices.units.GB", C62: "invoices.units.C62" } as const;
const PER_UNIT_KEYS = { HUR: "invoices.perUnit.HUR", GB: "invoices.perUnit.GB", C62: "invoices.perUnit.C62" } as const;

export function InvoiceLines({
  t,
  locale,
  lines,
  drillDowns,
  credit,
}: {
  t: Translate;
  locale: UiLocale;
  lines: DocumentLine[];
  drillDowns: Map<string, LineDrillDown>;
  credit: boolean;
}) {
  const columns = credit ? 6 : 7;
  return (
    <div className="overflow-x-auto" tabIndex={0} role="region" aria-label={credit ? t("invoices.linesCaptionCredit") : t("invoices.linesCaption")}>
      <table className="w-full min-w-[60rem] text-left text-sm" data-testid="invoice-lines">
        <caption className="sr-only">{credit ? t("invoices.linesCaptionCredit") : t("invoices.linesCaption")}</caption>
        <thead>
          <tr className="border-b border-slate-300 dark:border-slate-700">
            <th scope="col" className="py-2 pr-3">{t("invoices.lineNo")}</th>
            <th scope="col" className="py-2 pr-3">{t("invoices.description")}</th>
            <th scope="col" className="py-2 pr-3">{t("invoices.project")}</th>
            <th scope="col" className="py-2 pr-3 text-right">{t("invoices.quantity")}</th>
            <th scope="col" className="py-2 pr-3 text-right">{t("invoices.unitPrice")}</th>
            <th scope="col" className="py-2 pr-3 text-right">{t("invoices.amountExclVat")}</th>
            {credit ? null : <th scope="col" className="py-2">{t("invoices.usage")}</th>}
          </tr>
        </thead>
        <tbody>
          {lines.map((line) => {
            const drill = drillDowns.get(line.id);
            const unit = UNIT_KEYS[line.unitCode];
            return [
              <tr key={line.id} className="border-b border-slate-200 align-top dark:border-slate-800" data-testid={`line-${line.id}`}>
                <td className="py-2 pr-3 tabular-nums">{line.id}</td>
                <th scope="row" className="py-2 pr-3 font-normal">{line.description}</th>
                <td className="py-2 pr-3">{line.accountingCost ?? <><span aria-hidden="true">—</span><span className="sr-only">{t("invoices.noProject")}</span></>}</td>
                <td className="py-2 pr-3 text-right tabular-nums whitespace-nowrap">
                  {formatDecimal(line.quantity, locale)} {t(unit)}
                </td>
                <td className="py-2 pr-3 text-right tabular-nums whitespace-nowrap">
                  {t(PER_UNIT_KEYS[line.unitCode], { price: formatUnitPrice(line.unitPriceOre, locale) })}
                </td>
                <td className="py-2 pr-3 text-right tabular-nums whitespace-nowrap" data-testid="line-amount">{formatNok(line.netOre, locale)}</td>
                {credit ? null : (
                  <td className="py-2 whitespace-nowrap">
                    {drill?.usageHref ? (
                      <Link href={drill.usageHref} data-testid="line-usage-link">
                        {t("invoices.viewUsage")}
                        <span className="sr-only"> {t("invoices.viewUsageFor", { line: line.id, description: line.description })}</span>
                      </Link>
                    ) : null}
                  </td>
                )}
              </tr>,
              drill ? (
                <tr key={`${line.id}-usage`} className="border-b border-slate-200 dark:border-slate-800">
                  <td colSpan={columns} className="pb-3 pl-6 pr-3 pt-1">
                    <Breakdown t={t} locale={locale} line={line} drill={drill} />
                  </td>
                </tr>
              ) : null,
            ];
          })}
        </tbody>
      </table>
    </div>
  );
}

function Breakdown({ t, locale, line, drill }: { t: Translate; locale: UiLocale; line: DocumentLine; drill: LineDrillDown }) {
  const sum = drill.workbenches.reduce((s, w) => s + w.amountOre, 0);
  const compute = drill.kind === "COMPUTE";
  return (
    <details className="group" data-testid={`line-${line.id}-breakdown`}>
      <summary className="cursor-pointer text-sm text-brand-700 underline-offset-2 hover:underline dark:text-sky-300">
        {drill.unavailable ? t("invoices.breakdownSummaryPlain") : t("invoices.breakdownSummary", { count: drill.workbenches.length })}
        <span className="sr-only"> {t("invoices.forLine", { line: line.id })}</span>
      </summary>
      <div className="mt-2 space-y-2">
        {drill.usageCoversOre !== null ? (
          <p className="text-sm text-slate-700 dark:text-slate-300">{t("invoices.usageCoversMore", { amount: formatNok(drill.usageCoversOre, locale) })}</p>
        ) : null}
        {!compute ? <p className="text-sm text-slate-700 dark:text-slate-300">{t("invoices.storageNote")}</p> : null}
        {drill.unavailable ? (
          <p className="text-sm">{t("invoices.breakdownUnavailable")}</p>
        ) : drill.workbenches.length === 0 ? (
          <p className="text-sm">{t("invoices.noBreakdown")}</p>
        ) : (
          <table className="w-full max-w-3xl text-left text-sm">
            <caption className="sr-only">{t("invoices.breakdownCaption", { line: line.id, description: line.description })}</caption>
            <thead>
              <tr className="border-b border-slate-300 dark:border-slate-700">
                <th scope="col" className="py-1 pr-3">{t("invoices.workbench")}</th>
                <th scope="col" className="py-1 pr-3 text-right">{compute ? t("invoices.reservedHours") : t("invoices.gbHours")}</th>
                {compute ? <th scope="col" className="py-1 pr-3 text-right">{t("invoices.energy")}</th> : null}
                <th scope="col" className="py-1 text-right">{t("invoices.amountExclVat")}</th>
              </tr>
            </thead>
            <tbody>
              {drill.workbenches.map((w) => (
                <tr key={w.workbenchId} className="border-b border-slate-100 dark:border-slate-800">
                  <th scope="row" className="py-1 pr-3 font-normal">{w.name}</th>
                  <td className="py-1 pr-3 text-right tabular-nums">{w.quantity}</td>
                  {compute ? <td className="py-1 pr-3 text-right tabular-nums">{w.energyKwh === null ? "—" : `${formatNumber(w.energyKwh, locale, 2)} kWh`}</td> : null}
                  <td className="py-1 text-right tabular-nums">{formatNok(w.amountOre, locale)}</td>
                </tr>
              ))}
            </tbody>
            <tfoot>
              <tr>
                <th scope="row" colSpan={compute ? 3 : 2} className="py-1 pr-3 text-right font-medium">{t("invoices.breakdownSum")}</th>
                <td className="py-1 text-right font-medium tabular-nums">{formatNok(sum, locale)}</td>
              </tr>
              <tr>
                <th scope="row" colSpan={compute ? 3 : 2} className="py-1 pr-3 text-right font-medium">{t("invoices.lineAmount")}</th>
                <td className="py-1 text-right font-medium tabular-nums">{formatNok(line.netOre, locale)}</td>
              </tr>
            </tfoot>
          </table>
        )}
        {drill.workbenches.length > 0 && sum !== line.netOre ? (
          <p className="text-sm text-slate-700 dark:text-slate-300">
            {t("invoices.roundingDifference", { difference: formatNok(Math.abs(sum - line.netOre), locale) })}
          </p>
        ) : null}
      </div>
    </details>
  );
}
