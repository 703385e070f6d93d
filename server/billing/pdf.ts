// PDF rendering of an invoice or credit note for people: the same InvoiceDocument the EHF is made
// from, laid out on A4 in Norwegian or English. Pure: no I/O, the PDF comes back as a Buffer.
//
// Uses the PDF standard font Helvetica, which every viewer has, so no font file is embedded. Its
// text is WinAnsi encoded: that covers æøå and the rest of Latin-1, and `printable` maps anything
// else to a near equivalent instead of letting it turn into a wrong glyph.
import PDFDocument from "pdfkit";
import type { DocumentLine, InvoiceDocument, Party, VatBreakdown } from "./document";
import { formatNok, oreDecimalToKroner, oreToDecimal } from "./money";

export type PdfLocale = "en" | "nb";

// ---- labels -----------------------------------------------------------------------------------

const nb = {
  invoice: "Faktura",
  creditNote: "Kreditnota",
  numberPrefix: "Nr.",
  continued: "forts.",
  customer: "Kunde",
  invoiceDate: "Fakturadato",
  creditNoteDate: "Kreditnotadato",
  dueDate: "Forfallsdato",
  period: "Periode",
  buyerReference: "Deres ref.",
  orderReference: "Ordrereferanse",
  creditsInvoice: "Krediterer faktura",
  refersToInvoice: "Gjelder faktura",
  // On two lines so a wrap never splits the number or the date.
  invoiceDated: (number: string, date: string) => `${number}\ndatert ${date}`,
  paymentTerms: "Betalingsbetingelser",
  kid: "KID",
  orgNumber: (number: string, vatRegistered: boolean) => `Org.nr ${number}${vatRegistered ? " MVA" : ""}`,
  bankAccount: "Kontonr.",
  bic: "BIC",
  note: "Merknad",
  specification: "Spesifikasjon",
  amountsExclVat: "Beløp i kr ekskl. mva",
  description: "Beskrivelse",
  quantity: "Antall",
  unitPrice: "Enhetspris",
  vat: "MVA",
  amount: "Beløp",
  project: "Prosjekt",
  units: { HUR: ["time", "timer"], GB: ["GB", "GB"], C62: ["stk", "stk"] },
  vatSummary: "Merverdiavgift",
  vatRate: "Sats",
  taxableAmount: "Grunnlag",
  zeroRated: "fritatt",
  exempt: "Unntatt",
  totalExclVat: "Sum ekskl. mva",
  totalVat: "Merverdiavgift",
  totalInclVat: "Sum inkl. mva",
  amountPayable: "Å betale",
  amountCredited: "Til gode",
  paymentHeading: "Betalingsinformasjon",
  nothingToPay: "Ingenting å betale",
  creditNoteNotPayable: "Kreditnota – skal ikke betales",
  payTo: "Betal til",
  accountNumber: "Kontonummer",
  useKid: "Oppgi KID ved betaling.",
  date: "Dato",
  page: (page: number, total: number) => `Side ${page} av ${total}`,
  subject: (title: string, number: string, buyer: string, period: string) =>
    `${title} ${number} til ${buyer} for perioden ${period}`,
};

type Labels = typeof nb;

const en: Labels = {
  invoice: "Invoice",
  creditNote: "Credit note",
  numberPrefix: "No.",
  continued: "continued",
  customer: "Customer",
  invoiceDate: "Invoice date",
  creditNoteDate: "Credit note date",
  dueDate: "Due date",
  period: "Period",
  buyerReference: "Your ref.",
  orderReference: "Order reference",
  creditsInvoice: "Credits invoice",
  refersToInvoice: "Refers to invoice",
  invoiceDated: (number, date) => `${number}\ndated ${date}`,
  paymentTerms: "Payment terms",
  kid: "KID",
  // "MVA" is the statutory mark of VAT registration on Norwegian invoices, in any language.
  orgNumber: (number, vatRegistered) => `Org. no. ${number}${vatRegistered ? " MVA" : ""}`,
  bankAccount: "Account",
  bic: "BIC",
  note: "Note",
  specification: "Specification",
  amountsExclVat: "Amounts in NOK excl. VAT",
  description: "Description",
  quantity: "Quantity",
  unitPrice: "Unit price",
  vat: "VAT",
  amount: "Amount",
  project: "Project",
  units: { HUR: ["hour", "hours"], GB: ["GB", "GB"], C62: ["pc", "pcs"] },
  vatSummary: "VAT summary",
  vatRate: "Rate",
  taxableAmount: "Taxable amount",
  zeroRated: "zero-rated",
  exempt: "Exempt",
  totalExclVat: "Total excl. VAT",
  totalVat: "VAT",
  totalInclVat: "Total incl. VAT",
  amountPayable: "Amount payable",
  amountCredited: "Amount credited",
  paymentHeading: "Payment information",
  nothingToPay: "Nothing to pay",
  creditNoteNotPayable: "Credit note – not to be paid",
  payTo: "Pay to",
  accountNumber: "Account number",
  useKid: "Please use the KID as the payment reference.",
  date: "Date",
  page: (page, total) => `Page ${page} of ${total}`,
  subject: (title, number, buyer, period) => `${title} ${number} to ${buyer} for the period ${period}`,
};

