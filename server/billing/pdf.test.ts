// PDF rendering: the text of the generated PDF is extracted again and checked, so every assertion is
// about what a reader of the document would see (labels, amounts in the locale's format, page numbers).
import { extractText, getDocumentProxy, getMeta } from "unpdf";
import { describe, expect, it } from "vitest";
import type { InvoiceDocument } from "./document";
import { buildVatBreakdown, formatNok } from "./money";
import { formatDate, formatDecimal, formatMoney, printable, renderInvoicePdf } from "./pdf";
import { documentFor, lines, type LineInput } from "@/test/billing-documents";

// ---- fixtures ---------------------------------------------------------------------------------


const buyer: InvoiceDocument["buyer"] = {
  name: "Bjørnøya Værtjeneste Årdal AS",
  orgNumber: "923456783",
  vatId: "NO923456783MVA",
  street: "Sjøgata 12",
  postalCode: "6885",
  city: "Årdalstangen",
  country: "NO",
};

/** An invoice to the buyer above unless the overrides say otherwise. */
const makeDocument = (overrides: Parameters<typeof documentFor>[1]) => documentFor({ buyer, paymentTermsText: "30 dager netto" }, overrides);

const h100 = (quantity: string, extra: Partial<LineInput> = {}): LineInput => ({
  description: "NVIDIA H100 SXM 80GB x1, Oslo",
  quantity,
  unitCode: "HUR",
  unitPriceOre: "39000",
  accountingCost: "Radiologi-KI",
  periodStart: "2026-11-01",
  periodEnd: "2026-11-30",
  ...extra,
});

// 25 %: 121 777,50 + 12 739,90 + 9,00 - 50 000,00 = 84 526,40, VAT 21 131,60; 0 %: 2 000,00.
// Total excl. VAT 86 526,40, incl. VAT 107 658,00.
const invoice = makeDocument({
  orderReference: "PO-7781",
  note: "Bruk i november 2026. Spørsmål? Svar på faktura@nordlys.example og oppgi KID.",
  lines: lines(
    h100("312.2500"), // 121 777,50
    h100("4.0833", {
      description: "NVIDIA H100 SXM 80GB x8, Oslo – dedikert node for trening av Fjord-7B",
      unitPriceOre: "312000", // 12 739,896 -> 12 739,90
      accountingCost: "Språkmodell Fjord-7B",
      periodStart: "2026-11-15",
    }),
    { description: "Persistent storage (GB-hours)", quantity: "72000.0000", unitCode: "GB", unitPriceOre: "0.0125" }, // 9,00
    {
      description: "Innovasjonskreditt GPU (felles innovasjonsprosjekt)",
      quantity: "1",
      unitCode: "C62",
      unitPriceOre: "-5000000",
      accountingCost: "Radiologi-KI",
    },
    { description: "Kurs i modelltrening", quantity: "2", unitCode: "C62", unitPriceOre: "100000", vatPercent: 0, vatCategory: "Z" },
  ),
});

const creditNote = makeDocument({
  kind: "credit-note",
  number: "2026-000128",
  issueDate: "2026-12-05",
  dueDate: "2026-12-05",
  creditedInvoice: { number: "2026-000123", issueDate: "2026-12-01" },
  lines: lines(h100("2.5000")), // 975,00 + 243,75 VAT = 1 218,75
});

const lineDescription = (i: number) => `Linje ${String(i).padStart(2, "0")}: NVIDIA L40S 48GB x1, Stavanger`;
const manyLines = makeDocument({
  number: "2026-000124",
  lines: lines(
    ...Array.from({ length: 60 }, (_, i) => ({
      description: lineDescription(i + 1),
      quantity: `${10 + i}.5000`,
      unitCode: "HUR" as const,
      unitPriceOre: "14500",
      accountingCost: `Prosjekt ${i % 4}`,
      periodStart: "2026-11-01",
      periodEnd: "2026-11-30",
    })),
  ),
});

// ---- reading the PDF back ---------------------------------------------------------------------

interface ReadPdf {
  pages: string[];
  /** All pages, whitespace (including line wraps) collapsed to single spaces. */
  text: string;
  info: Record<string, unknown>;
  pageSize: number[];
}

const squash = (text: string) => text.replace(/\s+/g, " ");

async function readPdf(buffer: Buffer): Promise<ReadPdf> {
  const pdf = await getDocumentProxy(new Uint8Array(buffer));
  const { text } = await extractText(pdf, { mergePages: false });
  const { info } = await getMeta(pdf);
  const pageSize = (await pdf.getPage(1)).view;
  const pages = text.map(squash);
  return { pages, text: pages.join(" "), info: info as Record<string, unknown>, pageSize };
}

