// Query keys and fetchers for notebook data.
import type { NotebookView } from "@/server/notebooks/queries";
import type { WorkbenchEvent } from "@/control-plane/api-types";

export const notebookKeys = {
  list: (org: string) => ["notebooks", org] as const,
  detail: (org: string, id: string) => ["notebooks", org, id] as const,
};

export interface NotebookDetailData {
  notebook: NotebookView;
  events: WorkbenchEvent[];
  eventsAvailable: boolean;
}

async function getJson<T>(url: string): Promise<T> {
  const response = await fetch(url, { headers: { accept: "application/json" }, cache: "no-store" });
  if (!response.ok) throw new Error(`HTTP ${response.status}`);
  return (await response.json()) as T;
}

export const fetchNotebooks = (org: string) => getJson<{ notebooks: NotebookView[] }>(`/api/orgs/${org}/notebooks`);
export const fetchNotebook = (org: string, id: string) => getJson<NotebookDetailData>(`/api/orgs/${org}/notebooks/${id}`);

/** Poll fast while something is changing, slowly once everything has settled. */
export function pollInterval(statuses: string[]): number {
  return statuses.some((s) => !["RUNNING", "STOPPED", "FAILED", "DELETED", "LOST"].includes(s)) ? 2000 : 10000;
}
