// The provider as invoice supplier, and the billing constants. The supplier's details can be set per
// installation through BILLING_SUPPLIER (JSON with the same fields); the defaults are the demo provider's.
import type { InvoiceDocument } from "./document";

export type Supplier = InvoiceDocument["supplier"];

const DEFAULT_SUPPLIER: Supplier = {
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

export function supplier(): Supplier {
  const raw = process.env.BILLING_SUPPLIER;
  if (!raw) return DEFAULT_SUPPLIER;
  return { ...DEFAULT_SUPPLIER, ...(JSON.parse(raw) as Partial<Supplier>), country: "NO" };
}

/** Norwegian VAT on cloud services. */
export const VAT_PERCENT = 25;
/** Workbench storage, øre per gigabyte-hour (NOK 1.10 per GB-month of 730 hours). */
export const STORAGE_ORE_PER_GB_HOUR = "0.15";
/** How long a draft stays open for review after its month ends, before it is finalised. */
export function reviewHours(): number {
  const value = Number(process.env.BILLING_REVIEW_HOURS ?? 72);
  return Number.isFinite(value) && value >= 0 ? value : 72;
}