async function render(doc: InvoiceDocument, locale: "en" | "nb"): Promise<ReadPdf & { buffer: Buffer }> {
  const buffer = await renderInvoicePdf(doc, { locale });
  return { buffer, ...(await readPdf(buffer)) };
}

// ---- tests ------------------------------------------------------------------------------------

describe("renderInvoicePdf, Norwegian invoice", () => {
  it("is a one-page A4 PDF with metadata fixed to the issue date", async () => {
    const pdf = await render(invoice, "nb");
    expect(pdf.buffer.subarray(0, 5).toString("latin1")).toBe("%PDF-");
    expect(pdf.pages).toHaveLength(1);
    expect(pdf.pageSize.map(Math.round)).toEqual([0, 0, 595, 842]);
    expect(pdf.info.Title).toBe("Faktura 2026-000123");
    expect(pdf.info.Author).toBe("Nordlys AI Cloud AS");
    expect(pdf.info.Subject).toBe("Faktura 2026-000123 til Bjørnøya Værtjeneste Årdal AS for perioden 01.11.2026–30.11.2026");
    expect(pdf.info.CreationDate).toBe("D:20261201000000Z");
    expect(pdf.info.Language).toBe("nb-NO");
  });

  it("shows the title, supplier and customer with organisation numbers, bank account and Norwegian letters", async () => {
    const { text } = await render(invoice, "nb");
    expect(text).toContain("FAKTURA Nr. 2026-000123");
    expect(text).toContain("Nordlys AI Cloud AS Kraftverkgata 1, 0150 Oslo");
    expect(text).toContain("Org.nr 123 456 785 MVA · Foretaksregisteret");
    expect(text).toContain("faktura@nordlys.example");
    expect(text).toContain("Kontonr. 8601 11 17947 · BIC DNBANOKK");
    expect(text).toContain("KUNDE Bjørnøya Værtjeneste Årdal AS Sjøgata 12 6885 Årdalstangen Org.nr 923 456 783 MVA");
    expect(text).toContain("Spørsmål? Svar på");
  });

  it("lists dates, references, payment terms and KID in the facts box", async () => {
    const { text } = await render(invoice, "nb");
    expect(invoice.kid).toBe("000104220260001234");
    for (const fact of [
      "Fakturadato 01.12.2026",
      "Forfallsdato 31.12.2026",
      "Periode 01.11.2026–30.11.2026",
      "Deres ref. HF-IKT-4471",
      "Ordrereferanse PO-7781",
      "Betalingsbetingelser 30 dager netto",
      "KID 000104220260001234",
    ]) {
      expect(text).toContain(fact);
    }
    expect(text).not.toContain("Krediterer faktura");
  });

  it("prints each line with project, period, quantity and unit, unit price, rate and amount", async () => {
    const { text } = await render(invoice, "nb");
    expect(text).toContain("Beskrivelse Periode Antall Enhetspris MVA Beløp");
    for (const line of invoice.lines) expect(text).toContain(line.description);
    expect(text).toContain("NVIDIA H100 SXM 80GB x1, Oslo Prosjekt: Radiologi-KI 01.11.2026 – 30.11.2026 312,25 timer 390,00 25 % 121 777,50");
    expect(text).toContain("Prosjekt: Språkmodell Fjord-7B 15.11.2026 – 30.11.2026 4,0833 timer 3 120,00 25 % 12 739,90");
    expect(text).toContain("Persistent storage (GB-hours) 72 000 GB 0,000125 25 % 9,00");
    // A credit line on an invoice: negative price and amount, singular unit for a quantity of one.
    expect(text).toContain("1 stk -50 000,00 25 % -50 000,00");
    expect(text).toContain("Kurs i modelltrening 2 stk 1 000,00 0 % 2 000,00");
  });

  it("breaks VAT down per rate and shows the totals and the amount to pay", async () => {
    const { text } = await render(invoice, "nb");
    expect(text).toContain("MERVERDIAVGIFT Sats Grunnlag MVA 25 % 84 526,40 kr 21 131,60 kr 0 % (fritatt) 2 000,00 kr 0,00 kr");
    expect(text).toContain("Sum ekskl. mva 86 526,40 kr");
    expect(text).toContain("Merverdiavgift 21 131,60 kr");
    expect(text).toContain("Sum inkl. mva 107 658,00 kr");
    expect(text).toContain("Å betale 107 658,00 kr");
    expect(formatNok(invoice.totals.payableOre)).toBe("107 658,00 kr");
  });

  it("ends with a payment slip and numbers the page", async () => {
    const { text } = await render(invoice, "nb");
    expect(text).toContain(
      "BETALINGSINFORMASJON Betal til: Nordlys AI Cloud AS Kontonummer 8601 11 17947 KID 000104220260001234 Beløp 107 658,00 kr Forfallsdato 31.12.2026 Oppgi KID ved betaling.",
    );
    expect(text).toMatch(/Side 1 av 1$/);
  });
});

