import Link from "@/components/ui/link";
import { notFound } from "next/navigation";
import type { Metadata } from "next";
import { orgPageContext } from "@/server/portal-context";
import { getT } from "@/server/i18n/server";
import { can } from "@/server/permissions";
import { AppError } from "@/server/errors";
import { getInnovationRequest } from "@/server/innovation/queries";
import { canCustomerEdit } from "@/server/innovation/status";
import { commentOnInnovationRequestAction, withdrawInnovationDraftAction } from "@/server/innovation/actions";
import { Card, Notice, PageHeader } from "@/components/ui/card";
import { ConfirmAction } from "@/components/forms/confirm-action";
import { formatMoment } from "@/components/invoices/format";
import { RequestForm } from "@/components/innovation/request-form";
import { CommentThread, CreditSummary, InnovationStatusBadge, RequestDetails, Timeline } from "@/components/innovation/request-view";
import { PrimaryButton, StateForm, TextAreaField } from "@/components/innovation/form-kit";

export async function generateMetadata(): Promise<Metadata> {
  return { title: (await getT())("nav.innovation") };
}

export default async function InnovationRequestPage({
  params,
  searchParams,
}: {
  params: Promise<{ org: string; id: string }>;
  searchParams: Promise<{ saved?: string; submitted?: string }>;
}) {
  const { org, id } = await params;
  const { saved, submitted } = await searchParams;
  const { t, locale, membership } = await orgPageContext(org, "innovation.view");
  const request = await getInnovationRequest(membership, id).catch((error: unknown) => {
    if (error instanceof AppError) return null;
    throw error;
  });
  if (!request) notFound();

  const canSubmit = can(membership.role, "innovation.submit");
  const editing = canSubmit && canCustomerEdit(request.status);
  const base = `/${membership.org.slug}/innovation`;

  return (
    <>
      <p className="mb-2 text-sm">
        <Link href={base}>{t("innovation.detail.back")}</Link>
      </p>
      <PageHeader title={request.title} />

      {saved && request.status === "DRAFT" ? (
        <div className="mb-6" role="status">
          <Notice tone="success">{t("innovation.detail.savedNotice")}</Notice>
        </div>
      ) : null}
      {submitted && request.status === "SUBMITTED" ? (
        <div className="mb-6" role="status">
          <Notice tone="success">{t("innovation.detail.submittedNotice")}</Notice>
        </div>
      ) : null}
      {request.status === "NEEDS_INFO" ? (
        <div className="mb-6">
          <Notice tone="warning" title={t("innovation.detail.needsInfoTitle")}>
            {t("innovation.detail.needsInfoBody")}
          </Notice>
        </div>
      ) : null}
      {request.status === "DRAFT" ? (
        <div className="mb-6">
          <Notice tone="info" title={t("innovation.detail.draftTitle")}>
            {t("innovation.detail.draftBody")}
          </Notice>
        </div>
      ) : null}

      <Card>
        <h2 className="sr-only">{t("innovation.detail.details")}</h2>
        <dl className="grid gap-x-6 gap-y-3 text-sm sm:grid-cols-2 lg:grid-cols-4">
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
            <dd className="mt-1">{request.submittedAt ? <time dateTime={request.submittedAt}>{formatMoment(request.submittedAt, locale)}</time> : t("innovation.detail.notGiven")}</dd>
          </div>
          <div>
            <dt className="text-slate-600 dark:text-slate-400">{t("innovation.detail.handledBy")}</dt>
            <dd className="mt-1">{request.assignedTo?.name ?? t("innovation.detail.notAssigned")}</dd>
          </div>
        </dl>
      </Card>

      {request.credit ? (
        <Card className="mt-6">
          <CreditSummary t={t} locale={locale} credit={request.credit} />
        </Card>
      ) : null}

      <Card className="mt-6">
        {editing ? (
          <>
            <h2 className="mb-4 text-lg font-semibold">{t("innovation.form.label")}</h2>
            <RequestForm t={t} orgId={membership.org.id} orgSector={membership.org.sector} request={request} />
            {request.status === "DRAFT" ? (
              <div className="mt-6 border-t border-slate-200 pt-4 dark:border-slate-800">
                <ConfirmAction
                  action={withdrawInnovationDraftAction}
                  hidden={{ orgId: membership.org.id, requestId: request.id }}
                  trigger={t("innovation.detail.withdraw")}
                  title={t("innovation.detail.withdrawTitle")}
                  description={t("innovation.detail.withdrawBody")}
                  confirmLabel={t("innovation.detail.withdrawConfirm")}
                  cancelLabel={t("common.cancel")}
                />
              </div>
            ) : null}
          </>
        ) : (
          <>
            <h2 className="mb-4 text-lg font-semibold">{t("innovation.detail.details")}</h2>
            <RequestDetails t={t} locale={locale} request={request} />
            {!canSubmit && canCustomerEdit(request.status) ? <p className="mt-4 text-sm text-slate-700 dark:text-slate-300">{t("innovation.detail.readOnlyNote")}</p> : null}
          </>
        )}
      </Card>

      <Card className="mt-6">
        <h2 className="text-lg font-semibold">{t("innovation.timeline.heading")}</h2>
        <Timeline t={t} locale={locale} entries={request.timeline} />
      </Card>

      <Card className="mt-6">
        <h2 className="text-lg font-semibold">{t("innovation.comments.heading")}</h2>
        <p className="mt-1 text-sm text-slate-700 dark:text-slate-300">{t("innovation.comments.lead")}</p>
        {request.status === "DRAFT" ? (
          <p className="mt-2 text-sm text-slate-700 dark:text-slate-300">{t("innovation.comments.draftNote")}</p>
        ) : (
          <>
            <CommentThread t={t} locale={locale} comments={request.comments} />
            {canSubmit ? (
              <StateForm
                action={commentOnInnovationRequestAction}
                hidden={{ orgId: membership.org.id, requestId: request.id }}
                label={t("innovation.comments.formLabel")}
                resetOnSuccess
                className="mt-4 max-w-2xl"
              >
                <TextAreaField name="body" label={t("innovation.comments.label")} hint={t("innovation.comments.hint")} rows={4} maxLength={4000} required />
                <PrimaryButton pendingLabel={t("common.working")}>{t("innovation.comments.submit")}</PrimaryButton>
              </StateForm>
            ) : null}
          </>
        )}
      </Card>
    </>
  );
}
