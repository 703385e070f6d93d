// The typed client of the control-plane API: the one way the portal, its worker and the tests call it.
// - Every attempt has a timeout (AbortSignal.timeout); failures that may pass (network, timeout, 5xx)
//   are retried with full-jitter exponential backoff. Every operation of this API is safe to repeat:
//   GETs are reads, POST /workbenches carries an Idempotency-Key, start/stop/delete are idempotent by
//   state. A 4xx is never retried.
// - Every failure is one ControlPlaneError with a `kind`; responses are validated with zod, so a broken
//   server gives a clean `internal` error instead of bad data.
// - Every call (all its attempts together) is counted and timed by operation (the operationId of
//   openapi.json) and outcome: portal_control_plane_calls_total and
//   portal_control_plane_call_duration_seconds (server/observability/metrics.ts).
// Plain TypeScript without "server-only": usable from server actions, the worker, scripts and tests.
import type { z } from "zod";
import { getMetrics, type CallOutcome, type PortalMetrics } from "../server/observability/metrics";
import type {
  CapacityReport,
  ControlPlaneBackend,
  CreateWorkbenchRequest,
  Problem,
  Region,
  Shape,
  UsagePage,
  Workbench,
  WorkbenchEvent,
  WorkbenchImage,
} from "./api-types";
import {
  capacityReportSchema,
  eventListSchema,
  imageListSchema,
  problemSchema,
  regionListSchema,
  shapeListSchema,
  usagePageSchema,
  workbenchListSchema,
  workbenchSchema,
} from "./schemas";

export type ControlPlaneErrorKind = "unavailable" | "timeout" | "not_found" | "conflict" | "invalid" | "unauthorized" | "internal";

export class ControlPlaneError extends Error {
  constructor(
    readonly kind: ControlPlaneErrorKind,
    message: string,
    /** HTTP status, or null when no answer came (network error, timeout). */
    readonly status: number | null = null,
    /** The problem details the server sent, when it sent some. */
    readonly problem: Problem | null = null,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = "ControlPlaneError";
  }

  /** True when trying again later may succeed. */
  get retryable(): boolean {
    if (this.kind === "unavailable" || this.kind === "timeout") return true;
    // A 5xx may pass; a well-formed answer the client cannot understand will not.
    return this.kind === "internal" && this.status !== null && this.status >= 500;
  }
}

export interface ControlPlaneClientOptions {
  /** e.g. http://127.0.0.1:4010 */
  baseUrl: string;
  token: string;
  /** Per attempt, ms. Default 5000. */
  timeoutMs?: number;
  /** Further attempts after the first for retryable failures. Default 3. */
  retries?: number;
  /** Backoff: first delay cap in ms (doubles per attempt, full jitter). Default 200. */
  backoffBaseMs?: number;
  /** Backoff: largest delay cap in ms. Default 2000. */
  backoffMaxMs?: number;
  fetch?: typeof globalThis.fetch;
  /** Where calls are counted; default the process's metrics. */
  metrics?: PortalMetrics;
}

export type ControlPlaneClient = Omit<ControlPlaneBackend, "close">;

/** The operations of the API (operationId in openapi.json), the `operation` label of the call metrics. */
export type ControlPlaneOperation =
  | "listRegions"
  | "listShapes"
  | "listImages"
  | "createWorkbench"
  | "getWorkbench"
  | "listWorkbenches"
  | "startWorkbench"
  | "stopWorkbench"
  | "deleteWorkbench"
  | "listEvents"
  | "listUsage"
  | "getCapacity";

interface Call<T> {
  operation: ControlPlaneOperation;
  method: "GET" | "POST" | "DELETE";
  path: string;
  schema: z.ZodType<T>;
  body?: unknown;
  headers?: Record<string, string>;
  /** Safe to send again after a failure without an answer. */
  retrySafe: boolean;
  /** Statuses that count as success. */
  ok: number[];
}

