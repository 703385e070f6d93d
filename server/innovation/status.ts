// The life of a joint-innovation request: who may move it from which status to which. Pure data and
// functions, shared by the operations, the pages and their tests.
import type { InnovationStatus } from "@/generated/prisma/enums";

export const INNOVATION_STATUSES = ["DRAFT", "SUBMITTED", "IN_REVIEW", "NEEDS_INFO", "ACCEPTED", "DECLINED", "ACTIVE", "COMPLETED"] as const satisfies readonly InnovationStatus[];

/** Statuses the customer can still edit the request in (and submit it from). */
export const CUSTOMER_EDITABLE: readonly InnovationStatus[] = ["DRAFT", "NEEDS_INFO"];

/** Where the provider may move a request from each status; the customer alone resubmits after NEEDS_INFO. */
export const PROVIDER_TRANSITIONS: Record<InnovationStatus, readonly InnovationStatus[]> = {
  DRAFT: [],
  SUBMITTED: ["IN_REVIEW"],
  IN_REVIEW: ["NEEDS_INFO", "ACCEPTED", "DECLINED"],
  NEEDS_INFO: [],
  ACCEPTED: ["ACTIVE"],
  DECLINED: [],
  ACTIVE: ["COMPLETED"],
  COMPLETED: [],
};

/** Statuses an operator can set at all (the targets of some provider transition). */
export const PROVIDER_TARGETS = ["IN_REVIEW", "NEEDS_INFO", "ACCEPTED", "DECLINED", "ACTIVE", "COMPLETED"] as const satisfies readonly InnovationStatus[];

/** Open for the provider: submitted and not yet finished (declined or completed). */
export const OPEN_STATUSES: readonly InnovationStatus[] = ["SUBMITTED", "IN_REVIEW", "NEEDS_INFO", "ACCEPTED", "ACTIVE"];

export function canCustomerEdit(status: InnovationStatus): boolean {
  return CUSTOMER_EDITABLE.includes(status);
}

export function canProviderMove(from: InnovationStatus, to: InnovationStatus): boolean {
  return PROVIDER_TRANSITIONS[from].includes(to);
}

/** The provider never sees drafts: they are the customer's own until submitted. */
export function visibleToProvider(status: InnovationStatus): boolean {
  return status !== "DRAFT";
}

/** Badge tone for a status; the badge always carries the status in words too. */
export function statusTone(status: InnovationStatus): "neutral" | "success" | "warning" | "error" | "info" {
  switch (status) {
    case "DRAFT":
      return "neutral";
    case "SUBMITTED":
    case "IN_REVIEW":
      return "info";
    case "NEEDS_INFO":
      return "warning";
    case "ACCEPTED":
    case "ACTIVE":
      return "success";
    case "DECLINED":
      return "error";
    case "COMPLETED":
      return "neutral";
  }
}
