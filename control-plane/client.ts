// The typed client of the control-plane API: the one way the portal, its worker and the tests call it.
// - Every attempt has a timeout (AbortSignal.timeout); failures that may pass (network, timeout, 5xx)
//   are retried with full-jitter exponential backoff. Every operation of this API is safe to repeat:
//   GETs are reads, POST /workbenches carries an Idempotency-Key, start/stop/delete are idempotent by
//   state. A 4xx is never retried.
// - Every failure is one ControlPlaneError with a `kind`; responses are validated with zod, so a broken
//   server gives a clean `internal` error instead of bad data.
// Plain TypeScript without "server-only": usable from server actions, the worker, scripts and tests.
import type { z } from "zod";
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
}

export type ControlPlaneClient = Omit<ControlPlaneBackend, "close">;

interface Call<T> {
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

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export function createControlPlaneClient(options: ControlPlaneClientOptions): ControlPlaneClient {
  const baseUrl = options.baseUrl.replace(/\/+$/, "");
  const timeoutMs = options.timeoutMs ?? 5000;
  const retries = Math.max(0, options.retries ?? 3);
  const baseDelay = options.backoffBaseMs ?? 200;
  const maxDelay = options.backoffMaxMs ?? 2000;
  const doFetch = options.fetch ?? globalThis.fetch;

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

  async function request<T>(call: Call<T>): Promise<{ status: number; data: T }> {
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
  const get = async <T>(path: string, schema: z.ZodType<T>) => (await request({ method: "GET", path, schema, retrySafe: true, ok: [200] })).data;

  return {
    async listRegions(): Promise<Region[]> {
      return (await get("/v1/regions", regionListSchema)).regions;
    },
    async listShapes(): Promise<Shape[]> {
      return (await get("/v1/shapes", shapeListSchema)).shapes;
    },
    async listImages(): Promise<WorkbenchImage[]> {
      return (await get("/v1/images", imageListSchema)).images;
    },
    async createWorkbench(idempotencyKey: string, body: CreateWorkbenchRequest): Promise<{ workbench: Workbench; created: boolean }> {
      const { status, data } = await request({
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
        return await get(`/v1/workbenches/${id(workbenchId)}`, workbenchSchema);
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
      return (await get(`/v1/workbenches${qs}`, workbenchListSchema)).workbenches;
    },
    async startWorkbench(workbenchId: string): Promise<Workbench> {
      return (await request({ method: "POST", path: `/v1/workbenches/${id(workbenchId)}/start`, schema: workbenchSchema, retrySafe: true, ok: [200] })).data;
    },
    async stopWorkbench(workbenchId: string): Promise<Workbench> {
      return (await request({ method: "POST", path: `/v1/workbenches/${id(workbenchId)}/stop`, schema: workbenchSchema, retrySafe: true, ok: [200] })).data;
    },
    async deleteWorkbench(workbenchId: string): Promise<Workbench> {
      return (await request({ method: "DELETE", path: `/v1/workbenches/${id(workbenchId)}`, schema: workbenchSchema, retrySafe: true, ok: [202] })).data;
    },
    async listEvents(workbenchId: string): Promise<WorkbenchEvent[]> {
      return (await get(`/v1/workbenches/${id(workbenchId)}/events`, eventListSchema)).events;
    },
    async listUsage(after: string | null = null, limit = 100): Promise<UsagePage> {
      const query = new URLSearchParams({ limit: String(limit) });
      if (after !== null) query.set("after", after);
      return get(`/v1/usage?${query}`, usagePageSchema);
    },
    async getCapacity(): Promise<CapacityReport> {
      return get("/v1/capacity", capacityReportSchema);
    },
  };
}