const LABELS: Record<PdfLocale, Labels> = { nb, en };

// ---- formatting -------------------------------------------------------------------------------

const MONTHS_EN = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];

/** A YYYY-MM-DD date as printed: 28.11.2026 (nb) or 28 Nov 2026 (en). Parsed as text, so no time zone can shift it. */
export function formatDate(date: string, locale: PdfLocale): string {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(date);
  const month = MONTHS_EN[Number(match?.[2]) - 1];
  const time = new Date(`${date}T00:00:00Z`).getTime();
  const exists = !Number.isNaN(time) && new Date(time).toISOString().slice(0, 10) === date; // rejects 2026-02-30
  if (!match || !month || !exists) throw new RangeError(`Date must be YYYY-MM-DD, got "${date}"`);
  const [, year, , day] = match;
  return locale === "nb" ? `${day}.${match[2]}.${year}` : `${Number(day)} ${month} ${year}`;
}

/** A date range on one line, or with `stacked` broken after the dash for a narrow table column. */
function formatPeriod(start: string | undefined, end: string | undefined, locale: PdfLocale, stacked = false): string {
  const from = start === undefined ? "" : formatDate(start, locale);
  const to = end === undefined ? "" : formatDate(end, locale);
  if (from === to) return from;
  if (stacked) return `${from} –\n${to}`;
  // Numeric dates read well closed up; dates with month names need the spaced dash.
  return locale === "nb" ? `${from}–${to}` : `${from} – ${to}`;
}

/**
 * A decimal string ("-1234.5000") in the locale's notation, with thousands grouped and trailing
 * zeros dropped down to `minDecimals`: nb "-1 234,50", en "-1,234.50". Works on the text, so the
 * exact value is printed.
 */
export function formatDecimal(value: string, locale: PdfLocale, minDecimals = 0): string {
  const match = /^(-?)(\d+)(?:\.(\d+))?$/.exec(value);
  if (!match) throw new RangeError(`Not a decimal number: "${value}"`);
  const [, sign = "", whole = "0", fraction = ""] = match;
  let decimals = fraction.replace(/0+$/, "");
  if (decimals.length < minDecimals) decimals = decimals.padEnd(minDecimals, "0");
  const [group, point] = locale === "nb" ? [" ", ","] : [",", "."];
  const grouped = whole.replace(/^0+(?=\d)/, "").replace(/\B(?=(\d{3})+$)/g, group);
  const isZero = /^0*$/.test(whole) && /^0*$/.test(decimals);
  return `${isZero ? "" : sign}${grouped}${decimals ? point + decimals : ""}`;
}

/** An øre amount without currency, for table columns headed with the currency: nb "1 234,50", en "1,234.50". */
function formatAmount(ore: number, locale: PdfLocale): string {
  return formatDecimal(oreToDecimal(ore), locale, 2);
}

/** An øre amount with currency: nb "1 234 567,50 kr" (as formatNok), en "NOK 1,234,567.50"; negative "-… kr", "NOK -…". */
export function formatMoney(ore: number, locale: PdfLocale): string {
  return locale === "nb" ? formatNok(ore) : `NOK ${formatAmount(ore, locale)}`;
}

function formatPercent(percent: number, locale: PdfLocale): string {
  const text = formatDecimal(String(percent), locale);
  return locale === "nb" ? `${text} %` : `${text}%`;
}

function formatQuantity(line: DocumentLine, t: Labels, locale: PdfLocale): string {
  const [one, many] = t.units[line.unitCode];
  const isOne = /^1(\.0*)?$/.test(line.quantity);
  return `${formatDecimal(line.quantity, locale)} ${isOne ? one : many}`;
}

/** Unit price in kroner with at least two decimals but every significant decimal of the øre price kept. */
function formatUnitPrice(line: DocumentLine, locale: PdfLocale): string {
  return formatDecimal(oreDecimalToKroner(line.unitPriceOre), locale, 2);
}

/** Organisation number in groups of three, as printed on Norwegian documents: 123 456 785. */
const formatOrgNumber = (number: string): string =>
  /^\d{9}$/.test(number) ? `${number.slice(0, 3)} ${number.slice(3, 6)} ${number.slice(6)}` : number;

/** Norwegian bank account grouped 4.2.5 as banks print it: 1503 12 34567. */
const formatBankAccount = (account: string): string =>
  /^\d{11}$/.test(account) ? `${account.slice(0, 4)} ${account.slice(4, 6)} ${account.slice(6)}` : account;

function vatRateText(entry: Pick<VatBreakdown, "percent" | "category">, t: Labels, locale: PdfLocale): string {
  if (entry.category === "E") return t.exempt;
  const rate = formatPercent(entry.percent, locale);
  return entry.category === "Z" ? `${rate} (${t.zeroRated})` : rate;
}

