// One typed error for expected failures; the code is a message key shown to the user.
export type AppErrorCode =
  | "errors.notFound"
  | "errors.forbidden"
  | "errors.orgNotActive"
  | "errors.validation"
  | "errors.lastOwner"
  | "errors.alreadyMember"
  | "errors.invitationInvalid"
  | "errors.invitationEmailMismatch"
  | "errors.tokenInvalid"
  | "errors.orgNumberTaken"
  | "errors.emailTaken"
  | "errors.wrongPassword"
  | "errors.cannotAssignRole"
  | "errors.rateLimited"
  | "errors.quotaExceeded"
  | "errors.invalidState"
  | "errors.controlPlaneUnavailable"
  | "errors.controlPlaneTimeout"
  | "errors.controlPlaneRejected"
  | "errors.budgetExhausted"
  | "errors.invoiceNotApprovable"
  | "errors.invoiceNotDisputable"
  | "errors.alreadyApproved"
  | "errors.creditNoteRefused"
  | "errors.shapeNotAllowed"
  | "errors.deletionAlreadyRequested"
  | "errors.deletionNotOpen"
  | "errors.codeInvalid"
  | "errors.twoFactorRequired"
  | "errors.twoFactorAlreadyOn"
  | "errors.twoFactorNotOn"
  | "errors.twoFactorNotStarted"
  | "errors.twoFactorRequiredByOrg"
  | "errors.innovationNotEditable"
  | "errors.innovationNotSubmitted"
  | "errors.innovationTransition"
  | "errors.unavailable"
  | "errors.unexpected";

export class AppError extends Error {
  constructor(
    readonly code: AppErrorCode,
    readonly fieldErrors?: Record<string, string>,
    /** Values for the message's placeholders, already formatted for the caller's language. */
    readonly params?: Record<string, string | number>,
  ) {
    super(code);
    this.name = "AppError";
  }
}
