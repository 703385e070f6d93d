// Every organisation-scoped operation behind a server action, for the role x action matrix test.
import { changeMemberRole, inviteMember, removeMember, resendInvitation, revokeInvitation } from "../members/operations";
import { updateOrganisation } from "../orgs/operations";

export const ORG_OPERATIONS = {
  inviteMemberAction: inviteMember,
  revokeInvitationAction: revokeInvitation,
  resendInvitationAction: resendInvitation,
  changeMemberRoleAction: changeMemberRole,
  removeMemberAction: removeMember,
  updateOrganisationAction: updateOrganisation,
} as const;