// ---- text that Helvetica can show -------------------------------------------------------------

/** Characters of WinAnsiEncoding outside Latin-1, which the standard fonts also have glyphs for. */
const WIN_ANSI_EXTRA = new Set("€‚ƒ„…†‡ˆ‰Š‹ŒŽ‘’“”•–—˜™š›œžŸ");
/** Near equivalents for letters with no decomposition, e.g. in Sámi names, and for the minus sign. */
const FALLBACK: Record<string, string> = { "\u2212": "-", Đ: "D", đ: "d", Ŋ: "N", ŋ: "n", Ŧ: "T", ŧ: "t" };

function isWinAnsi(char: string): boolean {
  const code = char.codePointAt(0) ?? 0;
  return (code >= 0x20 && code <= 0x7e) || (code >= 0xa0 && code <= 0xff) || WIN_ANSI_EXTRA.has(char);
}

/**
 * Text the standard fonts can draw: line breaks stay, other whitespace becomes a space, accents come
 * off letters that need it, anything else becomes "?".
 */
export function printable(text: string): string {
  return Array.from(text.replace(/\r\n?/g, "\n").normalize("NFC"), (char) => {
    if (isWinAnsi(char) || char === "\n") return char;
    if (/\s/u.test(char)) return " ";
    const fallback = FALLBACK[char];
    if (fallback) return fallback;
    const base = char.normalize("NFD").replace(/\p{M}/gu, "");
    return base !== "" && Array.from(base).every(isWinAnsi) ? base : "?";
  }).join("");
}

// ---- layout primitives ------------------------------------------------------------------------

const A4 = { width: 595.28, height: 841.89 };
const MARGIN = { top: 46, bottom: 58, left: 50, right: 50 };
const LEFT = MARGIN.left;
const RIGHT = A4.width - MARGIN.right;
const CONTENT_WIDTH = RIGHT - LEFT;
/** Lowest y content may reach; the footer lives below it, in the bottom margin. */
const CONTENT_BOTTOM = A4.height - MARGIN.bottom;

const INK = "#1b1f24";
const MUTED = "#646b73";
const ACCENT = "#0d3b5e";
const RULE = "#d5d9de";
const TINT = "#f2f4f7";

interface TextStyle {
  size: number;
  bold?: boolean;
  color?: string;
  /** Letter spacing, used for the small upper-case captions. */
  spacing?: number;
}

const BODY: TextStyle = { size: 9 };
const SMALL_MUTED: TextStyle = { size: 7.5, color: MUTED };
const CAPTION: TextStyle = { size: 7, bold: true, color: MUTED, spacing: 0.6 };

interface Ctx {
  pdf: PDFKit.PDFDocument;
  invoice: InvoiceDocument;
  locale: PdfLocale;
  t: Labels;
  /** Where the next content goes on the current page. */
  y: number;
}

function applyStyle(pdf: PDFKit.PDFDocument, style: TextStyle): void {
  pdf.font(style.bold ? "Helvetica-Bold" : "Helvetica").fontSize(style.size).fillColor(style.color ?? INK);
}

function textWidth(ctx: Ctx, text: string, style: TextStyle): number {
  applyStyle(ctx.pdf, style);
  return ctx.pdf.widthOfString(printable(text), { characterSpacing: style.spacing ?? 0 });
}

/** Smallest size text is shrunk to when it would not fit its column. */
const MIN_FIT_SIZE = 5.5;
/** Helvetica's ascender as a fraction of the font size: text is placed by its top, rows align on the baseline. */
const HELVETICA_ASCENT = 0.718;

/**
 * One unwrapped line at (x, y); with `right` it ends at x. Drawing without a wrap width also keeps
 * pdfkit from starting a page of its own when the text sits in the footer margin. With `maxWidth`,
 * text that would run into the next column (a very large amount, a 25-digit KID) is set smaller.
 */
function drawLine(
  ctx: Ctx,
  text: string,
  x: number,
  y: number,
  style: TextStyle,
  align: "left" | "right" = "left",
  maxWidth = Infinity,
): void {
  const safe = printable(text).replace(/\n/g, " ");
  let fitted = style;
  let width = textWidth(ctx, safe, style);
  let top = y;
  if (width > maxWidth) {
    fitted = { ...style, size: Math.max(MIN_FIT_SIZE, (style.size * maxWidth) / width) };
    width = textWidth(ctx, safe, fitted);
    top += (style.size - fitted.size) * HELVETICA_ASCENT; // keep the baseline of the row
  }
  ctx.pdf.text(safe, align === "right" ? x - width : x, top, { lineBreak: false, characterSpacing: fitted.spacing ?? 0 });
}

function measureBlock(ctx: Ctx, text: string, width: number, style: TextStyle): number {
  applyStyle(ctx.pdf, style);
  return ctx.pdf.heightOfString(printable(text), { width });
}

