// Localised e-mail bodies (text and HTML) for the portal's messages.
import { translator, type Locale, type MessageKey, type TranslateParams } from "../i18n/locales";
import type { EmailMessage } from "./outbox";
import { formatNok } from "@/components/format";

const escapeHtml = (s: string) =>
  s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;");

function render(
  locale: Locale,
  to: string,
  /** The message section, e.g. "email.verify", holding subject, intro, action and outro. */
  section: string,
  params: TranslateParams,
  link: string,
): EmailMessage {
  const t = translator(locale);
  const keys = { subject: `${section}.subject`, intro: `${section}.intro`, action: `${section}.action`, outro: `${section}.outro` } as Record<"subject" | "intro" | "action" | "outro", MessageKey>;
  const subject = t(keys.subject, params);
  const intro = t(keys.intro, params);
  const action = t(keys.action, params);
  const outro = t(keys.outro, params);
  const text = `${intro}\n\n${action}: ${link}\n\n${outro}\n\n— ${t("app.name")}`;
  const html = `<!doctype html><html lang="${locale}"><body style="font-family:system-ui,sans-serif;line-height:1.5;color:#111">
<p>${escapeHtml(intro)}</p>
<p><a href="${escapeHtml(link)}" style="display:inline-block;padding:10px 16px;background:#1e3a8a;color:#fff;border-radius:6px;text-decoration:none">${escapeHtml(action)}</a></p>
<p style="font-size:13px;color:#444">${escapeHtml(link)}</p>
<p>${escapeHtml(outro)}</p>
<p>— ${escapeHtml(t("app.name"))}</p></body></html>`;
  return { to, subject, text, html };
}

export function verifyEmailMessage(locale: Locale, to: string, name: string, link: string): EmailMessage {
  return render(
    locale,
    to,
    "email.verify",
    { name },
    link,
  );
}

export function resetPasswordMessage(locale: Locale, to: string, name: string, link: string): EmailMessage {
  return render(
    locale,
    to,
    "email.reset",
    { name },
    link,
  );
}

export function invitationMessage(
  locale: Locale,
  to: string,
  params: { inviter: string; org: string; role: string },
  link: string,
): EmailMessage {
  return render(
    locale,
    to,
    "email.invite",
    params,
    link,
  );
}

export function idleWarningMessage(locale: Locale, to: string, params: { name: string; minutes: number }, link: string): EmailMessage {
  return render(
    locale,
    to,
    "email.idleWarning",
    params,
    link,
  );
}

export function idleStoppedMessage(locale: Locale, to: string, params: { name: string; minutes: number }, link: string): EmailMessage {
  return render(
    locale,
    to,
    "email.idleStopped",
    params,
    link,
  );
}

export function invoiceIssuedMessage(
  locale: Locale,
  to: string,
  params: { number: string; kind: "invoice" | "credit-note"; totalOre: number; dueDate: string },
  link: string,
): EmailMessage {
  const amount = formatNok(params.totalOre, locale);
  const base = params.kind === "invoice" ? "email.invoiceIssued" : "email.creditNoteIssued";
  return render(
    locale,
    to,
    base,
    { number: params.number, amount, dueDate: params.dueDate },
    link,
  );
}

export function budgetAlertMessage(
  locale: Locale,
  to: string,
  params: { org: string; scope: string; threshold: number; kind: "forecast" | "actual"; spentOre: number; budgetOre: number },
  link: string,
): EmailMessage {
  const base = params.kind === "actual" ? "email.budgetActual" : "email.budgetForecast";
  return render(
    locale,
    to,
    base,
    { org: params.org, scope: params.scope, threshold: params.threshold, spent: formatNok(params.spentOre, locale), budget: formatNok(params.budgetOre, locale) },
    link,
  );
}

/** To the provider's billing desk (in English): a customer disputes an invoice and asks for a credit note. */
export function disputeRequestMessage(to: string, params: { number: string; org: string; by: string; reason: string }): EmailMessage {
  const subject = `Credit-note request: invoice ${params.number} (${params.org})`;
  const text = `${params.by} disputes invoice ${params.number} of ${params.org}.\n\nReason:\n${params.reason}\n\nIssue a credit note with: npm run billing -- credit ${params.number} --reason "..." [--amount NOK]`;
  const html = `<!doctype html><html lang="en"><body style="font-family:system-ui,sans-serif;line-height:1.5;color:#111"><pre style="white-space:pre-wrap;font-family:inherit">${escapeHtml(text)}</pre></body></html>`;
  return { to, subject, text, html };
}

/** To an organisation's owners: a data-deletion request was made, cancelled, approved, declined or completed. */
export function deletionMessage(
  locale: Locale,
  to: string,
  kind: "requested" | "cancelled" | "approved" | "rejected" | "completed",
  params: { org: string; by: string; deadline: string; note: string },
  link: string,
): EmailMessage {
  const base = `email.deletion.${kind}` as const;
  return render(
    locale,
    to,
    base,
    params,
    link,
  );
}

/** To a customer: the provider changed a joint-innovation request (its status, a comment, who handles it). */
export function innovationCustomerMessage(
  locale: Locale,
  to: string,
  notice: { kind: "status"; status: string } | { kind: "comment" } | { kind: "assigned"; operator: string },
  params: { title: string; org: string },
  link: string,
): EmailMessage {
  const t = translator(locale);
  const base = `email.innovation.${notice.kind}` as const;
  const extra: TranslateParams = notice.kind === "status" ? { status: t(`innovation.status.${notice.status}` as MessageKey) } : notice.kind === "assigned" ? { operator: notice.operator } : {};
  return render(
    locale,
    to,
    base,
    { ...params, ...extra },
    link,
  );
}

/** To the provider (the assigned operator or the innovation inbox): a customer changed a joint-innovation request. */
export function innovationProviderMessage(
  locale: Locale,
  to: string,
  kind: "submitted" | "resubmitted" | "comment" | "assignedToYou",
  params: { title: string; org: string; by: string },
  link: string,
): EmailMessage {
  const base = `email.innovationProvider.${kind}` as const;
  return render(
    locale,
    to,
    base,
    params,
    link,
  );
}
