// EHF Billing 3.0 = PEPPOL BIS Billing 3.0: an InvoiceDocument as a UBL 2.1 Invoice (type 380) or
// CreditNote (type 381), with the Norwegian specifics (organisation numbers as scheme 0192, "NO...MVA",
// "Foretaksregisteret", KID as payment id). Pure: no I/O. The output is checked in tests with
// vendor/peppol/validate.sh (UBL XSD, EN 16931 and PEPPOL rules).
import type { DocumentLine, InvoiceDocument, Party, VatBreakdown } from "./document";
import { isValidKid, kidMod11CheckDigit } from "./kid";
import { buildTotals, buildVatBreakdown, lineNetOre, lineVatCategory, oreDecimalToKroner, oreToDecimal } from "./money";
import { isValidOrgNumber } from "../validation/org-number";

export const CUSTOMIZATION_ID = "urn:cen.eu:en16931:2017#compliant#urn:fdc:peppol.eu:2017:poacc:billing:3.0";
export const PROFILE_ID = "urn:fdc:peppol.eu:2017:poacc:billing:01:1.0";
/** Electronic address / legal registration scheme for Norwegian organisation numbers (ISO 6523 ICD). */
const NORWEGIAN_ORG_SCHEME = "0192";
/** UNCL4461 credit transfer: the payer pays into the supplier's account with the KID. */
const CREDIT_TRANSFER = "30";
/**
 * UN/ECE Recommendation 20 unit codes. The document model's "GB" means gigabyte, whose Rec 20 code
 * is E34 ("GB" in Rec 20 is gallon (US) per day), so it is sent as E34.
 */
const UNIT_CODES: Record<DocumentLine["unitCode"], string> = { HUR: "HUR", GB: "E34", C62: "C62" };
/** Tolerance of PEPPOL-EN16931-R120 between the line amount and quantity x price: 0.02 NOK. */
const LINE_AMOUNT_TOLERANCE_ORE = 2;

/** The document breaks a rule that would make the EHF invalid or wrong; `problems` lists each. */
export class EhfDocumentError extends Error {
  constructor(readonly problems: string[]) {
    super(`Document cannot be rendered as EHF: ${problems.join("; ")}`);
    this.name = "EhfDocumentError";
  }
}

// ---- checks ---------------------------------------------------------------------------------

const blank = (value: string | undefined | null): boolean => value == null || value.trim() === "";

function isDate(value: string): boolean {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(value)) return false;
  const date = new Date(`${value}T00:00:00Z`);
  return !Number.isNaN(date.getTime()) && date.toISOString().slice(0, 10) === value;
}

/** Norwegian bank account: 11 digits, the last a MOD11 check digit (same weights as a MOD11 KID). */
function isValidNorwegianAccount(account: string): boolean {
  return /^\d{11}$/.test(account) && kidMod11CheckDigit(account.slice(0, 10)) === Number(account[10]);
}

/** Unit price and quantity as sent: the price is never negative (BR-27), so a negative price moves its sign to the quantity. */
function priceAndQuantity(line: DocumentLine): { price: string; quantity: string } {
  if (!line.unitPriceOre.startsWith("-")) return { price: line.unitPriceOre, quantity: line.quantity };
  const negate = (value: string) =>
    value.startsWith("-") ? value.slice(1) : /^0+(\.0+)?$/.test(value) ? value : `-${value}`;
  return { price: line.unitPriceOre.slice(1), quantity: negate(line.quantity) };
}

function partyProblems(party: Party, role: string): string[] {
  const problems: string[] = [];
  if (blank(party.name)) problems.push(`${role} name is missing`);
  if (!isValidOrgNumber(party.orgNumber) || !/^\d{9}$/.test(party.orgNumber)) {
    problems.push(`${role} organisation number "${party.orgNumber}" is not 9 digits with a valid MOD11 check digit`);
  }
  if (party.vatId !== null && party.vatId !== `NO${party.orgNumber}MVA`) {
    problems.push(`${role} VAT id "${party.vatId}" must be "NO${party.orgNumber}MVA"`);
  }
  if (party.country !== "NO") problems.push(`${role} country must be NO`);
  return problems;
}