/** Wrapped text in a column of `width`; returns its height. The height cap stops pdfkit from ever paging by itself. */
function drawBlock(ctx: Ctx, text: string, x: number, y: number, width: number, style: TextStyle): number {
  const height = measureBlock(ctx, text, width, style);
  ctx.pdf.text(printable(text), x, y, { width, height: height + 2 });
  return height;
}

function hRule(ctx: Ctx, y: number, color = RULE, width = 0.6, from = LEFT, to = RIGHT): void {
  ctx.pdf.save().moveTo(from, y).lineTo(to, y).lineWidth(width).strokeColor(color).stroke().restore();
}

function fillRect(ctx: Ctx, x: number, y: number, width: number, height: number, color: string): void {
  ctx.pdf.save().rect(x, y, width, height).fillColor(color).fill().restore();
}

function title(ctx: Ctx): string {
  return ctx.invoice.kind === "credit-note" ? ctx.t.creditNote : ctx.t.invoice;
}

/** Starts a new page with the short running header; the caller redraws any table header it needs. */
function newPage(ctx: Ctx): void {
  ctx.pdf.addPage();
  ctx.y = MARGIN.top;
  const { invoice } = ctx;
  drawLine(ctx, invoice.supplier.name, LEFT, ctx.y, { size: 10, bold: true, color: ACCENT });
  drawLine(ctx, `${title(ctx)} ${invoice.number} (${ctx.t.continued})`, RIGHT, ctx.y, { size: 10 }, "right");
  ctx.y += 18;
  hRule(ctx, ctx.y, ACCENT, 1);
  ctx.y += 16;
}

/** Moves to a new page unless `height` more points fit on this one; true when it did. */
function ensureSpace(ctx: Ctx, height: number): boolean {
  if (ctx.y + height <= CONTENT_BOTTOM) return false;
  newPage(ctx);
  return true;
}

// ---- sections ---------------------------------------------------------------------------------

function partyOrgLine(party: Party, t: Labels): string {
  return t.orgNumber(formatOrgNumber(party.orgNumber), party.vatId !== null);
}

/** Supplier name and legal details at the top left, the document title and number at the top right. */
function drawHeader(ctx: Ctx): void {
  const { invoice, t } = ctx;
  const { supplier } = invoice;
  const top = ctx.y;

  const titleStyle: TextStyle = { size: 22, bold: true, color: ACCENT, spacing: 1 };
  const titleText = title(ctx).toUpperCase();
  // Whatever the title leaves of the width; a very long name is set smaller rather than run into it.
  const nameWidth = CONTENT_WIDTH - textWidth(ctx, titleText, titleStyle) - 24;
  drawLine(ctx, supplier.name, LEFT, top, { size: 16, bold: true, color: ACCENT }, "left", nameWidth);
  const registration = [partyOrgLine(supplier, t), supplier.legalForm].filter(Boolean).join(" · ");
  const bank = [`${t.bankAccount} ${formatBankAccount(supplier.bankAccount)}`, supplier.bic && `${t.bic} ${supplier.bic}`]
    .filter(Boolean)
    .join(" · ");
  const details = [`${supplier.street}, ${supplier.postalCode} ${supplier.city}`, registration, supplier.contactEmail, bank];
  let y = top + 24;
  for (const line of details) {
    if (!line) continue;
    drawLine(ctx, line, LEFT, y, { size: 8.5, color: MUTED }, "left", nameWidth);
    y += 11.5;
  }

  drawLine(ctx, titleText, RIGHT, top - 2, titleStyle, "right");
  drawLine(ctx, `${t.numberPrefix} ${invoice.number}`, RIGHT, top + 26, { size: 11, bold: true }, "right");

  ctx.y = Math.max(y, top + 48) + 8;
  hRule(ctx, ctx.y, ACCENT, 1.2);
  ctx.y += 20;
}

interface Fact {
  label: string;
  value: string;
  bold?: boolean;
  /** Never wrapped (a KID split over two lines gets typed wrong); shrunk to fit instead. */
  oneLine?: boolean;
}

function facts(ctx: Ctx): Fact[] {
  const { invoice, t, locale } = ctx;
  const isCreditNote = invoice.kind === "credit-note";
  const list: (Fact | false)[] = [
    { label: isCreditNote ? t.creditNoteDate : t.invoiceDate, value: formatDate(invoice.issueDate, locale) },
    { label: t.dueDate, value: formatDate(invoice.dueDate, locale), bold: !isCreditNote },
    { label: t.period, value: formatPeriod(invoice.periodStart, invoice.periodEnd, locale) },
    invoice.creditedInvoice !== undefined && {
      label: isCreditNote ? t.creditsInvoice : t.refersToInvoice,
      value: t.invoiceDated(invoice.creditedInvoice.number, formatDate(invoice.creditedInvoice.issueDate, locale)),
      bold: isCreditNote,
    },
    invoice.buyerReference.trim() !== "" && { label: t.buyerReference, value: invoice.buyerReference },
    invoice.orderReference !== undefined && invoice.orderReference.trim() !== "" && {
      label: t.orderReference,
      value: invoice.orderReference,
    },
    invoice.paymentTermsText.trim() !== "" && { label: t.paymentTerms, value: invoice.paymentTermsText },
    { label: t.kid, value: invoice.kid, bold: true, oneLine: true },
  ];
  return list.filter((fact): fact is Fact => fact !== false);
}

