// Downloads of a finalised invoice or credit note (PDF for people, EHF for accounting systems), shared
// by the two route handlers. Authorised with invoices.view for the organisation in the URL; drafts,
// other organisations' ids and unknown ids are all "not found". The domain call audits each download.
import "server-only";
import { AppError } from "@/server/errors";
import { memberForRoute } from "@/server/route-auth";
import { getSessionUser, requestMeta } from "@/server/auth/session";
import { getLocale } from "@/server/i18n/server";
import { documentForDownload } from "@/server/billing/queries";
import { renderInvoicePdf } from "@/server/billing/pdf";
import { renderEhf } from "@/server/billing/ehf";
import type { InvoiceDocument } from "@/server/billing/document";

export type DownloadFormat = "pdf" | "ehf";

const notFound = () => Response.json({ error: "not_found" }, { status: 404 });

/** "invoice-2026-000017.pdf", "credit-note-K2026-000003-ehf.xml". */
export function downloadName(doc: Pick<InvoiceDocument, "kind" | "number">, format: DownloadFormat): string {
  const base = `${doc.kind}-${doc.number.replace(/[^A-Za-z0-9-]/g, "")}`;
  return format === "pdf" ? `${base}.pdf` : `${base}-ehf.xml`;
}

/** The response for GET /<org>/invoices/<id>/<format>. */
export async function invoiceDownload(slug: string, invoiceId: string, format: DownloadFormat): Promise<Response> {
  const access = await memberForRoute(slug, "invoices.view");
  if ("response" in access) return access.response;
  const { membership } = access;
  if (!/^[A-Za-z0-9_-]{1,64}$/.test(invoiceId)) return notFound();

  const [user, meta] = await Promise.all([getSessionUser(), requestMeta()]);
  const actor = { actorId: user?.userId ?? null, actorLabel: user?.email ?? "unknown", ip: meta.ip, userAgent: meta.userAgent };
  let doc: InvoiceDocument;
  try {
    doc = await documentForDownload(membership, invoiceId, format, actor);
  } catch (error) {
    if (error instanceof AppError) return notFound(); // not found, another organisation's, or a draft
    throw error;
  }

  const body = format === "pdf" ? new Uint8Array(await renderInvoicePdf(doc, { locale: await getLocale() })) : renderEhf(doc);

  return new Response(body, {
    headers: {
      "content-type": format === "pdf" ? "application/pdf" : "application/xml; charset=utf-8",
      "content-disposition": `attachment; filename="${downloadName(doc, format)}"`,
      "cache-control": "private, no-store",
    },
  });
}