/** Every reason the document cannot be sent as a valid EHF; empty when it can. */
export function ehfProblems(doc: InvoiceDocument): string[] {
  const problems: string[] = [];
  if (blank(doc.number)) problems.push("document number is missing");
  if (doc.currency !== "NOK") problems.push("currency must be NOK");
  for (const [name, value] of [
    ["issue date", doc.issueDate],
    ["due date", doc.dueDate],
    ["period start", doc.periodStart],
    ["period end", doc.periodEnd],
  ] as const) {
    if (!isDate(value)) problems.push(`${name} "${value}" is not a date (YYYY-MM-DD)`);
  }
  if (doc.periodStart > doc.periodEnd) problems.push("period ends before it starts");
  if (blank(doc.buyerReference) && blank(doc.orderReference)) {
    problems.push("a buyer reference or an order reference is required (PEPPOL-EN16931-R003)");
  }
  if (doc.kind === "credit-note") {
    if (!doc.creditedInvoice || blank(doc.creditedInvoice.number) || !isDate(doc.creditedInvoice.issueDate)) {
      problems.push("a credit note must name the invoice it credits (number and issue date)");
    }
  } else if (doc.creditedInvoice && (blank(doc.creditedInvoice.number) || !isDate(doc.creditedInvoice.issueDate))) {
    problems.push("the referenced invoice needs a number and an issue date");
  }

  problems.push(...partyProblems(doc.supplier, "supplier"), ...partyProblems(doc.buyer, "buyer"));
  if (doc.supplier.vatId === null) problems.push("supplier VAT id (NO...MVA) is required");
  if (!isValidNorwegianAccount(doc.supplier.bankAccount)) {
    problems.push(`supplier bank account "${doc.supplier.bankAccount}" is not 11 digits with a valid MOD11 check digit`);
  }
  if (doc.supplier.bic !== undefined && !/^[A-Z]{6}[A-Z0-9]{2}([A-Z0-9]{3})?$/.test(doc.supplier.bic)) {
    problems.push(`supplier BIC "${doc.supplier.bic}" is not a BIC`);
  }
  if (!isValidKid(doc.kid)) problems.push(`KID "${doc.kid}" is not 2-25 digits with a valid MOD10 or MOD11 check digit`);

  if (doc.lines.length === 0) {
    problems.push("a document needs at least one line (BR-16); with no usage, send one zero-amount line");
  }
  const ids = new Set<string>();
  for (const line of doc.lines) {
    const where = `line ${line.id}`;
    if (blank(line.id)) problems.push("a line has no id");
    else if (ids.has(line.id)) problems.push(`line id ${line.id} is used twice`);
    ids.add(line.id);
    if (blank(line.description)) problems.push(`${where}: description (item name) is missing`);
    if (!Number.isSafeInteger(line.netOre)) problems.push(`${where}: net amount must be whole øre, got ${line.netOre}`);
    try {
      const expected = lineNetOre(line.quantity, line.unitPriceOre);
      if (Math.abs(expected - line.netOre) > LINE_AMOUNT_TOLERANCE_ORE) {
        problems.push(`${where}: net amount ${line.netOre} øre differs from quantity x price (${expected} øre)`);
      }
    } catch (error) {
      problems.push(`${where}: ${(error as Error).message}`);
    }
    const category = lineVatCategory(line);
    if (category === "S" && !(line.vatPercent > 0)) problems.push(`${where}: standard rate VAT needs a percent above 0`);
    if (category !== "S" && line.vatPercent !== 0) problems.push(`${where}: VAT category ${category} needs 0 %`);
    if (line.periodStart !== undefined && (!isDate(line.periodStart) || line.periodStart < doc.periodStart)) {
      problems.push(`${where}: period start must be a date within the document period`);
    }
    if (line.periodEnd !== undefined && (!isDate(line.periodEnd) || line.periodEnd > doc.periodEnd)) {
      problems.push(`${where}: period end must be a date within the document period`);
    }
    if (line.periodStart !== undefined && line.periodEnd !== undefined && line.periodStart > line.periodEnd) {
      problems.push(`${where}: period ends before it starts`);
    }
  }
  if (problems.length > 0) return problems;

  // Amounts: the VAT breakdown and totals must be exactly what buildVatBreakdown/buildTotals give.
  const key = (v: Pick<VatBreakdown, "category" | "percent" | "taxableOre" | "taxOre">) =>
    `${v.category} ${v.percent}% of ${v.taxableOre} = ${v.taxOre}`;
  const expectedVat = buildVatBreakdown(doc.lines).map(key).sort();
  const givenVat = doc.vat.map(key).sort();
  if (expectedVat.join("|") !== givenVat.join("|")) {
    problems.push(`VAT breakdown [${givenVat.join(", ")}] differs from the lines' [${expectedVat.join(", ")}] (use buildVatBreakdown)`);
  }
  for (const entry of doc.vat) {
    if (entry.category === "E" && blank(entry.exemptionReason)) {
      problems.push(`VAT category E needs an exemption reason (BR-E-10)`);
    }
  }
  try {
    const totals = buildTotals(doc.lines, doc.vat);
    for (const [name, value] of Object.entries(totals) as [keyof typeof totals, number][]) {
      if (doc.totals[name] !== value) problems.push(`totals.${name} is ${doc.totals[name]}, expected ${value} (use buildTotals)`);
    }
  } catch (error) {
    problems.push((error as Error).message);
  }
  return problems;
}

