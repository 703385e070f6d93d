// Localised e-mail bodies (text and HTML) for the portal's messages.
import { translator, type Locale, type MessageKey, type TranslateParams } from "../i18n/locales";
import type { EmailMessage } from "./outbox";

const escapeHtml = (s: string) =>
  s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;");

function render(
  locale: Locale,
  to: string,
  keys: { subject: MessageKey; intro: MessageKey; action: MessageKey; outro: MessageKey },
  params: TranslateParams,
  link: string,
): EmailMessage {
  const t = translator(locale);
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
    { subject: "email.verify.subject", intro: "email.verify.intro", action: "email.verify.action", outro: "email.verify.outro" },
    { name },
    link,
  );
}

export function resetPasswordMessage(locale: Locale, to: string, name: string, link: string): EmailMessage {
  return render(
    locale,
    to,
    { subject: "email.reset.subject", intro: "email.reset.intro", action: "email.reset.action", outro: "email.reset.outro" },
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
    { subject: "email.invite.subject", intro: "email.invite.intro", action: "email.invite.action", outro: "email.invite.outro" },
    params,
    link,
  );
}

export function idleWarningMessage(locale: Locale, to: string, params: { name: string; minutes: number }, link: string): EmailMessage {
  return render(
    locale,
    to,
    { subject: "email.idleWarning.subject", intro: "email.idleWarning.intro", action: "email.idleWarning.action", outro: "email.idleWarning.outro" },
    params,
    link,
  );
}

export function idleStoppedMessage(locale: Locale, to: string, params: { name: string; minutes: number }, link: string): EmailMessage {
  return render(
    locale,
    to,
    { subject: "email.idleStopped.subject", intro: "email.idleStopped.intro", action: "email.idleStopped.action", outro: "email.idleStopped.outro" },
    params,
    link,
  );
}
