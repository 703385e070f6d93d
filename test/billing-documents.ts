// Invoice documents for the rendering tests (EHF and PDF): the supplier, numbered lines with exact net
// amounts, and documents whose VAT and totals come from the real arithmetic, as callers must build them.
import type { DocumentLine, InvoiceDocument } from "@/server/billing/document";
import { makeKid } from "@/server/billing/kid";
import { buildTotals, buildVatBreakdown, lineNetOre } from "@/server/billing/money";

export const testSupplier: InvoiceDocument["supplier"] = {
  name: "Nordlys AI Cloud AS",
  orgNumber: "123456785",
  vatId: "NO123456785MVA",
  street: "Kraftverkgata 1",
  postalCode: "0150",
  city: "Oslo",
  country: "NO",
  legalForm: "Foretaksregisteret",
  contactEmail: "faktura@nordlys.example",
  bankAccount: "86011117947",
  bic: "DNBANOKK",
};

export type LineInput = Omit<DocumentLine, "id" | "netOre" | "vatPercent"> & { vatPercent?: number };

/** Lines numbered from 1 with net amounts from quantity x price, 25 % VAT unless given. */
export function lines(...inputs: LineInput[]): DocumentLine[] {
  return inputs.map((input, i) => ({
    ...input,
    id: String(i + 1),
    vatPercent: input.vatPercent ?? 25,
    netOre: lineNetOre(input.quantity, input.unitPriceOre),
  }));
}

/** A November 2026 invoice to `buyer`, with the given lines and any other field overridden. */
export function documentFor(
  base: { buyer: InvoiceDocument["buyer"]; paymentTermsText: string },
  overrides: Partial<InvoiceDocument> & Pick<InvoiceDocument, "lines">,
): InvoiceDocument {
  const vat = buildVatBreakdown(overrides.lines);
  const number = overrides.number ?? "2026-000123";
  return {
    kind: "invoice",
    number,
    issueDate: "2026-12-01",
    dueDate: "2026-12-31",
    currency: "NOK",
    buyerReference: "HF-IKT-4471",
    periodStart: "2026-11-01",
    periodEnd: "2026-11-30",
    supplier: testSupplier,
    buyer: base.buyer,
    kid: makeKid(1042, number),
    paymentTermsText: base.paymentTermsText,
    vat,
    totals: buildTotals(overrides.lines, vat),
    ...overrides,
  };
}
