// Every organisation-scoped operation behind a server action, for the role x action matrix test.
import { changeMemberRole, inviteMember, removeMember, resendInvitation, revokeInvitation } from "../members/operations";
import { updateOrganisation } from "../orgs/operations";
import { deleteNotebook, registerLaunch, startNotebook, stopNotebook } from "../notebooks/operations";
import { approveInvoice, disputeInvoice, updateBillingSettings } from "../billing/operations";
import { deleteBudget, setBudget } from "../billing/budget-operations";

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
} as const;
