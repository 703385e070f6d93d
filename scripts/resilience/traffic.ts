// Every request a scenario makes, with its answer and whether the flow expected it: the source of the
// "no unexpected responses" checks and of the latency figures.
import { percentile } from "../lib/harness";

export type RequestKind = "page" | "api" | "action" | "probe";

export interface RequestRecord {
  /** ms since the recorder was created, when the request was sent */
  at: number;
  kind: RequestKind;
  /** Route pattern, e.g. "GET /[org]/notebooks/[id]" or "action launchNotebookAction". */
  label: string;
  /** HTTP status; 0 when there was no answer (connection refused or reset, timeout). */
  status: number;
  ms: number;
  expected: boolean;
  /** Scenario-defined phase ("steady", "down", "recovering", ...). */
  phase: string;
  /** For unexpected answers: what was asked and what came back. */
  detail?: string;
  /** Where the answer sent the browser (Location of a page, x-action-redirect of an action). */
  redirect?: string;
}

export class Traffic {
  readonly records: RequestRecord[] = [];
  readonly started = performance.now();
  phase = "steady";

  now(): number {
    return performance.now() - this.started;
  }

  add(record: Omit<RequestRecord, "phase" | "at"> & { at?: number; phase?: string }): RequestRecord {
    const full: RequestRecord = { ...record, at: record.at ?? this.now() - record.ms, phase: record.phase ?? this.phase };
    this.records.push(full);
    return full;
  }

  select(filter: (r: RequestRecord) => boolean = () => true): RequestRecord[] {
    return this.records.filter(filter);
  }

  unexpected(filter: (r: RequestRecord) => boolean = () => true): RequestRecord[] {
    return this.records.filter((r) => !r.expected && filter(r));
  }

  /** Requests, answers by status, and latency per kind. */
  summary(filter: (r: RequestRecord) => boolean = () => true) {
    const rows = this.select(filter);
    const byStatus: Record<string, number> = {};
    for (const r of rows) byStatus[String(r.status)] = (byStatus[String(r.status)] ?? 0) + 1;
    const byKind: Record<string, { requests: number; p50Ms: number; p95Ms: number; maxMs: number }> = {};
    for (const kind of new Set(rows.map((r) => r.kind))) {
      const ms = rows.filter((r) => r.kind === kind).map((r) => r.ms);
      byKind[kind] = { requests: ms.length, p50Ms: Math.round(percentile(ms, 50)), p95Ms: Math.round(percentile(ms, 95)), maxMs: Math.round(Math.max(...ms)) };
    }
    return { requests: rows.length, unexpected: rows.filter((r) => !r.expected).length, byStatus, byKind };
  }

  /** The first unexpected answers, one line each, for the report. */
  describeUnexpected(limit = 15, filter: (r: RequestRecord) => boolean = () => true): string[] {
    const bad = this.unexpected(filter);
    const lines = bad.slice(0, limit).map((r) => `${(r.at / 1000).toFixed(1)}s [${r.phase}] ${r.label} -> ${r.status || "no answer"} (${Math.round(r.ms)} ms)${r.detail ? `: ${r.detail}` : ""}`);
    if (bad.length > limit) lines.push(`... and ${bad.length - limit} more`);
    return lines;
  }
}