// ---- XML --------------------------------------------------------------------------------------

interface XmlNode {
  tag: string;
  attrs?: Record<string, string>;
  text?: string;
  children?: (XmlNode | null)[];
}

// Characters XML 1.0 does not allow at all (C0 controls except tab/newline/return, lone surrogates, U+FFFE/F).
// eslint-disable-next-line no-control-regex
const NOT_XML = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\ufffe\uffff]|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g;

/** Escapes text for element content and double-quoted attributes; drops characters XML cannot carry. */
export function escapeXml(value: string): string {
  return value
    .replace(NOT_XML, "")
    .replace(/&/g, "&amp;")
    .replace(/</g, "&lt;")
    .replace(/>/g, "&gt;")
    .replace(/"/g, "&quot;")
    .replace(/'/g, "&apos;");
}

function renderNode(node: XmlNode, indent: string, out: string[]): void {
  const attrs = Object.entries(node.attrs ?? {})
    .map(([name, value]) => ` ${name}="${escapeXml(value)}"`)
    .join("");
  const children = (node.children ?? []).filter((child): child is XmlNode => child !== null);
  if (children.length > 0) {
    out.push(`${indent}<${node.tag}${attrs}>`);
    for (const child of children) renderNode(child, `${indent}  `, out);
    out.push(`${indent}</${node.tag}>`);
  } else {
    out.push(`${indent}<${node.tag}${attrs}>${escapeXml(node.text ?? "")}</${node.tag}>`);
  }
}

/** A leaf element, or nothing when the value is blank (PEPPOL-EN16931-R008 forbids empty elements). */
function leaf(tag: string, value: string | undefined | null, attrs?: Record<string, string>): XmlNode | null {
  return blank(value) ? null : { tag, text: value!.trim(), attrs };
}

function node(tag: string, ...children: (XmlNode | null)[]): XmlNode {
  return { tag, children };
}

const amount = (tag: string, ore: number): XmlNode => ({ tag, attrs: { currencyID: "NOK" }, text: oreToDecimal(ore) });

const vatScheme = (id: "VAT" | "TAX") => node("cac:TaxScheme", leaf("cbc:ID", id));

function partyNode(party: Party, role: "supplier" | "buyer"): XmlNode {
  return node(
    "cac:Party",
    leaf("cbc:EndpointID", party.orgNumber, { schemeID: NORWEGIAN_ORG_SCHEME }),
    node("cac:PartyName", leaf("cbc:Name", party.name)),
    node(
      "cac:PostalAddress",
      leaf("cbc:StreetName", party.street),
      leaf("cbc:CityName", party.city),
      leaf("cbc:PostalZone", party.postalCode),
      node("cac:Country", leaf("cbc:IdentificationCode", party.country)),
    ),
    party.vatId ? node("cac:PartyTaxScheme", leaf("cbc:CompanyID", party.vatId), vatScheme("VAT")) : null,
    // NO-R-002: AS/ASA (and branches of foreign companies) state "Foretaksregisteret" as a TAX scheme entry.
    role === "supplier" && !blank(party.legalForm)
      ? node("cac:PartyTaxScheme", leaf("cbc:CompanyID", party.legalForm), vatScheme("TAX"))
      : null,
    node(
      "cac:PartyLegalEntity",
      leaf("cbc:RegistrationName", party.name),
      leaf("cbc:CompanyID", party.orgNumber, { schemeID: NORWEGIAN_ORG_SCHEME }),
    ),
    blank(party.contactEmail) ? null : node("cac:Contact", leaf("cbc:ElectronicMail", party.contactEmail)),
  );
}

function taxCategory(tag: string, category: VatBreakdown["category"], percent: number, exemptionReason?: string): XmlNode {
  return node(
    tag,
    leaf("cbc:ID", category),
    leaf("cbc:Percent", String(percent)),
    category === "E" ? leaf("cbc:TaxExemptionReason", exemptionReason) : null,
    vatScheme("VAT"),
  );
}

function lineNode(line: DocumentLine, isCreditNote: boolean): XmlNode {
  const { price, quantity } = priceAndQuantity(line);
  const hasPeriod = line.periodStart !== undefined || line.periodEnd !== undefined;
  return node(
    isCreditNote ? "cac:CreditNoteLine" : "cac:InvoiceLine",
    leaf("cbc:ID", line.id),
    leaf(isCreditNote ? "cbc:CreditedQuantity" : "cbc:InvoicedQuantity", quantity, { unitCode: UNIT_CODES[line.unitCode] }),
    amount("cbc:LineExtensionAmount", line.netOre),
    leaf("cbc:AccountingCost", line.accountingCost),
    hasPeriod ? node("cac:InvoicePeriod", leaf("cbc:StartDate", line.periodStart), leaf("cbc:EndDate", line.periodEnd)) : null,
    node("cac:Item", leaf("cbc:Name", line.description), taxCategory("cac:ClassifiedTaxCategory", lineVatCategory(line), line.vatPercent)),
    node("cac:Price", { tag: "cbc:PriceAmount", attrs: { currencyID: "NOK" }, text: oreDecimalToKroner(price) }),
  );
}

/**
 * The document as EHF Billing 3.0 / PEPPOL BIS Billing 3.0 UBL XML (UTF-8 text). Throws
 * EhfDocumentError listing every problem when the document is inconsistent (see ehfProblems).
 */
export function renderEhf(doc: InvoiceDocument): string {
  const problems = ehfProblems(doc);
  if (problems.length > 0) throw new EhfDocumentError(problems);

  const isCreditNote = doc.kind === "credit-note";
  const root = isCreditNote ? "CreditNote" : "Invoice";
  const { supplier, totals } = doc;
  const document: XmlNode = {
    tag: root,
    attrs: {
      xmlns: `urn:oasis:names:specification:ubl:schema:xsd:${root}-2`,
      "xmlns:cac": "urn:oasis:names:specification:ubl:schema:xsd:CommonAggregateComponents-2",
      "xmlns:cbc": "urn:oasis:names:specification:ubl:schema:xsd:CommonBasicComponents-2",
    },
    children: [
      leaf("cbc:CustomizationID", CUSTOMIZATION_ID),
      leaf("cbc:ProfileID", PROFILE_ID),
      leaf("cbc:ID", doc.number),
      leaf("cbc:IssueDate", doc.issueDate),
      // A UBL CreditNote has no DueDate: its payment due date goes in PaymentMeans below.
      isCreditNote ? null : leaf("cbc:DueDate", doc.dueDate),
      isCreditNote ? leaf("cbc:CreditNoteTypeCode", "381") : leaf("cbc:InvoiceTypeCode", "380"),
      leaf("cbc:Note", doc.note),
      leaf("cbc:DocumentCurrencyCode", doc.currency),
      leaf("cbc:BuyerReference", doc.buyerReference),
      node("cac:InvoicePeriod", leaf("cbc:StartDate", doc.periodStart), leaf("cbc:EndDate", doc.periodEnd)),
      blank(doc.orderReference) ? null : node("cac:OrderReference", leaf("cbc:ID", doc.orderReference)),
      doc.creditedInvoice
        ? node(
            "cac:BillingReference",
            node(
              "cac:InvoiceDocumentReference",
              leaf("cbc:ID", doc.creditedInvoice.number),
              leaf("cbc:IssueDate", doc.creditedInvoice.issueDate),
            ),
          )
        : null,
      node("cac:AccountingSupplierParty", partyNode(supplier, "supplier")),
      node("cac:AccountingCustomerParty", partyNode(doc.buyer, "buyer")),
      node(
        "cac:PaymentMeans",
        leaf("cbc:PaymentMeansCode", CREDIT_TRANSFER),
        isCreditNote ? leaf("cbc:PaymentDueDate", doc.dueDate) : null,
        leaf("cbc:PaymentID", doc.kid),
        node(
          "cac:PayeeFinancialAccount",
          leaf("cbc:ID", supplier.bankAccount),
          blank(supplier.bic) ? null : node("cac:FinancialInstitutionBranch", leaf("cbc:ID", supplier.bic)),
        ),
      ),
      blank(doc.paymentTermsText) ? null : node("cac:PaymentTerms", leaf("cbc:Note", doc.paymentTermsText)),
      node(
        "cac:TaxTotal",
        amount("cbc:TaxAmount", totals.taxOre),
        ...doc.vat.map((entry) =>
          node(
            "cac:TaxSubtotal",
            amount("cbc:TaxableAmount", entry.taxableOre),
            amount("cbc:TaxAmount", entry.taxOre),
            taxCategory("cac:TaxCategory", entry.category, entry.percent, entry.exemptionReason),
          ),
        ),
      ),
      node(
        "cac:LegalMonetaryTotal",
        amount("cbc:LineExtensionAmount", totals.lineExtensionOre),
        amount("cbc:TaxExclusiveAmount", totals.taxExclusiveOre),
        amount("cbc:TaxInclusiveAmount", totals.taxInclusiveOre),
        amount("cbc:PayableAmount", totals.payableOre),
      ),
      ...doc.lines.map((line) => lineNode(line, isCreditNote)),
    ],
  };
  const out = ['<?xml version="1.0" encoding="UTF-8"?>'];
  renderNode(document, "", out);
  return `${out.join("\n")}\n`;
}
