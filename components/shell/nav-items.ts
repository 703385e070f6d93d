// The portal's areas, and the permission each needs to appear in the navigation.
import type { Permission } from "@/server/permissions";
import type { MessageKey } from "@/server/i18n/locales";

export interface NavItem {
  segment: string;
  label: MessageKey;
  permission: Permission;
  icon: "home" | "cpu" | "notebook" | "leaf" | "receipt" | "wallet" | "lightbulb" | "users" | "scroll" | "settings" | "shield";
}

export const NAV_ITEMS: NavItem[] = [
  { segment: "", label: "nav.overview", permission: "org.view", icon: "home" },
  { segment: "shapes", label: "nav.shapes", permission: "shapes.view", icon: "cpu" },
  { segment: "notebooks", label: "nav.notebooks", permission: "notebooks.view", icon: "notebook" },
  { segment: "usage", label: "nav.usage", permission: "usage.view", icon: "leaf" },
  { segment: "invoices", label: "nav.invoices", permission: "invoices.view", icon: "receipt" },
  { segment: "budgets", label: "nav.budgets", permission: "budgets.view", icon: "wallet" },
  { segment: "innovation", label: "nav.innovation", permission: "innovation.view", icon: "lightbulb" },
  { segment: "team", label: "nav.team", permission: "members.view", icon: "users" },
  { segment: "audit", label: "nav.audit", permission: "audit.view", icon: "scroll" },
  { segment: "sovereignty", label: "nav.sovereignty", permission: "sovereignty.view", icon: "shield" },
  { segment: "settings", label: "nav.settings", permission: "settings.view", icon: "settings" },
];

/** The operators' console (provider staff only; the whole area is guarded by the platform role). */
export const OPERATOR_NAV_ITEMS: Array<Pick<NavItem, "segment" | "label" | "icon">> = [
  { segment: "", label: "operator.nav.overview", icon: "home" },
  { segment: "organisations", label: "operator.nav.organisations", icon: "users" },
  { segment: "capacity", label: "operator.nav.capacity", icon: "cpu" },
  { segment: "innovation", label: "operator.nav.innovation", icon: "lightbulb" },
  { segment: "billing", label: "operator.nav.billing", icon: "receipt" },
  { segment: "catalogue", label: "operator.nav.catalogue", icon: "leaf" },
  { segment: "deletions", label: "operator.nav.deletions", icon: "shield" },
];
