// Prometheus metrics of the portal's processes (web app, worker, control plane), on prom-client.
// Plain TypeScript without "server-only": a plain Node server outside Next loads this file as well as
// Next's server bundle (prom-client is a server external package there). Each process keeps exactly one
// registry on globalThis, so both copies of this module, if it is evaluated twice, record into the same
// metric objects and one /metrics shows everything.
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from "prom-client";

export type ServiceName = "web" | "worker" | "control-plane";

/** How a call to the control plane ended, as its caller saw it. */
export type CallOutcome = "ok" | "client_error" | "server_error" | "timeout" | "unreachable";

/** How a run of a worker job ended ("skipped": another replica held the job's lock). */
export type JobOutcome = "ok" | "error" | "skipped";

export interface PortalMetrics {
  registry: Registry;
  /** portal_http_request_duration_seconds{route, method, status} */
  httpRequestDuration: Histogram<"route" | "method" | "status">;
  /** portal_control_plane_calls_total{operation, outcome} */
  controlPlaneCalls: Counter<"operation" | "outcome">;
  /** portal_control_plane_call_duration_seconds{operation, outcome} */
  controlPlaneCallDuration: Histogram<"operation" | "outcome">;
  /** portal_job_queue_depth{queue} */
  jobQueueDepth: Gauge<"queue">;
  /** portal_job_runs_total{job, outcome} */
  jobRuns: Counter<"job" | "outcome">;
  /** portal_job_duration_seconds{job} */
  jobDuration: Histogram<"job">;
}

/** Request latency, 5 ms to 10 s. */
export const LATENCY_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];
/** Background jobs run longer: 10 ms to 10 minutes. */
export const JOB_BUCKETS = [0.01, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 300, 600];

/** A new, unshared set of the portal's metrics on `registry` (tests, or a second server in one process). */
export function createMetrics(registry: Registry = new Registry()): PortalMetrics {
  return {
    registry,
    httpRequestDuration: new Histogram({
      name: "portal_http_request_duration_seconds",
      help: "Time to answer an HTTP request, by route template, method and status.",
      labelNames: ["route", "method", "status"] as const,
      buckets: LATENCY_BUCKETS,
      registers: [registry],
    }),
    controlPlaneCalls: new Counter({
      name: "portal_control_plane_calls_total",
      help: "Calls to the control-plane API by operation and outcome (ok, client_error, server_error, timeout, unreachable).",
      labelNames: ["operation", "outcome"] as const,
      registers: [registry],
    }),
    controlPlaneCallDuration: new Histogram({
      name: "portal_control_plane_call_duration_seconds",
      help: "Duration of calls to the control-plane API by operation and outcome.",
      labelNames: ["operation", "outcome"] as const,
      buckets: LATENCY_BUCKETS,
      registers: [registry],
    }),
    jobQueueDepth: new Gauge({
      name: "portal_job_queue_depth",
      help: "Work waiting for the worker, by queue.",
      labelNames: ["queue"] as const,
      registers: [registry],
    }),
    jobRuns: new Counter({
      name: "portal_job_runs_total",
      help: "Runs of the worker's jobs by outcome (ok, error, skipped: another replica held the job's lock).",
      labelNames: ["job", "outcome"] as const,
      registers: [registry],
    }),
    jobDuration: new Histogram({
      name: "portal_job_duration_seconds",
      help: "Duration of the worker's job runs that did the work (not skipped ones).",
      labelNames: ["job"] as const,
      buckets: JOB_BUCKETS,
      registers: [registry],
    }),
  };
}

interface ProcessMetrics {
  metrics: PortalMetrics;
  service?: ServiceName;
}

const GLOBAL_KEY = Symbol.for("portal.metrics");

function processMetrics(): ProcessMetrics {
  const holder = globalThis as unknown as Record<symbol, ProcessMetrics | undefined>;
  let state = holder[GLOBAL_KEY];
  if (!state) {
    state = { metrics: createMetrics() };
    holder[GLOBAL_KEY] = state;
  }
  return state;
}

/** The process's metrics (one registry per process, however often this module is loaded). */
export function getMetrics(): PortalMetrics {
  return processMetrics().metrics;
}

/**
 * Names the process (`service` label on every metric) and starts the default process metrics (CPU,
 * memory, event loop lag, GC). Once per process; calling it again with the same name does nothing.
 */
export function initMetrics(service: ServiceName): PortalMetrics {
  const state = processMetrics();
  if (state.service === undefined) {
    state.service = service;
    state.metrics.registry.setDefaultLabels({ service });
    collectDefaultMetrics({ register: state.metrics.registry });
  } else if (state.service !== service) {
    throw new Error(`metrics of this process are already initialised as "${state.service}", not "${service}"`);
  }
  return state.metrics;
}

/** Seconds since `startedNs` (from process.hrtime.bigint()). */
export function secondsSince(startedNs: bigint): number {
  return Number(process.hrtime.bigint() - startedNs) / 1e9;
}

const KNOWN_METHODS = new Set(["GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"]);

/** An HTTP method as a label: the usual ones as they are, anything else "OTHER". */
export function methodLabel(method: string | undefined): string {
  const upper = (method ?? "GET").toUpperCase();
  return KNOWN_METHODS.has(upper) ? upper : "OTHER";
}

