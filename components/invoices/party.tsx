// The supplier or buyer of an invoice as an address block, with organisation number and, for the
// supplier, where to pay.
import type { InvoiceDocument, Party } from "@/server/billing/document";
import type { Translate } from "@/server/i18n/locales";

/** "923456783" -> "923 456 783". */
const orgNumber = (n: string) => n.replace(/^(\d{3})(\d{3})(\d{3})$/, "$1 $2 $3");
/** Norwegian account number "86011117947" -> "8601 11 17947". */
const account = (n: string) => n.replace(/^(\d{4})(\d{2})(\d{5})$/, "$1 $2 $3");

export function PartyBlock({ t, heading, party, id }: { t: Translate; heading: string; party: Party | InvoiceDocument["supplier"]; id: string }) {
  const bank = "bankAccount" in party ? party : null;
  return (
    <section aria-labelledby={id}>
      <h3 id={id} className="text-sm font-semibold uppercase tracking-wide text-slate-600 dark:text-slate-400">{heading}</h3>
      <address className="mt-1 text-sm not-italic leading-6">
        <span className="block font-medium">{party.name}</span>
        <span className="block">{party.street}</span>
        <span className="block">
          {party.postalCode} {party.city}
        </span>
        <span className="block">{t("invoices.norway")}</span>
        <span className="block">
          {t("invoices.orgNumber", { number: orgNumber(party.orgNumber) })}
          {party.vatId ? ` ${t("invoices.vatRegistered")}` : ""}
        </span>
        {party.contactEmail ? (
          <span className="block">
            <a href={`mailto:${party.contactEmail}`}>{party.contactEmail}</a>
          </span>
        ) : null}
      </address>
      {bank ? (
        <dl className="mt-2 grid grid-cols-[auto_1fr] gap-x-3 text-sm">
          <dt className="text-slate-600 dark:text-slate-400">{t("invoices.bankAccount")}</dt>
          <dd className="tabular-nums">{account(bank.bankAccount)}</dd>
          {bank.bic ? (
            <>
              <dt className="text-slate-600 dark:text-slate-400">{t("invoices.bic")}</dt>
              <dd>{bank.bic}</dd>
            </>
          ) : null}
        </dl>
      ) : null}
    </section>
  );
}

export { account as formatAccountNumber };
