// Translated status labels for the notebook views.
import type { Translate } from "../i18n/locales";

export const STATUSES = ["PROVISIONING", "QUEUED", "SCHEDULED", "PULLING_IMAGE", "STARTING", "RUNNING", "STOPPING", "STOPPED", "FAILED", "DELETING", "DELETED", "LOST"] as const;

export function statusLabels(t: Translate): Record<string, string> {
  return Object.fromEntries(STATUSES.map((s) => [s, t(`notebooks.status.${s}`)]));
}
