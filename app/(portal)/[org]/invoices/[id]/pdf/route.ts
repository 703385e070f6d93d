// The invoice or credit note as a PDF, in the reader's UI language.
import { invoiceDownload } from "../../_lib/download";

export async function GET(_request: Request, { params }: { params: Promise<{ org: string; id: string }> }) {
  const { org, id } = await params;
  return invoiceDownload(org, id, "pdf");
}
