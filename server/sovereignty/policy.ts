// What the provider commits to when an organisation's data is deleted, shared by pages, e-mails and tests.

/** Days from the provider's approval until the organisation's data has been deleted. */
export const DELETION_DAYS = 30;

/** Years invoices and credit notes are kept (Norwegian Bookkeeping Act, bokføringsloven § 13). */
export const INVOICE_RETENTION_YEARS = 5;

/** The latest day by which data approved for deletion on `approvedAt` is deleted (UTC date, YYYY-MM-DD). */
export function deletionDeadline(approvedAt: Date): string {
  return new Date(approvedAt.getTime() + DELETION_DAYS * 86_400_000).toISOString().slice(0, 10);
}
