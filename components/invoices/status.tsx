// An invoice's or credit note's status as a badge whose text says it all (the colour only repeats it).
import { Badge } from "@/components/ui/card";
import type { Translate } from "@/server/i18n/locales";
import type { UiLocale } from "@/components/format";
import { formatMomentDate } from "./format";

type Status = "DRAFT" | "ISSUED" | "APPROVED" | "DISPUTED" | "CREDITED";

const TONE: Record<Status, "neutral" | "success" | "warning" | "error" | "info"> = {
  DRAFT: "neutral",
  ISSUED: "warning",
  APPROVED: "success",
  DISPUTED: "error",
  CREDITED: "info",
};

/** The status in words; a draft names the end of its review, an issued credit note is just "Issued". */
export function invoiceStatusText(
  t: Translate,
  locale: UiLocale,
  item: { status: Status; kind: "INVOICE" | "CREDIT_NOTE"; reviewUntil: string | null },
): string {
  if (item.status === "DRAFT") {
    return item.reviewUntil ? t("invoices.status.draftUntil", { date: formatMomentDate(item.reviewUntil, locale) }) : t("invoices.status.DRAFT");
  }
  if (item.status === "ISSUED" && item.kind === "CREDIT_NOTE") return t("invoices.status.issuedCreditNote");
  return t(`invoices.status.${item.status}`);
}

/** An issued credit note needs nothing from the reader, so it is not shown as waiting. */
export function InvoiceStatusBadge({ status, kind, children }: { status: Status; kind: "INVOICE" | "CREDIT_NOTE"; children: string }) {
  return <Badge tone={kind === "CREDIT_NOTE" && status === "ISSUED" ? "info" : TONE[status]}>{children}</Badge>;
}