function kindOfStatus(status: number): ControlPlaneErrorKind {
  if (status === 401 || status === 403) return "unauthorized";
  if (status === 404) return "not_found";
  if (status === 409) return "conflict";
  if (status === 408 || status === 504) return "timeout";
  if (status === 502 || status === 503) return "unavailable";
  if (status >= 400 && status < 500) return "invalid";
  return "internal";
}

/**
 * How a failed call ended for the metrics (a 2xx answer that validated is `ok`): an answer 4xx is
 * `client_error` (including a 404 that getWorkbench turns into null); 5xx or a malformed answer
 * `server_error`; no answer in time `timeout`; no connection or a dropped one `unreachable`.
 */
export function callOutcome(error: unknown): Exclude<CallOutcome, "ok"> {
  if (!(error instanceof ControlPlaneError)) return "server_error";
  if (error.status === null) return error.kind === "timeout" ? "timeout" : "unreachable";
  if (error.status >= 400 && error.status < 500) return "client_error";
  return "server_error";
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export function createControlPlaneClient(options: ControlPlaneClientOptions): ControlPlaneClient {
  const baseUrl = options.baseUrl.replace(/\/+$/, "");
  const timeoutMs = options.timeoutMs ?? 5000;
  const retries = Math.max(0, options.retries ?? 3);
  const baseDelay = options.backoffBaseMs ?? 200;
  const maxDelay = options.backoffMaxMs ?? 2000;
  const doFetch = options.fetch ?? globalThis.fetch;
  const metrics = options.metrics ?? getMetrics();

  /** One attempt: an answer that passes validation, or a ControlPlaneError. */
  async function attempt<T>(call: Call<T>): Promise<{ status: number; data: T }> {
    let response: Response;
    let text: string;
    try {
      response = await doFetch(`${baseUrl}${call.path}`, {
        method: call.method,
        headers: {
          Accept: "application/json, application/problem+json",
          Authorization: `Bearer ${options.token}`,
          ...(call.body !== undefined ? { "Content-Type": "application/json" } : {}),
          ...call.headers,
        },
        body: call.body !== undefined ? JSON.stringify(call.body) : undefined,
        signal: AbortSignal.timeout(timeoutMs),
        redirect: "error",
      });
      text = await response.text();
    } catch (error) {
      const name = (error as { name?: unknown } | null)?.name;
      if (name === "TimeoutError" || name === "AbortError") {
        throw new ControlPlaneError("timeout", `The control plane did not answer ${call.method} ${call.path} within ${timeoutMs} ms.`, null, null, { cause: error });
      }
      throw new ControlPlaneError("unavailable", `The control plane cannot be reached (${call.method} ${call.path}).`, null, null, { cause: error });
    }

    let body: unknown = undefined;
    try {
      body = text === "" ? undefined : JSON.parse(text);
    } catch {
      // handled below: not JSON
    }
    if (!call.ok.includes(response.status)) {
      const problem = problemSchema.safeParse(body);
      const details = problem.success ? problem.data : null;
      const message = details ? `${details.title}${details.detail ? `: ${details.detail}` : ""}` : `HTTP ${response.status}`;
      throw new ControlPlaneError(kindOfStatus(response.status), `${call.method} ${call.path}: ${message}`, response.status, details);
    }
    const parsed = call.schema.safeParse(body);
    if (!parsed.success) {
      const first = parsed.error.issues[0];
      throw new ControlPlaneError(
        "internal",
        `The control plane answered ${call.method} ${call.path} with an unexpected body${first ? ` (${first.path.join(".") || "body"}: ${first.message})` : ""}.`,
        response.status,
      );
    }
    return { status: response.status, data: parsed.data };
  }

  /** A call with its retries, counted and timed once as a whole. */
  async function request<T>(call: Call<T>): Promise<{ status: number; data: T }> {
    const started = process.hrtime.bigint();
    let outcome: CallOutcome = "ok";
    try {
      return await withRetries(call);
    } catch (error) {
      outcome = callOutcome(error);
      throw error;
    } finally {
      const labels = { operation: call.operation, outcome };
      metrics.controlPlaneCalls.inc(labels);
      metrics.controlPlaneCallDuration.observe(labels, Number(process.hrtime.bigint() - started) / 1e9);
    }
  }

  async function withRetries<T>(call: Call<T>): Promise<{ status: number; data: T }> {
    for (let n = 0; ; n++) {
      try {
        return await attempt(call);
      } catch (error) {
        const retry = error instanceof ControlPlaneError && error.retryable && call.retrySafe && n < retries;
        if (!retry) throw error;
        // Full jitter: a random delay between 0 and the capped exponential step.
        await sleep(Math.random() * Math.min(maxDelay, baseDelay * 2 ** n));
      }
    }
  }

  const id = (value: string) => encodeURIComponent(value);
  const get = async <T>(operation: ControlPlaneOperation, path: string, schema: z.ZodType<T>) =>
    (await request({ operation, method: "GET", path, schema, retrySafe: true, ok: [200] })).data;

  return {
    async listRegions(): Promise<Region[]> {
      return (await get("listRegions", "/v1/regions", regionListSchema)).regions;
    },
    async listShapes(): Promise<Shape[]> {
      return (await get("listShapes", "/v1/shapes", shapeListSchema)).shapes;
    },
    async listImages(): Promise<WorkbenchImage[]> {
      return (await get("listImages", "/v1/images", imageListSchema)).images;
    },
    async createWorkbench(idempotencyKey: string, body: CreateWorkbenchRequest): Promise<{ workbench: Workbench; created: boolean }> {
      const { status, data } = await request({
        operation: "createWorkbench",
        method: "POST",
        path: "/v1/workbenches",
        schema: workbenchSchema,
        body,
        headers: { "Idempotency-Key": idempotencyKey },
        retrySafe: true,
        ok: [200, 201],
      });
      return { workbench: data, created: status === 201 };
    },
    async getWorkbench(workbenchId: string): Promise<Workbench | null> {
      try {
        return await get("getWorkbench", `/v1/workbenches/${id(workbenchId)}`, workbenchSchema);
      } catch (error) {
        if (error instanceof ControlPlaneError && error.kind === "not_found") return null;
        throw error;
      }
    },
    async listWorkbenches(filter: { tenantId?: string; externalId?: string } = {}): Promise<Workbench[]> {
      const query = new URLSearchParams();
      if (filter.tenantId !== undefined) query.set("tenantId", filter.tenantId);
      if (filter.externalId !== undefined) query.set("externalId", filter.externalId);
      const qs = query.size > 0 ? `?${query}` : "";
      return (await get("listWorkbenches", `/v1/workbenches${qs}`, workbenchListSchema)).workbenches;
    },
    async startWorkbench(workbenchId: string): Promise<Workbench> {
      return (await request({ operation: "startWorkbench", method: "POST", path: `/v1/workbenches/${id(workbenchId)}/start`, schema: workbenchSchema, retrySafe: true, ok: [200] })).data;
    },
    async stopWorkbench(workbenchId: string): Promise<Workbench> {
      return (await request({ operation: "stopWorkbench", method: "POST", path: `/v1/workbenches/${id(workbenchId)}/stop`, schema: workbenchSchema, retrySafe: true, ok: [200] })).data;
    },
    async deleteWorkbench(workbenchId: string): Promise<Workbench> {
      return (await request({ operation: "deleteWorkbench", method: "DELETE", path: `/v1/workbenches/${id(workbenchId)}`, schema: workbenchSchema, retrySafe: true, ok: [202] })).data;
    },
    async listEvents(workbenchId: string): Promise<WorkbenchEvent[]> {
      return (await get("listEvents", `/v1/workbenches/${id(workbenchId)}/events`, eventListSchema)).events;
    },
    async listUsage(after: string | null = null, limit = 100): Promise<UsagePage> {
      const query = new URLSearchParams({ limit: String(limit) });
      if (after !== null) query.set("after", after);
      return get("listUsage", `/v1/usage?${query}`, usagePageSchema);
    },
    async getCapacity(): Promise<CapacityReport> {
      return get("getCapacity", "/v1/capacity", capacityReportSchema);
    },
  };
}
