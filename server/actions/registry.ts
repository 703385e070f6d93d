// Every organisation-scoped operation behind a server action, for the role x action matrix test.
import { changeMemberRole, inviteMember, removeMember, resendInvitation, revokeInvitation } from "../members/operations";
import { updateOrganisation } from "../orgs/operations";
import { deleteNotebook, registerLaunch, startNotebook, stopNotebook } from "../notebooks/operations";
import { approveInvoice, disputeInvoice, updateBillingSettings } from "../billing/operations";
import { deleteBudget, setBudget } from "../billing/budget-operations";
import { setTwoFactorRequirement } from "../orgs/two-factor";
import { commentOnInnovationRequest, saveInnovationDraft, submitInnovationRequest, withdrawInnovationDraft } from "../innovation/operations";
import { cancelDeletion, requestDeletion } from "../sovereignty/operations";

export const ORG_OPERATIONS = {
  inviteMemberAction: inviteMember,
  revokeInvitationAction: revokeInvitation,
  resendInvitationAction: resendInvitation,
  changeMemberRoleAction: changeMemberRole,
  removeMemberAction: removeMember,
  updateOrganisationAction: updateOrganisation,
  launchNotebookAction: registerLaunch,
  stopNotebookAction: stopNotebook,
  startNotebookAction: startNotebook,
  deleteNotebookAction: deleteNotebook,
  approveInvoiceAction: approveInvoice,
  disputeInvoiceAction: disputeInvoice,
  updateBillingSettingsAction: updateBillingSettings,
  setBudgetAction: setBudget,
  deleteBudgetAction: deleteBudget,
  setTwoFactorRequirementAction: setTwoFactorRequirement,
  saveInnovationDraftAction: saveInnovationDraft,
  submitInnovationRequestAction: submitInnovationRequest,
  commentOnInnovationRequestAction: commentOnInnovationRequest,
  withdrawInnovationDraftAction: withdrawInnovationDraft,
  requestDeletionAction: requestDeletion,
  cancelDeletionAction: cancelDeletion,
} as const;
