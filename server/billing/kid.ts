// KID (kundeidentifikasjon), the Norwegian payment reference: 2-25 digits whose last digit is a
// check digit, by MOD10 (Luhn) or MOD11. Banks check it when the payer types it in.

export type KidScheme = "MOD10" | "MOD11";

const PAYLOAD = /^\d{1,24}$/;
const KID = /^\d{2,25}$/;

/** Width of the customer and invoice parts in the KIDs made by makeKid (18 digits with the check digit). */
export const KID_CUSTOMER_DIGITS = 7;
export const KID_INVOICE_DIGITS = 10;

function assertPayload(payload: string): void {
  if (!PAYLOAD.test(payload)) throw new RangeError(`KID payload must be 1-24 digits, got "${payload}"`);
}

/** MOD10 (Luhn) check digit: weights 2,1,2,1,... from the rightmost payload digit, digit sums of the products. */
export function kidMod10CheckDigit(payload: string): number {
  assertPayload(payload);
  let sum = 0;
  for (let i = 0; i < payload.length; i++) {
    const digit = Number(payload[payload.length - 1 - i]);
    const product = i % 2 === 0 ? digit * 2 : digit;
    sum += product > 9 ? product - 9 : product;
  }
  return (10 - (sum % 10)) % 10;
}

/**
 * MOD11 check digit: weights 2,3,4,5,6,7,2,3,... from the rightmost payload digit; check digit is
 * 11 - (sum mod 11), 0 when that is 11, and null when it is 10 (such a payload has no MOD11 KID;
 * the "-" some banks print for it is not accepted here).
 */
export function kidMod11CheckDigit(payload: string): number | null {
  assertPayload(payload);
  let sum = 0;
  for (let i = 0; i < payload.length; i++) {
    sum += Number(payload[payload.length - 1 - i]) * ((i % 6) + 2);
  }
  const check = 11 - (sum % 11);
  if (check === 11) return 0;
  if (check === 10) return null;
  return check;
}

/** The schemes whose check digit this KID carries (possibly both); empty when it is not a valid KID. */
export function kidSchemes(kid: string): KidScheme[] {
  if (!KID.test(kid)) return [];
  const payload = kid.slice(0, -1);
  const check = Number(kid.slice(-1));
  const schemes: KidScheme[] = [];
  if (kidMod10CheckDigit(payload) === check) schemes.push("MOD10");
  if (kidMod11CheckDigit(payload) === check) schemes.push("MOD11");
  return schemes;
}

/** True for 2-25 digits with a valid check digit, by the given scheme or by either. */
export function isValidKid(kid: string, scheme?: KidScheme): boolean {
  const schemes = kidSchemes(kid);
  return scheme ? schemes.includes(scheme) : schemes.length > 0;
}

/**
 * A fixed-length MOD10 KID: the customer number zero-padded to 7 digits, the digits of the invoice
 * number zero-padded to 10 (other characters dropped: "2026-000123" -> "2026000123"), and a Luhn
 * check digit; 18 digits in all.
 */
export function makeKid(customerNumber: string | number, invoiceNumber: string): string {
  const customer = String(customerNumber);
  if (!/^\d+$/.test(customer) || customer.length > KID_CUSTOMER_DIGITS) {
    throw new RangeError(`Customer number must be 1-${KID_CUSTOMER_DIGITS} digits for a KID, got "${customer}"`);
  }
  const invoice = invoiceNumber.replace(/\D/g, "");
  if (invoice.length === 0 || invoice.length > KID_INVOICE_DIGITS) {
    throw new RangeError(`Invoice number must have 1-${KID_INVOICE_DIGITS} digits for a KID, got "${invoiceNumber}"`);
  }
  const payload = customer.padStart(KID_CUSTOMER_DIGITS, "0") + invoice.padStart(KID_INVOICE_DIGITS, "0");
  return payload + String(kidMod10CheckDigit(payload));
}