describe("renderInvoicePdf, English", () => {
  it("uses English labels, dates and NOK amounts", async () => {
    const { text, info } = await render(invoice, "en");
    expect(info.Title).toBe("Invoice 2026-000123");
    expect(info.Language).toBe("en-GB");
    expect(text).toContain("INVOICE No. 2026-000123");
    expect(text).toContain("Org. no. 123 456 785 MVA · Foretaksregisteret");
    expect(text).toContain("Account 8601 11 17947");
    expect(text).toContain("CUSTOMER Bjørnøya Værtjeneste Årdal AS");
    for (const fact of [
      "Invoice date 1 Dec 2026",
      "Due date 31 Dec 2026",
      "Period 1 Nov 2026 – 30 Nov 2026",
      "Your ref. HF-IKT-4471",
      "Order reference PO-7781",
      "Payment terms 30 dager netto",
      "KID 000104220260001234",
    ]) {
      expect(text).toContain(fact);
    }
    expect(text).toContain("Description Period Quantity Unit price VAT Amount");
    expect(text).toContain("1 Nov 2026 – 30 Nov 2026 312.25 hours 390.00 25% 121,777.50");
    expect(text).toContain("72,000 GB 0.000125 25% 9.00");
    expect(text).toContain("1 pc -50,000.00 25% -50,000.00");
    expect(text).toContain("VAT SUMMARY Rate Taxable amount VAT 25% NOK 84,526.40 NOK 21,131.60 0% (zero-rated) NOK 2,000.00 NOK 0.00");
    expect(text).toContain("Total excl. VAT NOK 86,526.40 VAT NOK 21,131.60 Total incl. VAT NOK 107,658.00");
    expect(text).toContain("Amount payable NOK 107,658.00");
    expect(text).toContain("PAYMENT INFORMATION Pay to: Nordlys AI Cloud AS Account number 8601 11 17947 KID 000104220260001234");
    expect(text).toMatch(/Page 1 of 1$/);
    for (const norwegian of ["Faktura", "Forfallsdato", "Deres ref.", "Å betale", " kr", "Side 1"]) {
      expect(text).not.toContain(norwegian);
    }
  });
});

describe("renderInvoicePdf, credit note", () => {
  it("is titled as a credit note, names the credited invoice and is marked as not to be paid (nb)", async () => {
    const { text, info } = await render(creditNote, "nb");
    expect(info.Title).toBe("Kreditnota 2026-000128");
    expect(text).toContain("KREDITNOTA Nr. 2026-000128");
    expect(text).toContain("Kreditnotadato 05.12.2026");
    expect(text).toContain("Krediterer faktura 2026-000123 datert 01.12.2026");
    expect(text).toContain("Til gode 1 218,75 kr");
    expect(text).toContain("KREDITNOTA – SKAL IKKE BETALES Krediterer faktura 2026-000123");
    expect(text).not.toContain("Å betale");
    expect(text).not.toContain("Oppgi KID ved betaling");
    expect(text).not.toMatch(/\bFAKTURA\b/);
  });

  it("has the English credit note labels", async () => {
    const { text } = await render(creditNote, "en");
    expect(text).toContain("CREDIT NOTE No. 2026-000128");
    expect(text).toContain("Credit note date 5 Dec 2026");
    expect(text).toContain("Credits invoice 2026-000123 dated 1 Dec 2026");
    expect(text).toContain("Amount credited NOK 1,218.75");
    expect(text).toContain("CREDIT NOTE – NOT TO BE PAID");
    expect(text).not.toContain("Amount payable");
  });
});

describe("renderInvoicePdf, many lines", () => {
  it("continues the table over pages with its header repeated and numbers every page", async () => {
    const { pages, text } = await render(manyLines, "en");
    expect(pages.length).toBeGreaterThanOrEqual(2);
    pages.forEach((page, i) => {
      expect(page).toMatch(new RegExp(`Page ${i + 1} of ${pages.length}$`));
      if (i > 0) expect(page).toContain("Nordlys AI Cloud AS Invoice 2026-000124 (continued)");
      if (/Linje \d\d:/.test(page)) expect(page).toContain("Description Period Quantity Unit price VAT Amount");
    });
    for (let i = 1; i <= 60; i++) {
      expect(text.split(lineDescription(i))).toHaveLength(2); // present exactly once
    }
    // The summary and the slip come together at the end.
    const last = pages.at(-1)!;
    expect(last).toContain("Amount payable NOK");
    expect(last).toContain("PAYMENT INFORMATION");
    expect(pages.slice(0, -1).join(" ")).not.toContain("PAYMENT INFORMATION");
  });

  it("numbers pages in Norwegian", async () => {
    const { pages } = await render(manyLines, "nb");
    expect(pages.length).toBeGreaterThanOrEqual(2);
    pages.forEach((page, i) => expect(page).toMatch(new RegExp(`Side ${i + 1} av ${pages.length}$`)));
    expect(pages[1]).toContain("Faktura 2026-000124 (forts.) Beskrivelse Periode Antall");
  });
});

