import Link from "@/components/ui/link";
import { notFound } from "next/navigation";
import type { Metadata } from "next";
import { getT } from "@/server/i18n/server";
import { AppError } from "@/server/errors";
import { requestMeta } from "@/server/auth/session";
import { operatorContext } from "@/server/operator/context";
import { getInnovationRequestForOperator, listOperators } from "@/server/innovation/operator-queries";
import { PROVIDER_TRANSITIONS } from "@/server/innovation/status";
import { assignInnovationRequestAction, changeInnovationStatusAction, commentAsOperatorAction } from "@/server/innovation/operator-actions";
import { PortalShell } from "@/components/shell/portal-shell";
import { Card, PageHeader } from "@/components/ui/card";
import { formatMoment } from "@/components/invoices/format";
import { CommentThread, CreditSummary, InnovationStatusBadge, RequestDetails, Timeline } from "@/components/innovation/request-view";
import { PrimaryButton, SelectField, StateForm, TextAreaField, TextField } from "@/components/innovation/form-kit";

export async function generateMetadata(): Promise<Metadata> {
  return { title: (await getT())("operator.innovation.title") };
}

export default async function OperatorInnovationRequestPage({ params }: { params: Promise<{ id: string }> }) {
  const { t, locale, path, user, orgs } = await operatorContext();
  const { id } = await params;
  if (!/^[A-Za-z0-9_-]{1,64}$/.test(id)) notFound();
  const request = await getInnovationRequestForOperator({ userId: user.userId, email: user.email }, id, await requestMeta()).catch((error: unknown) => {
    if (error instanceof AppError) return null;
    throw error;
  });
  if (!request) notFound();
  const operators = await listOperators(user.userId);
  const next = PROVIDER_TRANSITIONS[request.status];

  return (
    <PortalShell t={t} locale={locale} path={path} user={user} orgs={orgs} operator area="operator">
      <p className="mb-2 text-sm">
        <Link href="/operator/innovation">{t("operator.innovation.detail.back")}</Link>
      </p>
      <PageHeader title={request.title} />

      <Card>
        <h2 className="sr-only">{t("innovation.detail.details")}</h2>
        <dl className="grid gap-x-6 gap-y-3 text-sm sm:grid-cols-2 lg:grid-cols-3">
          <div>
            <dt className="text-slate-600 dark:text-slate-400">{t("operator.innovation.detail.organisation")}</dt>
            <dd className="mt-1">
              <Link href={`/operator/organisations/${request.org.id}`}>{request.org.name}</Link>
            </dd>
          </div>
          <div>
            <dt className="text-slate-600 dark:text-slate-400">{t("operator.innovation.detail.orgNumber")}</dt>
            <dd className="mt-1 tabular-nums">{request.org.orgNumber}</dd>
          </div>
          <div>
            <dt className="text-slate-600 dark:text-slate-400">{t("innovation.detail.status")}</dt>
            <dd className="mt-1" data-testid="innovation-status">
              <InnovationStatusBadge t={t} status={request.status} />
            </dd>
          </div>
          <div>
            <dt className="text-slate-600 dark:text-slate-400">{t("innovation.detail.createdBy")}</dt>
            <dd className="mt-1">{request.createdBy}</dd>
          </div>
          <div>
            <dt className="text-slate-600 dark:text-slate-400">{t("innovation.detail.submittedAt")}</dt>
            <dd className="mt-1">{request.submittedAt ? <time dateTime={request.submittedAt}>{formatMoment(request.submittedAt, locale)}</time> : "—"}</dd>
          </div>
          <div>
            <dt className="text-slate-600 dark:text-slate-400">{t("operator.innovation.columns.assignedTo")}</dt>
            <dd className="mt-1">{request.assignedTo?.name ?? t("operator.innovation.unassigned")}</dd>
          </div>
        </dl>
      </Card>

      <Card className="mt-6">
        <h2 className="mb-4 text-lg font-semibold">{t("innovation.detail.details")}</h2>
        <RequestDetails t={t} locale={locale} request={request} />
      </Card>

      {request.credit ? (
        <Card className="mt-6">
          <CreditSummary t={t} locale={locale} credit={request.credit} />
        </Card>
      ) : null}

      <div className="mt-6 grid gap-6 lg:grid-cols-2">
        <Card>
          <h2 className="text-lg font-semibold">{t("operator.innovation.assign.heading")}</h2>
          <p className="mt-1 text-sm text-slate-700 dark:text-slate-300">
            {request.assignedTo ? t("operator.innovation.assign.current", { name: request.assignedTo.name }) : t("operator.innovation.assign.none")}
          </p>
          <StateForm action={assignInnovationRequestAction} hidden={{ requestId: request.id }} label={t("operator.innovation.assign.formLabel")} className="mt-4">
            <SelectField
              name="assigneeId"
              label={t("operator.innovation.assign.label")}
              defaultValue={request.assignedTo?.id ?? user.userId}
              options={operators.map((o) => ({ value: o.id, label: o.id === user.userId ? t("operator.innovation.assign.you", { name: o.name }) : o.name }))}
            />
            <PrimaryButton variant="secondary" pendingLabel={t("common.working")}>
              {t("operator.innovation.assign.submit")}
            </PrimaryButton>
          </StateForm>
        </Card>

        <Card>
          <h2 className="text-lg font-semibold">{t("operator.innovation.status.heading")}</h2>
          {next.length === 0 ? (
            <p className="mt-1 text-sm text-slate-700 dark:text-slate-300">
              {request.status === "NEEDS_INFO" ? t("operator.innovation.status.waitingForCustomer") : t("operator.innovation.status.final", { status: t(`innovation.status.${request.status}`) })}
            </p>
          ) : (
            <StateForm action={changeInnovationStatusAction} hidden={{ requestId: request.id }} label={t("operator.innovation.status.formLabel")} className="mt-4">
              <SelectField
                name="status"
                label={t("operator.innovation.status.newStatus")}
                defaultValue={next[0]}
                options={next.map((s) => ({ value: s, label: t(`innovation.status.${s}`) }))}
                required
              />
              <TextAreaField name="note" label={t("operator.innovation.status.note")} hint={t("operator.innovation.status.noteHint")} rows={3} maxLength={2000} />
              {next.includes("ACCEPTED") ? (
                <fieldset className="space-y-3 rounded-md border border-slate-200 p-4 dark:border-slate-700">
                  <legend className="px-1 text-sm font-medium">{t("operator.innovation.status.credit")}</legend>
                  <p className="text-xs text-slate-600 dark:text-slate-300">{t("operator.innovation.status.creditHint")}</p>
                  <TextField name="creditAmount" label={t("operator.innovation.status.creditAmount")} hint={t("operator.innovation.status.creditAmountHint")} inputMode="decimal" maxLength={40} />
                  <div className="grid gap-3 sm:grid-cols-2">
                    <TextField name="creditFrom" type="date" label={t("operator.innovation.status.creditFrom")} hint={t("operator.innovation.status.creditFromHint")} />
                    <TextField name="creditUntil" type="date" label={t("operator.innovation.status.creditUntil")} />
                  </div>
                </fieldset>
              ) : null}
              <PrimaryButton pendingLabel={t("common.working")}>{t("operator.innovation.status.submit")}</PrimaryButton>
            </StateForm>
          )}
        </Card>
      </div>

      <Card className="mt-6">
        <h2 className="text-lg font-semibold">{t("innovation.timeline.heading")}</h2>
        <Timeline t={t} locale={locale} entries={request.timeline} />
      </Card>

      <Card className="mt-6">
        <h2 className="text-lg font-semibold">{t("innovation.comments.heading")}</h2>
        <CommentThread t={t} locale={locale} comments={request.comments} />
        <StateForm action={commentAsOperatorAction} hidden={{ requestId: request.id }} label={t("operator.innovation.comment.formLabel")} resetOnSuccess className="mt-4 max-w-2xl">
          <TextAreaField name="body" label={t("operator.innovation.comment.label")} hint={t("operator.innovation.comment.hint")} rows={4} maxLength={4000} required />
          <PrimaryButton pendingLabel={t("common.working")}>{t("operator.innovation.comment.submit")}</PrimaryButton>
        </StateForm>
      </Card>
    </PortalShell>
  );
}
