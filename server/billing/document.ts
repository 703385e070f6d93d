// A finalised invoice or credit note as a document: everything the PDF and the EHF (PEPPOL BIS
// Billing 3.0 UBL) renderings need, in exact integer øre. Built from the billing tables; pure data.

export interface Party {
  name: string;
  /** Norwegian organisation number, 9 digits. */
  orgNumber: string;
  /** "NO" + org number + "MVA" when VAT registered (the supplier always is). */
  vatId: string | null;
  street: string;
  postalCode: string;
  city: string;
  country: "NO";
  /** e.g. "Foretaksregisteret" for AS/ASA suppliers (printed and sent as legal form). */
  legalForm?: string;
  contactEmail?: string;
}

export interface DocumentLine {
  id: string; // "1", "2", ...
  description: string; // e.g. "NVIDIA H100 SXM 80GB x1, Oslo"
  /** Quantity with up to 4 decimals, e.g. hours "12.5000" (string keeps it exact). */
  quantity: string;
  unitCode: "HUR" | "GB" | "C62"; // hours, gigabyte(-hours as GB), one (unit)
  /** Price per unit in øre, may carry up to 4 decimals of øre as a string, e.g. "3900" or "12.5000". */
  unitPriceOre: string;
  /** Line net amount in øre (integer; negative for credits on an invoice). */
  netOre: number;
  vatPercent: number; // 25
  /** VAT category (UNCL5305); default S for a positive rate, Z for 0 %. Needed only to tell E from Z. */
  vatCategory?: "S" | "Z" | "E";
  /** Cost allocation (project), sent as the line's AccountingCost (BT-133). */
  accountingCost?: string;
  /** Usage period of the line. */
  periodStart?: string; // YYYY-MM-DD
  periodEnd?: string;
}

export interface VatBreakdown {
  percent: number;
  category: "S" | "Z" | "E"; // standard, zero, exempt
  taxableOre: number;
  /** Tax for the rate: taxable x percent / 100, rounded half up to whole øre. */
  taxOre: number;
  /** Exemption reason text (BT-120); required for category E (BR-E-10). */
  exemptionReason?: string;
}

export interface InvoiceDocument {
  kind: "invoice" | "credit-note";
  number: string; // gapless number, e.g. "2026-000123"
  issueDate: string; // YYYY-MM-DD
  dueDate: string; // YYYY-MM-DD
  currency: "NOK";
  /** Buyer reference, "Deres ref." (BT-10). */
  buyerReference: string;
  orderReference?: string; // BT-13
  /** For credit notes: the invoice it corrects (BT-25) and its issue date. */
  creditedInvoice?: { number: string; issueDate: string };
  periodStart: string; // YYYY-MM-DD
  periodEnd: string;
  supplier: Party & { bankAccount: string; bic?: string }; // Norwegian account number, 11 digits
  buyer: Party;
  /** KID payment reference (BT-83), digits with a valid MOD10 or MOD11 check digit. */
  kid: string;
  paymentTermsText: string; // e.g. "30 days net"
  note?: string;
  lines: DocumentLine[];
  vat: VatBreakdown[];
  totals: {
    lineExtensionOre: number; // sum of line net amounts
    taxExclusiveOre: number;
    taxOre: number;
    taxInclusiveOre: number;
    payableOre: number;
  };
}
