// The one permission table: which role may do what inside an organisation. Fails closed.
import type { Role } from "@/generated/prisma/enums";

export const ROLES = ["OWNER", "ADMIN", "DATA_SCIENTIST", "PROCUREMENT", "VIEWER"] as const satisfies readonly Role[];

const ALL = ROLES;
const MANAGERS = ["OWNER", "ADMIN"] as const;
const LAUNCHERS = ["OWNER", "ADMIN", "DATA_SCIENTIST"] as const;
const BILLING = ["OWNER", "ADMIN", "PROCUREMENT"] as const;

/** Permission -> roles allowed, and whether the organisation must be approved (active) first. */
export const PERMISSIONS = {
  "org.view": { roles: ALL, requiresActiveOrg: false },
  "org.update": { roles: MANAGERS, requiresActiveOrg: false },
  "members.view": { roles: ALL, requiresActiveOrg: false },
  "members.invite": { roles: MANAGERS, requiresActiveOrg: false },
  "members.changeRole": { roles: MANAGERS, requiresActiveOrg: false },
  "members.remove": { roles: MANAGERS, requiresActiveOrg: false },
  "audit.view": { roles: MANAGERS, requiresActiveOrg: false },
  "shapes.view": { roles: ALL, requiresActiveOrg: false },
  "notebooks.view": { roles: ALL, requiresActiveOrg: false },
  "notebooks.launch": { roles: LAUNCHERS, requiresActiveOrg: true },
  "notebooks.manage": { roles: LAUNCHERS, requiresActiveOrg: true },
  "usage.view": { roles: ALL, requiresActiveOrg: false },
  "invoices.view": { roles: BILLING, requiresActiveOrg: false },
  "invoices.approve": { roles: BILLING, requiresActiveOrg: false },
  "budgets.view": { roles: BILLING, requiresActiveOrg: false },
  "budgets.manage": { roles: BILLING, requiresActiveOrg: false },
  "billing.settings": { roles: BILLING, requiresActiveOrg: false },
  "innovation.view": { roles: ALL, requiresActiveOrg: false },
  "innovation.submit": { roles: ["OWNER", "ADMIN", "DATA_SCIENTIST", "PROCUREMENT"], requiresActiveOrg: false },
  "settings.view": { roles: ALL, requiresActiveOrg: false },
  "sovereignty.view": { roles: ALL, requiresActiveOrg: false },
  "data.export": { roles: MANAGERS, requiresActiveOrg: false },
  "data.delete": { roles: ["OWNER"], requiresActiveOrg: false },
} as const satisfies Record<string, { roles: readonly Role[]; requiresActiveOrg: boolean }>;

export type Permission = keyof typeof PERMISSIONS;

/** True only when the role is listed for the permission (and the org is active where required). */
export function can(role: Role | null | undefined, permission: Permission, orgStatus?: string): boolean {
  if (!role) return false;
  const rule = PERMISSIONS[permission] as { roles: readonly Role[]; requiresActiveOrg: boolean } | undefined;
  if (!rule) return false;
  if (!rule.roles.includes(role)) return false;
  if (rule.requiresActiveOrg && orgStatus !== "ACTIVE") return false;
  return true;
}

/** Roles a member with `actorRole` may grant or change: only owners create or touch owners. */
export function assignableRoles(actorRole: Role): Role[] {
  if (actorRole === "OWNER") return [...ROLES];
  if (actorRole === "ADMIN") return ROLES.filter((r) => r !== "OWNER");
  return [];
}