const FACTS_BOX = { width: 236, padding: 10, labelWidth: 98, rowGap: 4 };

/** Grey box of dates and references to the right of the customer address; returns its height. */
function drawFactsBox(ctx: Ctx, top: number): number {
  const x = RIGHT - FACTS_BOX.width;
  const valueX = x + FACTS_BOX.padding + FACTS_BOX.labelWidth;
  const valueWidth = RIGHT - FACTS_BOX.padding - valueX;
  const rows = facts(ctx).map((fact) => {
    const style: TextStyle = { ...BODY, size: 8.5, bold: fact.bold };
    return { fact, style, height: measureBlock(ctx, fact.oneLine ? "0" : fact.value, valueWidth, style) };
  });
  const height = rows.reduce((sum, row) => sum + row.height + FACTS_BOX.rowGap, 0) - FACTS_BOX.rowGap + 2 * FACTS_BOX.padding;
  fillRect(ctx, x, top, FACTS_BOX.width, height, TINT);
  let y = top + FACTS_BOX.padding;
  for (const { fact, style, height: rowHeight } of rows) {
    drawLine(ctx, fact.label, x + FACTS_BOX.padding, y, { size: 8.5, color: MUTED });
    if (fact.oneLine) drawLine(ctx, fact.value, valueX, y, style, "left", valueWidth);
    else drawBlock(ctx, fact.value, valueX, y, valueWidth, style);
    y += rowHeight + FACTS_BOX.rowGap;
  }
  return height;
}

/** Customer name, address and organisation number; returns the height used. */
function drawBuyer(ctx: Ctx, top: number): number {
  const { buyer } = ctx.invoice;
  const width = CONTENT_WIDTH - FACTS_BOX.width - 24;
  drawLine(ctx, ctx.t.customer.toUpperCase(), LEFT, top, CAPTION);
  let y = top + 14;
  y += drawBlock(ctx, buyer.name, LEFT, y, width, { size: 11, bold: true }) + 3;
  for (const line of [buyer.street, `${buyer.postalCode} ${buyer.city}`, partyOrgLine(buyer, ctx.t)]) {
    y += drawBlock(ctx, line, LEFT, y, width, BODY) + 1.5;
  }
  return y - top;
}

function drawParties(ctx: Ctx): void {
  const top = ctx.y;
  const height = Math.max(drawBuyer(ctx, top), drawFactsBox(ctx, top));
  ctx.y = top + height + 22;
}

function drawNote(ctx: Ctx): void {
  const note = ctx.invoice.note?.trim();
  if (!note) return;
  ensureSpace(ctx, 14 + measureBlock(ctx, note, CONTENT_WIDTH, BODY) + 20);
  drawLine(ctx, ctx.t.note.toUpperCase(), LEFT, ctx.y, CAPTION);
  ctx.y += 13;
  ctx.y += drawBlock(ctx, note, LEFT, ctx.y, CONTENT_WIDTH, BODY) + 20;
}

// ---- lines table ------------------------------------------------------------------------------

interface Column {
  key: "description" | "period" | "quantity" | "unitPrice" | "vat" | "amount";
  width: number;
  align: "left" | "right";
}

const COLUMNS: Column[] = [
  { key: "description", width: 174, align: "left" },
  { key: "period", width: 74, align: "left" },
  { key: "quantity", width: 76, align: "right" },
  { key: "unitPrice", width: 64, align: "right" },
  { key: "vat", width: 34, align: "right" },
  // The rest, about 75 pt: room for "-12 345 678,90" at the cell size.
  { key: "amount", width: CONTENT_WIDTH - 174 - 74 - 76 - 64 - 34, align: "right" },
];
/** Space between columns: taken from a left-aligned cell's right side and a right-aligned cell's left side. */
const CELL_GAP = 8;
const ROW_PADDING = 5;
const CELL_STYLE: TextStyle = { size: 8.5 };
const HEADER_STYLE: TextStyle = { size: 7.5, bold: true, color: MUTED };

function columnBox(index: number): { x: number; width: number } {
  const column = COLUMNS[index]!;
  const x = LEFT + COLUMNS.slice(0, index).reduce((sum, c) => sum + c.width, 0);
  return column.align === "left" ? { x, width: column.width - CELL_GAP } : { x: x + CELL_GAP, width: column.width - CELL_GAP };
}

