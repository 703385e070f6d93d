// EHF rendering: content checks, and full validation of several shapes of document with the
// vendored PEPPOL BIS Billing 3.0 kit (vendor/peppol/validate.sh: UBL XSD, EN 16931, PEPPOL rules).
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { availableParallelism, tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { InvoiceDocument } from "./document";
import { EhfDocumentError, ehfProblems, escapeXml, renderEhf } from "./ehf";
import { buildTotals } from "./money";
import { PEPPOL_INSTALL, peppolToolsMissing, validateEhfFile } from "@/test/peppol";
import { documentFor, lines, testSupplier, type LineInput } from "@/test/billing-documents";


// ---- fixtures ---------------------------------------------------------------------------------

const supplier = testSupplier;

const helseFjord: InvoiceDocument["buyer"] = {
  name: "Helse Fjord HF",
  orgNumber: "923456783",
  vatId: null,
  street: "Sjukehusvegen 12",
  postalCode: "5021",
  city: "Bergen",
  country: "NO",
  contactEmail: "faktura@helse-fjord.example",
};

const nordvik: InvoiceDocument["buyer"] = {
  name: "Nordvik Robotics AS",
  orgNumber: "974123452",
  vatId: "NO974123452MVA",
  street: "Industriveien 7",
  postalCode: "7031",
  city: "Trondheim",
  country: "NO",
};

/** An invoice to Helse Fjord unless the overrides say otherwise. */
const makeDocument = (overrides: Parameters<typeof documentFor>[1]) => documentFor({ buyer: helseFjord, paymentTermsText: "30 dager netto / 30 days net" }, overrides);

const h100 = (quantity: string, project: string, extra: Partial<LineInput> = {}): LineInput => ({
  description: "NVIDIA H100 SXM 80GB x1, Oslo",
  quantity,
  unitCode: "HUR",
  unitPriceOre: "39000",
  accountingCost: project,
  periodStart: "2026-11-01",
  periodEnd: "2026-11-30",
  ...extra,
});

const oneLine = makeDocument({ lines: lines(h100("12.5000", "Radiologi-KI")) });

const projects = ["Radiologi-KI", "Patologi & bildeanalyse", 'Språkmodell "Fjord-7B" <pilot>'];
const manyLines = makeDocument({
  number: "2026-000124",
  buyer: nordvik,
  buyerReference: "NR-PO-2026",
  orderReference: "PO-7781",
  note: "Bruk i november 2026. Spørsmål? Svar på faktura@nordlys.example & oppgi KID.",
  lines: lines(
    ...projects.flatMap((project, p) => [
      h100(`${31 + p * 17}.2500`, project),
      h100(`${4 + p}.0833`, project, { description: "NVIDIA H100 SXM 80GB x8, Oslo", unitPriceOre: "312000" }),
      {
        description: "NVIDIA L40S 48GB x1, Stavanger",
        quantity: `${120 + p}.5000`,
        unitCode: "HUR" as const,
        unitPriceOre: "14500",
        accountingCost: project,
        periodStart: "2026-11-15",
        periodEnd: "2026-11-30",
      },
      {
        description: "Persistent storage (GB-hours)",
        quantity: `${72_000 + p * 1234}.0000`,
        unitCode: "GB" as const,
        unitPriceOre: "0.0125",
        accountingCost: project,
      },
    ]),
  ),
});

// No usage: an invoice still needs one line (BR-16), so a zero-amount line carries the period.
const zeroUsage = makeDocument({
  number: "2026-000125",
  lines: lines({
    description: "Ingen GPU-bruk i perioden / no usage in the period",
    quantity: "0",
    unitCode: "HUR",
    unitPriceOre: "39000",
  }),
});

// A negative line on an invoice: the price is sent positive and the quantity negative (BR-27).
const withCredit = makeDocument({
  number: "2026-000126",
  lines: lines(h100("640.0000", "Radiologi-KI"), {
    description: "Innovasjonskreditt GPU (felles innovasjonsprosjekt)",
    quantity: "1",
    unitCode: "C62",
    unitPriceOre: "-5000000",
    accountingCost: "Radiologi-KI",
  }),
});

// Half an øre of VAT (1 234,50 kr x 25 % = 308,625 kr) and only an order reference.
const halfOre = makeDocument({
  number: "2026-000127",
  buyer: nordvik,
  buyerReference: "",
  orderReference: "NR-PO-2026-11",
  supplier: { ...supplier, bic: undefined, contactEmail: undefined },
  lines: lines({ description: "Support, 1 234,50 kr", quantity: "1", unitCode: "C62", unitPriceOre: "123450" }),
});

const creditNote = makeDocument({
  kind: "credit-note",
  number: "2026-000128",
  issueDate: "2026-12-05",
  dueDate: "2026-12-05",
  creditedInvoice: { number: oneLine.number, issueDate: oneLine.issueDate },
  note: "Kreditering av faktura 2026-000123: 2,5 timer belastet to ganger.",
  lines: lines(h100("2.5000", "Radiologi-KI")),
});

const DOCUMENTS: Record<string, InvoiceDocument> = { oneLine, manyLines, zeroUsage, withCredit, halfOre, creditNote };

// ---- content ----------------------------------------------------------------------------------

describe("renderEhf content", () => {
  it("writes an Invoice 380 with the PEPPOL identifiers, KID, buyer reference and Norwegian party data", () => {
    const xml = renderEhf(oneLine);
    expect(xml.startsWith('<?xml version="1.0" encoding="UTF-8"?>\n<Invoice xmlns="urn:oasis:names:specification:ubl:schema:xsd:Invoice-2"')).toBe(true);
    expect(xml).toContain("<cbc:CustomizationID>urn:cen.eu:en16931:2017#compliant#urn:fdc:peppol.eu:2017:poacc:billing:3.0</cbc:CustomizationID>");
    expect(xml).toContain("<cbc:ProfileID>urn:fdc:peppol.eu:2017:poacc:billing:01:1.0</cbc:ProfileID>");
    expect(xml).toContain("<cbc:InvoiceTypeCode>380</cbc:InvoiceTypeCode>");
    expect(xml).toContain("<cbc:DueDate>2026-12-31</cbc:DueDate>");
    expect(xml).toContain(`<cbc:PaymentID>${oneLine.kid}</cbc:PaymentID>`);
    expect(oneLine.kid).toBe("000104220260001234");
    expect(xml).toContain("<cbc:BuyerReference>HF-IKT-4471</cbc:BuyerReference>");
    expect(xml).toContain('<cbc:EndpointID schemeID="0192">123456785</cbc:EndpointID>');
    expect(xml).toContain('<cbc:EndpointID schemeID="0192">923456783</cbc:EndpointID>');
    expect(xml).toContain('<cbc:CompanyID schemeID="0192">923456783</cbc:CompanyID>');
    expect(xml).toMatch(/<cbc:CompanyID>NO123456785MVA<\/cbc:CompanyID>\s*<cac:TaxScheme>\s*<cbc:ID>VAT<\/cbc:ID>/);
    expect(xml).toMatch(/<cbc:CompanyID>Foretaksregisteret<\/cbc:CompanyID>\s*<cac:TaxScheme>\s*<cbc:ID>TAX<\/cbc:ID>/);
    expect(xml).toMatch(/<cbc:PaymentMeansCode>30<\/cbc:PaymentMeansCode>\s*<cbc:PaymentID>/);
    expect(xml).toMatch(/<cac:PayeeFinancialAccount>\s*<cbc:ID>86011117947<\/cbc:ID>\s*<cac:FinancialInstitutionBranch>\s*<cbc:ID>DNBANOKK<\/cbc:ID>/);
    expect(xml).toContain("<cbc:Note>30 dager netto / 30 days net</cbc:Note>");
    // 12.5 h x 390,00 kr = 4 875,00 kr; VAT 1 218,75 kr
    expect(xml).toContain('<cbc:InvoicedQuantity unitCode="HUR">12.5000</cbc:InvoicedQuantity>');
    expect(xml).toContain('<cbc:PriceAmount currencyID="NOK">390.00</cbc:PriceAmount>');
    expect(xml).toContain("<cbc:AccountingCost>Radiologi-KI</cbc:AccountingCost>");
    expect(xml).toMatch(
      /<cac:TaxTotal>\s*<cbc:TaxAmount currencyID="NOK">1218.75<\/cbc:TaxAmount>\s*<cac:TaxSubtotal>\s*<cbc:TaxableAmount currencyID="NOK">4875.00<\/cbc:TaxableAmount>\s*<cbc:TaxAmount currencyID="NOK">1218.75<\/cbc:TaxAmount>\s*<cac:TaxCategory>\s*<cbc:ID>S<\/cbc:ID>\s*<cbc:Percent>25<\/cbc:Percent>/,
    );
    expect(xml).toContain('<cbc:PayableAmount currencyID="NOK">6093.75</cbc:PayableAmount>');
    expect(xml).not.toContain("<cac:OrderReference>");
    expect(xml).not.toContain("<cac:BillingReference>");
  });

  it("sums many lines into one VAT subtotal, escapes text and sends gigabytes as E34", () => {
    const xml = renderEhf(manyLines);
    expect(xml.match(/<cac:InvoiceLine>/g)).toHaveLength(12);
    expect(xml.match(/<cac:TaxSubtotal>/g)).toHaveLength(1);
    const taxable = manyLines.lines.reduce((sum, line) => sum + line.netOre, 0);
    expect(manyLines.vat).toEqual([{ percent: 25, category: "S", taxableOre: taxable, taxOre: Math.round(taxable / 4) }]);
    expect(xml).toContain(`<cbc:TaxableAmount currencyID="NOK">${(taxable / 100).toFixed(2)}</cbc:TaxableAmount>`);
    expect(xml).toContain("<cbc:AccountingCost>Språkmodell &quot;Fjord-7B&quot; &lt;pilot&gt;</cbc:AccountingCost>");
    expect(xml).toContain("<cbc:AccountingCost>Patologi &amp; bildeanalyse</cbc:AccountingCost>");
    expect(xml).toContain("faktura@nordlys.example &amp; oppgi KID.</cbc:Note>");
    expect(xml).toContain('<cbc:InvoicedQuantity unitCode="E34">72000.0000</cbc:InvoicedQuantity>');
    expect(xml).toContain('<cbc:PriceAmount currencyID="NOK">0.000125</cbc:PriceAmount>');
    expect(xml).toMatch(/<cac:OrderReference>\s*<cbc:ID>PO-7781<\/cbc:ID>/);
    expect(xml).toContain("<cbc:CompanyID>NO974123452MVA</cbc:CompanyID>");
  });

  it("sends a negative price as a positive price with a negative quantity", () => {
    const xml = renderEhf(withCredit);
    expect(xml).toContain('<cbc:InvoicedQuantity unitCode="C62">-1</cbc:InvoicedQuantity>');
    expect(xml).toContain('<cbc:LineExtensionAmount currencyID="NOK">-50000.00</cbc:LineExtensionAmount>');
    expect(xml).toContain('<cbc:PriceAmount currencyID="NOK">50000.00</cbc:PriceAmount>');
    // 640 h x 390 kr = 249 600 kr, less 50 000 kr = 199 600 kr; VAT 49 900 kr
    expect(xml).toContain('<cbc:TaxableAmount currencyID="NOK">199600.00</cbc:TaxableAmount>');
    expect(xml).toContain('<cbc:PayableAmount currencyID="NOK">249500.00</cbc:PayableAmount>');
  });

  it("rounds half an øre of VAT up and leaves out a blank buyer reference when there is an order reference", () => {
    const xml = renderEhf(halfOre);
    expect(xml).toContain('<cbc:TaxAmount currencyID="NOK">308.63</cbc:TaxAmount>');
    expect(xml).not.toContain("<cbc:BuyerReference>");
    expect(xml).not.toContain("FinancialInstitutionBranch");
    expect(xml).not.toMatch(/<(\w+:)?\w+( [^>]*)?><\/(\w+:)?\w+>/); // no empty elements (PEPPOL-EN16931-R008)
  });

  it("writes a CreditNote 381 referring to the invoice, with the due date in PaymentMeans", () => {
    const xml = renderEhf(creditNote);
    expect(xml).toContain('<CreditNote xmlns="urn:oasis:names:specification:ubl:schema:xsd:CreditNote-2"');
    expect(xml).toContain("<cbc:CreditNoteTypeCode>381</cbc:CreditNoteTypeCode>");
    expect(xml).toMatch(/<cac:BillingReference>\s*<cac:InvoiceDocumentReference>\s*<cbc:ID>2026-000123<\/cbc:ID>\s*<cbc:IssueDate>2026-12-01<\/cbc:IssueDate>/);
    expect(xml).toMatch(/<cac:CreditNoteLine>\s*<cbc:ID>1<\/cbc:ID>\s*<cbc:CreditedQuantity unitCode="HUR">2.5000<\/cbc:CreditedQuantity>/);
    expect(xml).toMatch(/<cbc:PaymentMeansCode>30<\/cbc:PaymentMeansCode>\s*<cbc:PaymentDueDate>2026-12-05<\/cbc:PaymentDueDate>/);
    expect(xml).not.toContain("<cbc:DueDate>");
    expect(xml).not.toContain("InvoiceLine");
  });

  it("escapes markup and drops characters XML cannot carry", () => {
    expect(escapeXml(`a & b < c > d "e" 'f'`)).toBe("a &amp; b &lt; c &gt; d &quot;e&quot; &apos;f&apos;");
    expect(escapeXml("x\u0000y\u001bz\ttab")).toBe("xyz\ttab");
    expect(escapeXml("Ø 🚀")).toBe("Ø 🚀");
  });
});

describe("renderEhf refuses inconsistent documents", () => {
  const problemsOf = (doc: InvoiceDocument) => {
    try {
      renderEhf(doc);
    } catch (error) {
      expect(error).toBeInstanceOf(EhfDocumentError);
      return (error as EhfDocumentError).problems.join("\n");
    }
    throw new Error("renderEhf accepted the document");
  };

  it("accepts every fixture", () => {
    for (const doc of Object.values(DOCUMENTS)) expect(ehfProblems(doc)).toEqual([]);
  });

  it("needs at least one line", () => {
    expect(problemsOf({ ...zeroUsage, lines: [], vat: [], totals: buildTotals([], []) })).toMatch(/at least one line \(BR-16\)/);
  });

  it("checks VAT breakdown and totals against the lines", () => {
    const vat = oneLine.vat.map((entry) => ({ ...entry, taxOre: entry.taxOre + 1 }));
    expect(problemsOf({ ...oneLine, vat })).toMatch(/use buildVatBreakdown/);
    expect(problemsOf({ ...oneLine, totals: { ...oneLine.totals, payableOre: 1 } })).toMatch(/totals.payableOre is 1, expected 609375/);
  });

  it("checks line amounts, KID, references, parties and the bank account", () => {
    const [line] = oneLine.lines;
    expect(problemsOf({ ...oneLine, lines: [{ ...line!, netOre: line!.netOre + 3 }] })).toMatch(/differs from quantity x price/);
    expect(problemsOf({ ...oneLine, kid: "0010422202600012340" })).toMatch(/KID/);
    expect(problemsOf({ ...oneLine, buyerReference: " " })).toMatch(/PEPPOL-EN16931-R003/);
    expect(problemsOf({ ...creditNote, creditedInvoice: undefined })).toMatch(/must name the invoice it credits/);
    expect(problemsOf({ ...oneLine, buyer: { ...helseFjord, orgNumber: "923456784" } })).toMatch(/buyer organisation number/);
    expect(problemsOf({ ...oneLine, supplier: { ...supplier, vatId: "NO123456785" } })).toMatch(/must be "NO123456785MVA"/);
    expect(problemsOf({ ...oneLine, supplier: { ...supplier, bankAccount: "86011117948" } })).toMatch(/bank account/);
    expect(problemsOf({ ...oneLine, lines: [{ ...line!, periodEnd: "2026-12-02" }] })).toMatch(/within the document period/);
  });
});

// ---- validation with the PEPPOL kit -----------------------------------------------------------

const missing = peppolToolsMissing();

describe.skipIf(missing.length > 0)(
  `EHF documents pass PEPPOL BIS Billing 3.0 validation${missing.length > 0 ? ` (skipped: missing ${missing.join(", ")}; ${PEPPOL_INSTALL})` : ""}`,
  () => {
    const results = new Map<string, { code: number; output: string }>();
    let folder = "";

    const validate = validateEhfFile;

    // Each run is a JVM that compiles the rules (a few seconds), so run them side by side.
    beforeAll(async () => {
      folder = await mkdtemp(join(tmpdir(), "ehf-"));
      const queue = Object.entries(DOCUMENTS);
      const worker = async () => {
        for (let next = queue.shift(); next; next = queue.shift()) {
          const [name, doc] = next;
          const file = join(folder, `${name}.xml`);
          await writeFile(file, renderEhf(doc), "utf8");
          results.set(name, await validate(file));
        }
      };
      await Promise.all(Array.from({ length: Math.max(1, Math.min(availableParallelism(), 4)) }, worker));
    }, 600_000);

    afterAll(async () => {
      if (folder) await rm(folder, { recursive: true, force: true });
    });

    it.each(Object.keys(DOCUMENTS))("%s is valid (exit 0, no FATAL)", (name) => {
      const result = results.get(name);
      expect(result, `no validation result for ${name}`).toBeDefined();
      expect(result!.output, result!.output).toContain("RESULT: VALID");
      expect(result!.output, result!.output).not.toMatch(/^\s*FATAL\b/m);
      expect(result!.code, result!.output).toBe(0);
    });
  },
);