// ---------------------------------------------------------------------------------------------
// Route labels of the web app
// ---------------------------------------------------------------------------------------------

/**
 * Every route of the web app as a template (app/ without route groups), plus what Next and the
 * servers answer outside app/. normaliseRoute maps a concrete path onto one of these, so the route
 * label has a bounded set of values. observability tests keep this list in step with app/.
 */
export const ROUTE_TEMPLATES = [
  // app/(public)
  "/",
  "/dev/mailbox",
  "/dev/mailbox/[id]",
  "/dpa",
  "/forgot-password",
  "/invite",
  "/methodology",
  "/reset-password",
  "/sign-in",
  "/sign-up",
  "/sign-up/check-email",
  "/verify-email",
  // app/(portal), outside an organisation
  "/account",
  "/account/sessions",
  "/operator",
  "/operator/billing",
  "/operator/capacity",
  "/operator/catalogue",
  "/operator/deletions",
  "/operator/innovation",
  "/operator/innovation/[id]",
  "/operator/organisations",
  "/operator/organisations/[id]",
  "/orgs",
  // app/(portal)/[org]
  "/[org]",
  "/[org]/audit",
  "/[org]/audit/export",
  "/[org]/budgets",
  "/[org]/innovation",
  "/[org]/innovation/new",
  "/[org]/innovation/[id]",
  "/[org]/invoices",
  "/[org]/invoices/[id]",
  "/[org]/invoices/[id]/ehf",
  "/[org]/invoices/[id]/pdf",
  "/[org]/notebooks",
  "/[org]/notebooks/new",
  "/[org]/notebooks/[id]",
  "/[org]/settings",
  "/[org]/shapes",
  "/[org]/sovereignty",
  "/[org]/sovereignty/export",
  "/[org]/team",
  "/[org]/usage",
  "/[org]/usage/export",
  "/[org]/usage/statement",
  // app/api
  "/api/auth/[...nextauth]",
  "/api/orgs/[org]/notebooks",
  "/api/orgs/[org]/notebooks/[id]",
  // Served outside app/
  "/favicon.ico",
  "/healthz",
  "/readyz",
  "/metrics",
] as const;

/** Label of a path that matches no route (unknown pages, probes, typos): one value for all of them. */
export const UNMATCHED_ROUTE = "[unmatched]";

const ORG_SLUG = /^[a-z0-9-]{1,64}$/;

type Segment = { kind: "static"; value: string } | { kind: "org" } | { kind: "id" } | { kind: "catchAll" };

const compiled = ROUTE_TEMPLATES.map((template) => ({
  template,
  segments: template
    .split("/")
    .filter(Boolean)
    .map((part): Segment => {
      if (part === "[org]") return { kind: "org" };
      if (part.startsWith("[...")) return { kind: "catchAll" };
      if (part.startsWith("[")) return { kind: "id" };
      return { kind: "static", value: part };
    }),
}));

/** Rank of a segment kind: static beats a dynamic segment beats a catch-all, position by position (as Next routes). */
const RANK: Record<Segment["kind"], number> = { static: 0, org: 1, id: 1, catchAll: 2 };

function matches(segments: Segment[], parts: string[]): boolean {
  for (let i = 0; i < segments.length; i++) {
    const segment = segments[i]!;
    if (segment.kind === "catchAll") return i < parts.length;
    const part = parts[i];
    if (part === undefined) return false;
    if (segment.kind === "static" && segment.value !== part) return false;
    if (segment.kind === "org" && !ORG_SLUG.test(part)) return false;
    if (segment.kind === "id" && part.length > 200) return false;
  }
  return segments.length === parts.length;
}

function moreSpecific(a: Segment[], b: Segment[]): boolean {
  for (let i = 0; i < Math.min(a.length, b.length); i++) {
    const diff = RANK[a[i]!.kind] - RANK[b[i]!.kind];
    if (diff !== 0) return diff < 0;
  }
  return a.length > b.length;
}

/**
 * A concrete request path as a low-cardinality route label: `/helse-fjord/notebooks/ckx...` ->
 * `/[org]/notebooks/[id]`, `/api/orgs/helse-fjord/notebooks` -> `/api/orgs/[org]/notebooks`,
 * `/_next/static/chunks/app.js` -> `/_next/static`, `/fonts/inter.woff2` -> `/fonts`; anything that
 * is no route of the portal -> "[unmatched]". The query string and a trailing slash are ignored.
 */
export function normaliseRoute(pathname: string): string {
  const path = pathname.split(/[?#]/, 1)[0] ?? "";
  const parts = path.split("/").filter(Boolean);
  const [first, second] = parts;
  if (first === "_next") {
    if (second === "static" || second === "image") return `/_next/${second}`;
    return "/_next";
  }
  if (first === "fonts") return "/fonts";
  let best: (typeof compiled)[number] | undefined;
  for (const route of compiled) {
    if (!matches(route.segments, parts)) continue;
    if (!best || moreSpecific(route.segments, best.segments)) best = route;
  }
  return best?.template ?? UNMATCHED_ROUTE;
}