function drawTableHeader(ctx: Ctx): void {
  const { t } = ctx;
  const labels: Record<Column["key"], string> = {
    description: t.description,
    period: t.period,
    quantity: t.quantity,
    unitPrice: t.unitPrice,
    vat: t.vat,
    amount: t.amount,
  };
  COLUMNS.forEach((column, index) => {
    const box = columnBox(index);
    const x = column.align === "right" ? box.x + box.width : box.x;
    drawLine(ctx, labels[column.key], x, ctx.y, HEADER_STYLE, column.align);
  });
  ctx.y += 13;
  hRule(ctx, ctx.y, INK, 0.8);
  ctx.y += ROW_PADDING;
}

function lineCells(ctx: Ctx, line: DocumentLine): Record<Exclude<Column["key"], "description">, string> {
  const { locale, t } = ctx;
  return {
    period: line.periodStart || line.periodEnd ? formatPeriod(line.periodStart, line.periodEnd, locale, true) : "",
    quantity: formatQuantity(line, t, locale),
    unitPrice: formatUnitPrice(line, locale),
    // Just the rate: the VAT summary below names zero-rated and exempt amounts.
    vat: formatPercent(line.vatPercent, locale),
    amount: formatAmount(line.netOre, locale),
  };
}

function projectText(ctx: Ctx, line: DocumentLine): string | null {
  const cost = line.accountingCost?.trim();
  return cost ? `${ctx.t.project}: ${cost}` : null;
}

function lineRowHeight(ctx: Ctx, line: DocumentLine): number {
  const description = columnBox(0);
  const project = projectText(ctx, line);
  const left =
    measureBlock(ctx, line.description, description.width, CELL_STYLE) +
    (project ? 1.5 + measureBlock(ctx, project, description.width, SMALL_MUTED) : 0);
  const period = measureBlock(ctx, lineCells(ctx, line).period || " ", columnBox(1).width, CELL_STYLE);
  return Math.max(left, period) + 2 * ROW_PADDING;
}

function drawLineRow(ctx: Ctx, line: DocumentLine, height: number): void {
  const top = ctx.y;
  const description = columnBox(0);
  let y = top + drawBlock(ctx, line.description, description.x, top, description.width, CELL_STYLE);
  const project = projectText(ctx, line);
  if (project) drawBlock(ctx, project, description.x, y + 1.5, description.width, SMALL_MUTED);

  const cells = lineCells(ctx, line);
  const period = columnBox(1);
  if (cells.period) drawBlock(ctx, cells.period, period.x, top, period.width, CELL_STYLE);
  (["quantity", "unitPrice", "vat", "amount"] as const).forEach((key, i) => {
    const box = columnBox(i + 2);
    drawLine(ctx, cells[key], box.x + box.width, top, CELL_STYLE, "right", box.width);
  });
  ctx.y = top + height - ROW_PADDING;
  hRule(ctx, ctx.y, RULE, 0.5);
  ctx.y += ROW_PADDING;
}

function drawLinesTable(ctx: Ctx): void {
  const { t } = ctx;
  const firstRow = ctx.invoice.lines[0] ? lineRowHeight(ctx, ctx.invoice.lines[0]) : 0;
  // Keep the caption and table header together with at least the first row.
  ensureSpace(ctx, 14 + 18 + firstRow);
  drawLine(ctx, t.specification.toUpperCase(), LEFT, ctx.y, CAPTION);
  drawLine(ctx, t.amountsExclVat, RIGHT, ctx.y, { size: 7, color: MUTED }, "right");
  ctx.y += 14;
  drawTableHeader(ctx);
  for (const line of ctx.invoice.lines) {
    const height = lineRowHeight(ctx, line);
    if (ensureSpace(ctx, height)) drawTableHeader(ctx);
    drawLineRow(ctx, line, height);
  }
  ctx.y += 18;
}

// ---- VAT breakdown and totals -----------------------------------------------------------------

const SUMMARY_ROW = 15;
const VAT_TABLE_WIDTH = 236;
const TOTALS_WIDTH = 230;
const PAYABLE_BAND = 26;
const SUMMARY_GAP = 16;
const SLIP_HEIGHT = 112;

/** Height of one rate's row, with room for the exemption reason printed under an exempt rate. */
function vatRowHeight(ctx: Ctx, entry: VatBreakdown): number {
  const reason = entry.exemptionReason?.trim();
  return SUMMARY_ROW + (reason ? measureBlock(ctx, reason, VAT_TABLE_WIDTH, SMALL_MUTED) : 0);
}

function vatTableHeight(ctx: Ctx): number {
  return 14 + 15 + ctx.invoice.vat.reduce((sum, entry) => sum + vatRowHeight(ctx, entry), 0);
}

function totalsHeight(): number {
  return 3 * SUMMARY_ROW + 4 + PAYABLE_BAND;
}