describe("renderInvoicePdf, edge cases", () => {
  it("shows an invoice whose credits exceed its charges as nothing to pay, with negative totals", async () => {
    const doc = makeDocument({
      lines: lines(h100("10"), {
        description: "Innovasjonskreditt",
        quantity: "1",
        unitCode: "C62",
        unitPriceOre: "-1000000",
      }),
    });
    const nb = (await render(doc, "nb")).text;
    expect(nb).toContain("Å betale -7 625,00 kr"); // (3 900 - 10 000) x 1,25
    expect(nb).toContain("INGENTING Å BETALE");
    expect(nb).not.toContain("Oppgi KID ved betaling");
    const en = (await render(doc, "en")).text;
    expect(en).toContain("Amount payable NOK -7,625.00");
    expect(en).toContain("NOTHING TO PAY");
  });

  it("prints an exempt rate with its reason and keeps characters Helvetica lacks readable", async () => {
    const lineList = lines(
      h100("1", { description: "Tjeneste for Čáhcesuolu − ŋ Đ «sitat» ÆØÅ æøå" }),
      { description: "Utleie av lokaler", quantity: "1", unitCode: "C62", unitPriceOre: "50000", vatPercent: 0, vatCategory: "E" },
    );
    const vat = buildVatBreakdown(lineList).map((entry) =>
      entry.category === "E" ? { ...entry, exemptionReason: "Unntatt etter merverdiavgiftsloven § 3-11" } : entry,
    );
    const doc = makeDocument({ lines: lineList, vat });
    const { text } = await render(doc, "nb");
    expect(text).toContain("Tjeneste for Cáhcesuolu - n D «sitat» ÆØÅ æøå");
    expect(text).toContain("Unntatt 500,00 kr 0,00 kr Unntatt etter merverdiavgiftsloven § 3-11");
  });

  it("renders the same text for the same document", async () => {
    const [a, b] = await Promise.all([render(invoice, "nb"), render(invoice, "nb")]);
    expect(a.pages).toEqual(b.pages);
    expect(a.buffer.length).toBe(b.buffer.length);
  });

  it("rejects a malformed date and an unknown locale", async () => {
    await expect(renderInvoicePdf({ ...invoice, issueDate: "1.12.2026" }, { locale: "nb" })).rejects.toThrow(RangeError);
    await expect(renderInvoicePdf(invoice, { locale: "sv" as "nb" })).rejects.toThrow(/locale/);
  });
});

describe("formatting", () => {
  it("formats money as Norwegian and English readers expect", () => {
    expect(formatMoney(123_456_750, "nb")).toBe("1 234 567,50 kr");
    expect(formatMoney(123_456_750, "en")).toBe("NOK 1,234,567.50");
    expect(formatMoney(-5, "nb")).toBe("-0,05 kr");
    expect(formatMoney(-5, "en")).toBe("NOK -0.05");
    expect(formatMoney(0, "en")).toBe("NOK 0.00");
    expect(formatMoney(99_999_999, "nb")).toBe(formatNok(99_999_999));
  });

  it("formats dates without time zone effects", () => {
    expect(formatDate("2026-11-28", "nb")).toBe("28.11.2026");
    expect(formatDate("2026-11-28", "en")).toBe("28 Nov 2026");
    expect(formatDate("2027-01-01", "en")).toBe("1 Jan 2027");
    expect(() => formatDate("2026-13-01", "nb")).toThrow(RangeError);
    expect(() => formatDate("2026-02-30", "en")).toThrow(RangeError);
  });

  it("formats decimals exactly, dropping only trailing zeros beyond the minimum", () => {
    expect(formatDecimal("12.5000", "nb")).toBe("12,5");
    expect(formatDecimal("72000.0000", "en")).toBe("72,000");
    expect(formatDecimal("0.000125", "nb", 2)).toBe("0,000125");
    expect(formatDecimal("-1234567.5", "nb", 2)).toBe("-1 234 567,50");
    expect(formatDecimal("-0.0000", "en", 2)).toBe("0.00");
  });

  it("maps text to what the standard fonts can draw", () => {
    expect(printable("Ærlig øl på Åsane – «god» €5")).toBe("Ærlig øl på Åsane – «god» €5");
    expect(printable("Čáhcesuolu\u2212Ŋ\tx\r\ny 😀")).toBe("Cáhcesuolu-N x\ny ?");
  });
});
