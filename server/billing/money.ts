// Exact money arithmetic for invoices: amounts are integer øre (number, always a safe integer),
// quantities and unit prices are decimal strings, and every multiplication is done in BigInt
// scaled integers, so no binary floating point touches an amount.
//
// Rounding: half away from zero ("half up" on the magnitude). A value of exactly half an øre
// rounds to the øre further from zero: 0.5 øre -> 1 øre, -0.5 øre -> -1 øre. A credit is then
// always the exact mirror of the charge it cancels. EN 16931 (BR-CO-17) defines the VAT of a rate
// as taxable amount x rate / 100 rounded to 2 decimals (whole øre) and checks its magnitude, so the
// rule is the same for positive and negative amounts.
import type { DocumentLine, VatBreakdown } from "./document";

/** A decimal as an integer and a power of ten: value / 10^scale. */
interface Scaled {
  value: bigint;
  scale: number;
}

const DECIMAL = /^(-?)(\d+)(?:\.(\d+))?$/;

function parseDecimal(text: string, what: string): Scaled {
  const match = DECIMAL.exec(text);
  if (!match) throw new RangeError(`${what} must be a decimal number like "12.5", got "${text}"`);
  const fraction = match[3] ?? "";
  const magnitude = BigInt(`${match[2] ?? ""}${fraction}`);
  return { value: match[1] === "-" ? -magnitude : magnitude, scale: fraction.length };
}

function percentAsDecimal(percent: number): Scaled {
  if (!Number.isFinite(percent) || percent < 0 || percent > 100) {
    throw new RangeError(`VAT percent must be between 0 and 100, got ${percent}`);
  }
  const text = String(percent);
  if (text.includes("e")) throw new RangeError(`VAT percent has too many decimals: ${percent}`);
  return parseDecimal(text, "VAT percent");
}

/** num / den rounded half away from zero; den must be positive. */
function divideRounded(num: bigint, den: bigint): bigint {
  const magnitude = num < 0n ? -num : num;
  const quotient = magnitude / den;
  const rounded = 2n * (magnitude % den) >= den ? quotient + 1n : quotient;
  return num < 0n ? -rounded : rounded;
}

function toSafeOre(value: bigint, what: string): number {
  if (value > BigInt(Number.MAX_SAFE_INTEGER) || value < BigInt(Number.MIN_SAFE_INTEGER)) {
    throw new RangeError(`${what} is too large: ${value} øre`);
  }
  return Number(value);
}

function assertOre(ore: number, what: string): void {
  if (!Number.isSafeInteger(ore)) throw new RangeError(`${what} must be a whole number of øre, got ${ore}`);
}

/** VAT for one rate: taxable øre x percent / 100, rounded half away from zero to whole øre. */
export function vatForRate(taxableOre: number, percent: number): number {
  assertOre(taxableOre, "Taxable amount");
  const rate = percentAsDecimal(percent);
  const den = 100n * 10n ** BigInt(rate.scale);
  return toSafeOre(divideRounded(BigInt(taxableOre) * rate.value, den), "VAT amount");
}

/** Line net amount in whole øre: quantity x unit price (øre, decimals allowed), rounded half away from zero. */
export function lineNetOre(quantity: string, unitPriceOre: string): number {
  const q = parseDecimal(quantity, "Quantity");
  const p = parseDecimal(unitPriceOre, "Unit price");
  return toSafeOre(divideRounded(q.value * p.value, 10n ** BigInt(q.scale + p.scale)), "Line amount");
}

/** Exact sum of decimal strings, as a decimal string (for adding database numerics without floats). */
export function sumDecimals(values: readonly string[]): string {
  const parsed = values.map((v) => parseDecimal(v, "Amount"));
  const scale = Math.max(0, ...parsed.map((p) => p.scale));
  const total = parsed.reduce((acc, p) => acc + p.value * 10n ** BigInt(scale - p.scale), 0n);
  const negative = total < 0n;
  const digits = (negative ? -total : total).toString().padStart(scale + 1, "0");
  const text = scale ? `${digits.slice(0, -scale)}.${digits.slice(-scale)}` : digits;
  return negative ? `-${text}` : text;
}

/**
 * Cost in whole øre of usage priced per hour: `pricedSeconds` is the exact sum of reserved seconds x price
 * per hour (øre), so the cost is pricedSeconds / 3600, rounded half up once for the whole aggregate.
 */
export function pricedSecondsToOre(pricedSeconds: string): number {
  const p = parseDecimal(pricedSeconds, "Priced seconds");
  return toSafeOre(divideRounded(p.value, 3600n * 10n ** BigInt(p.scale)), "Cost");
}