/** Taxable amount and VAT per rate, as the law asks for when more than one rate could apply. */
function drawVatTable(ctx: Ctx, top: number): void {
  const { t, locale } = ctx;
  const taxableRight = LEFT + 160;
  const vatRight = LEFT + VAT_TABLE_WIDTH;
  const amountWidth = 74;
  drawLine(ctx, t.vatSummary.toUpperCase(), LEFT, top, CAPTION);
  let y = top + 14;
  drawLine(ctx, t.vatRate, LEFT, y, HEADER_STYLE);
  drawLine(ctx, t.taxableAmount, taxableRight, y, HEADER_STYLE, "right");
  drawLine(ctx, t.vat, vatRight, y, HEADER_STYLE, "right");
  y += 11;
  hRule(ctx, y, INK, 0.6, LEFT, LEFT + VAT_TABLE_WIDTH);
  y += 4;
  for (const entry of ctx.invoice.vat) {
    drawLine(ctx, vatRateText(entry, t, locale), LEFT, y, CELL_STYLE, "left", taxableRight - amountWidth - LEFT - 6);
    drawLine(ctx, formatMoney(entry.taxableOre, locale), taxableRight, y, CELL_STYLE, "right", amountWidth);
    drawLine(ctx, formatMoney(entry.taxOre, locale), vatRight, y, CELL_STYLE, "right", amountWidth);
    const reason = entry.exemptionReason?.trim();
    if (reason) drawBlock(ctx, reason, LEFT, y + SUMMARY_ROW - 4, VAT_TABLE_WIDTH, SMALL_MUTED);
    y += vatRowHeight(ctx, entry);
  }
}

function payableLabel(ctx: Ctx): string {
  return ctx.invoice.kind === "credit-note" ? ctx.t.amountCredited : ctx.t.amountPayable;
}

/** Sums on the right, ending in the amount to pay on a dark band so it is the first thing seen. */
function drawTotals(ctx: Ctx, top: number): void {
  const { t, locale, invoice } = ctx;
  const x = RIGHT - TOTALS_WIDTH;
  const rows: [string, number][] = [
    [t.totalExclVat, invoice.totals.taxExclusiveOre],
    [t.totalVat, invoice.totals.taxOre],
    [t.totalInclVat, invoice.totals.taxInclusiveOre],
  ];
  let y = top;
  rows.forEach(([label, ore], i) => {
    const bold = i === rows.length - 1;
    drawLine(ctx, label, x, y, { ...BODY, bold });
    drawLine(ctx, formatMoney(ore, locale), RIGHT, y, { ...BODY, bold }, "right");
    y += SUMMARY_ROW;
    if (i < rows.length - 1) hRule(ctx, y - 4, RULE, 0.5, x, RIGHT);
  });
  y += 4;
  fillRect(ctx, x, y, TOTALS_WIDTH, PAYABLE_BAND, ACCENT);
  const band: TextStyle = { size: 11.5, bold: true, color: "#ffffff" };
  drawLine(ctx, payableLabel(ctx), x + 10, y + 8, band);
  const labelWidth = textWidth(ctx, payableLabel(ctx), band);
  drawLine(ctx, formatMoney(invoice.totals.payableOre, locale), RIGHT - 10, y + 8, band, "right", TOTALS_WIDTH - labelWidth - 32);
}

function drawSummary(ctx: Ctx): void {
  const height = Math.max(vatTableHeight(ctx), totalsHeight());
  // The totals and the payment slip belong together: never leave the slip alone on a last page.
  ensureSpace(ctx, height + SUMMARY_GAP + SLIP_HEIGHT);
  const top = ctx.y;
  drawVatTable(ctx, top);
  drawTotals(ctx, top);
  ctx.y = top + height + SUMMARY_GAP;
}

// ---- payment slip -----------------------------------------------------------------------------

interface SlipField {
  label: string;
  value: string;
  width: number;
}

function slipFields(ctx: Ctx): SlipField[] {
  const { invoice, t, locale } = ctx;
  const amount = { label: payableLabel(ctx), value: formatMoney(invoice.totals.payableOre, locale), width: 128 };
  if (invoice.kind === "credit-note") {
    return [
      { label: t.creditsInvoice, value: invoice.creditedInvoice?.number ?? "", width: 117 },
      { label: t.kid, value: invoice.kid, width: 150 },
      amount,
      { label: t.date, value: formatDate(invoice.issueDate, locale), width: CONTENT_WIDTH - 117 - 150 - 128 },
    ];
  }
  return [
    { label: t.accountNumber, value: formatBankAccount(invoice.supplier.bankAccount), width: 117 },
    { label: t.kid, value: invoice.kid, width: 150 },
    { ...amount, label: t.amount },
    { label: t.dueDate, value: formatDate(invoice.dueDate, locale), width: CONTENT_WIDTH - 117 - 150 - 128 },
  ];
}

function slipHeading(ctx: Ctx): string {
  const { invoice, t } = ctx;
  if (invoice.kind === "credit-note") return t.creditNoteNotPayable;
  return invoice.totals.payableOre > 0 ? t.paymentHeading : t.nothingToPay;
}

