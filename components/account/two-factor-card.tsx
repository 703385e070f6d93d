// The account page's two-factor section: set up (QR code, key, confirm), or manage when on.
import type { Locale, Translate } from "@/server/i18n/locales";
import { getTwoFactorStatus } from "@/server/auth/two-factor";
import { cancelTwoFactorAction, confirmTwoFactorAction, disableTwoFactorAction, regenerateRecoveryCodesAction, startTwoFactorAction } from "@/server/auth/account-actions";
import { Badge, Card, Notice } from "@/components/ui/card";
import { ActionForm, Field, SubmitButton } from "@/components/forms/action-form";
import { RecoveryCodesForm, type RecoveryCodesText } from "./recovery-codes-form";
import { formatDateTime } from "@/components/format";

export async function TwoFactorCard({ t, locale, userId, doneHref }: { t: Translate; locale: Locale; userId: string; doneHref: string }) {
  const status = await getTwoFactorStatus(userId);
  const codeText = (submit: string, formLabel: string): RecoveryCodesText => ({
    formLabel,
    codeLabel: t("twoFactor.codeLabel"),
    codeHint: t("twoFactor.codeHint"),
    submit,
    working: t("common.working"),
    codesTitle: t("twoFactor.recoveryTitle"),
    codesLead: t("twoFactor.recoveryLead"),
    codesListLabel: t("twoFactor.recoveryListLabel"),
    done: t("twoFactor.recoveryDone"),
  });

  return (
    <Card className="lg:col-span-2">
      <div id="two-factor" className="flex flex-wrap items-center gap-3 scroll-mt-6">
        <h2 className="text-lg font-semibold">{t("twoFactor.title")}</h2>
        <Badge tone={status.enabled ? "success" : "neutral"}>{status.enabled ? t("twoFactor.statusOn") : t("twoFactor.statusOff")}</Badge>
      </div>
      <p className="mt-1 max-w-3xl text-sm text-slate-700 dark:text-slate-300">{t("twoFactor.lead")}</p>

      {status.enabled ? (
        <div className="mt-4 grid gap-6 lg:grid-cols-2">
          <div>
            {status.enabledAt ? <p className="text-sm">{t("twoFactor.onSince", { date: formatDateTime(status.enabledAt, locale) })}</p> : null}
            <p className="mt-1 text-sm">{t("twoFactor.recoveryLeft", { count: status.recoveryCodesLeft })}</p>
            {status.recoveryCodesLeft <= 3 ? (
              <div className="mt-2">
                <Notice tone="warning">{t("twoFactor.recoveryLow")}</Notice>
              </div>
            ) : null}
            <h3 className="mt-5 text-base font-semibold">{t("twoFactor.regenerateTitle")}</h3>
            <p className="mt-1 text-sm text-slate-700 dark:text-slate-300">{t("twoFactor.regenerateLead")}</p>
            <RecoveryCodesForm action={regenerateRecoveryCodesAction} text={codeText(t("twoFactor.regenerateSubmit"), t("twoFactor.regenerateTitle"))} doneHref="/account#two-factor" />
          </div>
          <div>
            <h3 className="text-base font-semibold">{t("twoFactor.disableTitle")}</h3>
            <p className="mt-1 text-sm text-slate-700 dark:text-slate-300">{t("twoFactor.disableLead")}</p>
            <ActionForm action={disableTwoFactorAction} className="mt-3" label={t("twoFactor.disableTitle")}>
              <Field name="password" type="password" label={t("fields.password")} autoComplete="current-password" required />
              <Field name="code" label={t("twoFactor.disableCodeLabel")} autoComplete="one-time-code" required maxLength={32} />
              <SubmitButton variant="danger" pendingLabel={t("common.working")}>
                {t("twoFactor.disableSubmit")}
              </SubmitButton>
            </ActionForm>
          </div>
        </div>
      ) : status.pending ? (
        <div className="mt-4 grid gap-6 lg:grid-cols-2">
          <div>
            <h3 className="text-base font-semibold">{t("twoFactor.scanTitle")}</h3>
            {/* Rendered on the server as SVG; dark modules on white whatever the theme. */}
            {/* eslint-disable-next-line @next/next/no-img-element */}
            <img
              src={`data:image/svg+xml;base64,${Buffer.from(status.pending.qrSvg).toString("base64")}`}
              alt={t("twoFactor.qrAlt")}
              width={200}
              height={200}
              className="mt-3 rounded-md border border-slate-300 bg-white"
            />
            <p className="mt-3 text-sm">{t("twoFactor.manualKey")}</p>
            <p className="mt-1">
              <code data-testid="totp-secret" className="rounded bg-slate-100 px-2 py-1 font-mono text-sm tracking-wider break-all dark:bg-slate-800">
                {status.pending.groupedSecret}
              </code>
            </p>
          </div>
          <div>
            <h3 className="text-base font-semibold">{t("twoFactor.confirmTitle")}</h3>
            <RecoveryCodesForm action={confirmTwoFactorAction} text={codeText(t("twoFactor.confirmSubmit"), t("twoFactor.confirmTitle"))} doneHref={doneHref} />
            <ActionForm action={cancelTwoFactorAction} className="mt-4" label={t("twoFactor.cancel")}>
              <SubmitButton variant="secondary">{t("twoFactor.cancel")}</SubmitButton>
            </ActionForm>
          </div>
        </div>
      ) : (
        <ActionForm action={startTwoFactorAction} className="mt-4" label={t("twoFactor.start")}>
          <SubmitButton pendingLabel={t("common.working")}>{t("twoFactor.start")}</SubmitButton>
        </ActionForm>
      )}
    </Card>
  );
}
