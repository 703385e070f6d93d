// The invoice or credit note as EHF Billing 3.0 (PEPPOL BIS UBL XML), for the buyer's accounting system.
import { invoiceDownload } from "../../_lib/download";

export async function GET(_request: Request, { params }: { params: Promise<{ org: string; id: string }> }) {
  const { org, id } = await params;
  return invoiceDownload(org, id, "ehf");
}
