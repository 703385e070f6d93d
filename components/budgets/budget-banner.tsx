// The portal-wide budget notices: an active hard stop (for everybody, since it blocks their launches)
// and budgets at 80 % or more of actual or forecast spend (for those who may view budgets).
import Link from "@/components/ui/link";
import type { BudgetStatus } from "@/server/billing/budgets";
import type { Locale, Translate } from "@/server/i18n/locales";
import { Notice } from "@/components/ui/card";
import { formatNok, formatNumber } from "@/components/format";

export function BudgetBanner({
  t,
  locale,
  slug,
  canView,
  blocked,
  warnings,
}: {
  t: Translate;
  locale: Locale;
  slug: string;
  canView: boolean;
  blocked: BudgetStatus[];
  warnings: BudgetStatus[];
}) {
  if (blocked.length === 0 && warnings.length === 0) return null;
  const scope = (project: string) => (project ? t("budgets.scopeLabel.project", { project }) : t("budgets.scopeLabel.org"));
  const link = canView ? (
    <p className="mt-1">
      <Link href={`/${slug}/budgets`}>{t("budgets.banner.open")}</Link>
    </p>
  ) : null;
  return (
    <div className="mb-6 space-y-3" data-testid="budget-banner">
      {blocked.length > 0 ? (
        <Notice tone="error" title={t("budgets.banner.blockedTitle")}>
          <ul className="list-none">
            {blocked.map((b) => (
              <li key={b.id}>
                {t("budgets.banner.blocked", { scope: scope(b.project), spent: formatNok(b.spentOre, locale), budget: formatNok(b.monthlyOre, locale) })}
              </li>
            ))}
          </ul>
          <p className="mt-1">{t("budgets.banner.whoCanRaise")}</p>
          {link}
        </Notice>
      ) : null}
      {warnings.length > 0 ? (
        <Notice tone="warning" title={t("budgets.banner.warningTitle")}>
          <ul className="list-none">
            {warnings.map((b) => (
              <li key={b.id}>
                {b.state === "exceeded" || b.percent >= 80
                  ? t("budgets.banner.actual", { scope: scope(b.project), percent: formatNumber(b.percent, locale, 1), spent: formatNok(b.spentOre, locale), budget: formatNok(b.monthlyOre, locale) })
                  : t("budgets.banner.forecast", { scope: scope(b.project), percent: formatNumber(b.forecastPercent ?? 0, locale, 1), budget: formatNok(b.monthlyOre, locale) })}
              </li>
            ))}
          </ul>
          {link}
        </Notice>
      ) : null}
    </div>
  );
}