/** Øre as a decimal string with exactly two decimals, as UBL amounts want it: 123456750 -> "1234567.50". */
export function oreToDecimal(ore: number): string {
  assertOre(ore, "Amount");
  const magnitude = Math.abs(ore);
  const kroner = Math.floor(magnitude / 100);
  const cents = String(magnitude % 100).padStart(2, "0");
  return `${ore < 0 ? "-" : ""}${kroner}.${cents}`;
}

/**
 * An øre amount given as a decimal string (e.g. a unit price "12.5000") in kroner, exactly, keeping
 * every given digit: "3900" -> "39.00", "12.5000" -> "0.125000", "-5" -> "-0.05".
 */
export function oreDecimalToKroner(ore: string): string {
  const { value, scale } = parseDecimal(ore, "Amount in øre");
  const newScale = scale + 2;
  const digits = (value < 0n ? -value : value).toString().padStart(newScale + 1, "0");
  const sign = value < 0n ? "-" : "";
  return `${sign}${digits.slice(0, -newScale)}.${digits.slice(-newScale)}`;
}

/**
 * Norwegian display of an øre amount: 123456750 -> "1 234 567,50 kr", -5 -> "-0,05 kr".
 * Groups are separated by a space; pass `{ noBreak: true }` for no-break spaces (U+00A0), which keep
 * the amount and "kr" on one line in print.
 */
export function formatNok(ore: number, options: { noBreak?: boolean } = {}): string {
  const space = options.noBreak ? "\u00a0" : " ";
  const [kroner = "0", cents = "00"] = oreToDecimal(Math.abs(ore)).split(".");
  const grouped = kroner.replace(/\B(?=(\d{3})+$)/g, space);
  return `${ore < 0 ? "-" : ""}${grouped},${cents}${space}kr`;
}

/** The VAT category of a line: its own, else S (standard) for a positive rate and Z (zero rated) for 0 %. */
export function lineVatCategory(line: Pick<DocumentLine, "vatPercent" | "vatCategory">): VatBreakdown["category"] {
  return line.vatCategory ?? (line.vatPercent > 0 ? "S" : "Z");
}

const CATEGORY_ORDER: Record<VatBreakdown["category"], number> = { S: 0, Z: 1, E: 2 };

/**
 * VAT breakdown (BG-23): one entry per category and rate, with the sum of the line net amounts as the
 * taxable amount and its VAT rounded once per rate (never per line). Highest rate first.
 */
export function buildVatBreakdown(
  lines: readonly Pick<DocumentLine, "netOre" | "vatPercent" | "vatCategory">[],
): VatBreakdown[] {
  const groups = new Map<string, VatBreakdown>();
  for (const line of lines) {
    assertOre(line.netOre, "Line net amount");
    const category = lineVatCategory(line);
    percentAsDecimal(line.vatPercent);
    const key = `${category}:${line.vatPercent}`;
    const group = groups.get(key) ?? { percent: line.vatPercent, category, taxableOre: 0, taxOre: 0 };
    group.taxableOre += line.netOre;
    assertOre(group.taxableOre, "Taxable amount");
    groups.set(key, group);
  }
  return [...groups.values()]
    .map((group) => ({ ...group, taxOre: vatForRate(group.taxableOre, group.percent) }))
    .sort((a, b) => b.percent - a.percent || CATEGORY_ORDER[a.category] - CATEGORY_ORDER[b.category]);
}

/** Document totals (BG-22) from the lines and the VAT breakdown; no document-level allowances or charges. */
export function buildTotals(
  lines: readonly Pick<DocumentLine, "netOre">[],
  vat: readonly Pick<VatBreakdown, "taxableOre" | "taxOre">[],
): { lineExtensionOre: number; taxExclusiveOre: number; taxOre: number; taxInclusiveOre: number; payableOre: number } {
  const sum = (values: number[], what: string) =>
    values.reduce((total, value) => {
      assertOre(value, what);
      const next = total + value;
      assertOre(next, what);
      return next;
    }, 0);
  const lineExtensionOre = sum(lines.map((line) => line.netOre), "Sum of line net amounts");
  const taxableOre = sum(vat.map((entry) => entry.taxableOre), "Sum of taxable amounts");
  if (taxableOre !== lineExtensionOre) {
    throw new RangeError(`VAT breakdown covers ${taxableOre} øre but the lines sum to ${lineExtensionOre} øre`);
  }
  const taxOre = sum(vat.map((entry) => entry.taxOre), "Sum of VAT");
  const taxInclusiveOre = lineExtensionOre + taxOre;
  assertOre(taxInclusiveOre, "Total with VAT");
  return { lineExtensionOre, taxExclusiveOre: lineExtensionOre, taxOre, taxInclusiveOre, payableOre: taxInclusiveOre };
}