/**
 * Payment details at the foot of the last page, behind a dashed cut line like the giro slip they
 * replace: account, KID, amount and due date in large type, for typing into an online bank.
 */
function drawPaymentSlip(ctx: Ctx): void {
  if (ctx.y > CONTENT_BOTTOM - SLIP_HEIGHT) newPage(ctx);
  const { invoice, t } = ctx;
  const top = CONTENT_BOTTOM - SLIP_HEIGHT;
  ctx.pdf.save().moveTo(LEFT, top).lineTo(RIGHT, top).dash(3, { space: 3 }).lineWidth(0.7).strokeColor(MUTED).stroke().undash().restore();

  let y = top + 14;
  drawLine(ctx, slipHeading(ctx).toUpperCase(), LEFT, y, { ...CAPTION, size: 8, color: ACCENT });
  if (invoice.kind === "invoice") {
    drawLine(ctx, `${t.payTo}: ${invoice.supplier.name}`, RIGHT, y, { size: 8.5 }, "right");
  }
  y += 18;

  const boxHeight = 44;
  fillRect(ctx, LEFT, y, CONTENT_WIDTH, boxHeight, TINT);
  let x = LEFT;
  for (const [i, field] of slipFields(ctx).entries()) {
    if (i > 0) ctx.pdf.save().moveTo(x, y + 8).lineTo(x, y + boxHeight - 8).lineWidth(0.6).strokeColor(RULE).stroke().restore();
    drawLine(ctx, field.label, x + 10, y + 9, { size: 7.5, color: MUTED });
    drawLine(ctx, field.value, x + 10, y + 22, { size: 11.5, bold: true }, "left", field.width - 20);
    x += field.width;
  }
  y += boxHeight + 8;
  if (invoice.kind === "invoice" && invoice.totals.payableOre > 0) drawLine(ctx, t.useKid, LEFT, y, SMALL_MUTED);
  ctx.y = CONTENT_BOTTOM;
}

// ---- footer and document ----------------------------------------------------------------------

/** Supplier identity and "Page n of N" on every page; needs all pages buffered to know N. */
function drawFooters(ctx: Ctx): void {
  const { pdf, invoice, t } = ctx;
  const { start, count } = pdf.bufferedPageRange();
  const identity = [invoice.supplier.name, partyOrgLine(invoice.supplier, t), invoice.supplier.contactEmail]
    .filter(Boolean)
    .join("  ·  ");
  for (let i = 0; i < count; i++) {
    pdf.switchToPage(start + i);
    const y = A4.height - MARGIN.bottom + 22;
    hRule(ctx, y - 8, RULE, 0.5);
    drawLine(ctx, identity, LEFT, y, SMALL_MUTED);
    drawLine(ctx, t.page(i + 1, count), RIGHT, y, SMALL_MUTED, "right");
  }
}

function documentInfo(invoice: InvoiceDocument, t: Labels, locale: PdfLocale): PDFKit.DocumentInfo {
  const name = invoice.kind === "credit-note" ? t.creditNote : t.invoice;
  const creationDate = new Date(`${invoice.issueDate}T00:00:00Z`);
  return {
    Title: `${name} ${invoice.number}`,
    Author: invoice.supplier.name,
    Subject: t.subject(name, invoice.number, invoice.buyer.name, formatPeriod(invoice.periodStart, invoice.periodEnd, locale)),
    // Fixed to the issue date so the same document gives the same PDF (apart from pdfkit's random file id).
    CreationDate: creationDate,
    ModDate: creationDate,
  };
}

/** Collects the streamed PDF into one Buffer. */
function toBuffer(pdf: PDFKit.PDFDocument): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    pdf.on("data", (chunk: Buffer) => chunks.push(chunk));
    pdf.on("end", () => resolve(Buffer.concat(chunks)));
    pdf.on("error", reject);
  });
}

/** The invoice or credit note as an A4 PDF in the given language. */
export async function renderInvoicePdf(doc: InvoiceDocument, options: { locale: PdfLocale }): Promise<Buffer> {
  const t = LABELS[options.locale];
  if (!t) throw new RangeError(`Unsupported locale "${String(options.locale)}"`);
  formatDate(doc.issueDate, options.locale); // fail before drawing on a malformed date
  const pdf = new PDFDocument({
    size: "A4",
    margins: MARGIN,
    bufferPages: true,
    info: documentInfo(doc, t, options.locale),
    lang: options.locale === "nb" ? "nb-NO" : "en-GB",
    displayTitle: true,
  });
  const done = toBuffer(pdf);
  const ctx: Ctx = { pdf, invoice: doc, locale: options.locale, t, y: MARGIN.top };

  drawHeader(ctx);
  drawParties(ctx);
  drawNote(ctx);
  drawLinesTable(ctx);
  drawSummary(ctx);
  drawPaymentSlip(ctx);
  drawFooters(ctx);

  pdf.end();
  return done;
}
