// The control-plane HTTP API (openapi.json) on node:http, in front of any ControlPlaneBackend.
// - /healthz, /readyz: no auth, no faults. /notebook/{project}/{name}/lab: the page of a simulated
//   workbench (no auth, no faults; only for backends that simulate notebooks).
// - /metrics: Prometheus text format, no auth, no faults (server/observability/metrics.ts): request
//   latency by OpenAPI path template (portal_http_request_duration_seconds) and the outcome of every
//   /v1 operation (portal_control_plane_calls_total, portal_control_plane_call_duration_seconds).
// - /v1/*: bearer service token (constant-time comparison), zod-validated input (422 names the field),
//   RFC 9457 problem+json for every error, optional fault injection, one JSON log line per request.
import { createHash, randomUUID, timingSafeEqual } from "node:crypto";
import * as http from "node:http";
import type { AddressInfo, Socket } from "node:net";
import type { z } from "zod";
import type { ControlPlaneBackend, Problem, Workbench } from "./api-types";
import { formatLogLine } from "../server/observability/log";
import { getMetrics, methodLabel, type CallOutcome, type PortalMetrics } from "../server/observability/metrics";
import { isBackendError, problem, type ProblemCode } from "./errors";
import { createWorkbenchRequestSchema, idempotencyKeySchema, USAGE_PAGE_DEFAULT, usageQuerySchema, workbenchFilterSchema } from "./schemas";

export interface FaultConfig {
  /** Added delay before every /v1 request is handled, ms. */
  latencyMs?: number;
  /** Share of /v1 requests (0..1) answered 503 `unavailable`. */
  errorRate?: number;
  /** Share of /v1 requests (0..1) never answered: the socket is held open until the client gives up. */
  timeoutRate?: number;
  /** After the backend has persisted a new workbench, destroy the socket without answering. */
  crashAfterCreate?: boolean;
  /** Called after such a crash (the standalone process exits there when CP_FAULT_CRASH_EXIT=1). */
  onCrash?: () => void;
  /** Random source for the rates; default Math.random. */
  random?: () => number;
}

export interface ControlPlaneServerOptions {
  backend: ControlPlaneBackend;
  token: string;
  /** Default 0: an ephemeral port. */
  port?: number;
  /** Default 127.0.0.1. */
  host?: string;
  faults?: FaultConfig;
  /** One JSON line per request (and per unexpected error). Default stdout. */
  log?: (line: string) => void;
  /** Where requests are counted and timed; default the process's metrics. */
  metrics?: PortalMetrics;
}

export interface RunningControlPlaneServer {
  /** Base URL, e.g. http://127.0.0.1:4010 (no trailing slash). */
  url: string;
  close(): Promise<void>;
}

/** A backend that also serves simulated notebook pages (the simulated backend). */
export interface NotebookSimulator {
  recordNotebookActivity(project: string, name: string): Promise<Workbench | null>;
}

function isNotebookSimulator(backend: unknown): backend is NotebookSimulator {
  return typeof (backend as Partial<NotebookSimulator>).recordNotebookActivity === "function";
}

/** A backend that can check its own dependencies cheaply for /readyz. */
export interface ReadinessProbe {
  checkReady(): Promise<void>;
}

function hasReadinessProbe(backend: unknown): backend is ReadinessProbe {
  return typeof (backend as Partial<ReadinessProbe>).checkReady === "function";
}

/**
 * /readyz: the backend's dependencies answer. With a checkReady() that is it; otherwise the shapes with
 * live capacity, which read the simulated backend's database and the OpenShift backend's Kubernetes API
 * (nodes and pods). The catalogue (listRegions) must answer too.
 */
async function checkBackendReady(backend: ControlPlaneBackend): Promise<void> {
  await Promise.all([backend.listRegions(), hasReadinessProbe(backend) ? backend.checkReady() : backend.listShapes()]);
}

const MAX_BODY_BYTES = 64 * 1024;
const READY_TIMEOUT_MS = 2_000;
/** A held ("timeout") request is dropped after this long at the latest. */
const MAX_HOLD_MS = 5 * 60_000;

interface Reply {
  status: number;
  body?: unknown;
  headers?: Record<string, string>;
  contentType?: string;
}

/** What a handler may do instead of answering. */
type Outcome = Reply | "crash";

interface Context {
  req: http.IncomingMessage;
  params: string[];
  query: URLSearchParams;
}

class HttpProblem extends Error {
  constructor(
    readonly code: ProblemCode,
    readonly detail: string,
    readonly status?: number,
  ) {
    super(detail);
  }
}

const json = (status: number, body: unknown, headers?: Record<string, string>): Reply => ({ status, body, headers });

function problemReply(code: ProblemCode, detail?: string, status?: number): Reply {
  const body: Problem = problem(code, detail);
  if (status) body.status = status;
  return { status: body.status, body, contentType: "application/problem+json" };
}

function describeIssues(error: z.ZodError, prefix = ""): string {
  return error.issues
    .map((issue) => {
      const field = prefix + issue.path.map(String).join(".");
      return field ? `${field}: ${issue.message}` : issue.message;
    })
    .join("; ");
}

function parse<T>(schema: z.ZodType<T>, value: unknown, prefix = ""): T {
  const result = schema.safeParse(value);
  if (!result.success) throw new HttpProblem("validation", describeIssues(result.error, prefix));
  return result.data;
}

async function readJson(req: http.IncomingMessage): Promise<unknown> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > MAX_BODY_BYTES) throw new HttpProblem("validation", `The body is larger than ${MAX_BODY_BYTES / 1024} KB.`, 400);
    chunks.push(chunk);
  }
  const text = Buffer.concat(chunks).toString("utf8");
  if (text.trim() === "") throw new HttpProblem("validation", "The body must be a JSON object.", 400);
  try {
    return JSON.parse(text);
  } catch {
    throw new HttpProblem("validation", "The body is not valid JSON.", 400);
  }
}

/** Database and network failures of a backend are "try again later", not a bug. */
function isTransient(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  const transientCodes = ["ECONNREFUSED", "ECONNRESET", "ETIMEDOUT", "EPIPE", "57P01", "57P02", "57P03", "53300", "08000", "08001", "08003", "08006"];
  if (typeof code === "string" && transientCodes.includes(code)) return true;
  const message = error instanceof Error ? error.message : "";
  return /Connection terminated|timeout exceeded when trying to connect/i.test(message);
}

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (ch) => `&#${ch.charCodeAt(0)};`);
}

function notebookPage(workbench: Workbench | null): Reply {
  const running = workbench?.phase === "RUNNING";
  const title = running ? `${workbench.displayName} - JupyterLab (simulated)` : "Workbench not running - JupyterLab (simulated)";
  const body = running
    ? `<h1>JupyterLab (simulated)</h1>
<p>This is the simulated notebook of the workbench <strong>${escapeHtml(workbench.displayName)}</strong>
(<code>${escapeHtml(workbench.project)}/${escapeHtml(workbench.name)}</code>), shape <code>${escapeHtml(workbench.shapeId)}</code>
in region <code>${escapeHtml(workbench.regionId)}</code>.</p>
<p>Opening or reloading this page counts as activity: last activity ${escapeHtml(workbench.lastActivityAt ?? "-")}.</p>`
    : `<h1>JupyterLab (simulated)</h1>
<p>${workbench ? `This workbench is ${escapeHtml(workbench.phase.toLowerCase().replace("_", " "))}, not running.` : "There is no such workbench."}
Start it from the portal, then open it again.</p>`;
  const html = `<!doctype html>
<html lang="en">
<head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>${escapeHtml(title)}</title>
<style>body{font-family:system-ui,sans-serif;max-width:40rem;margin:2rem auto;padding:0 1rem;line-height:1.5;color:#1a1a1a;background:#fff}code{background:#f1f1f1;padding:0 .2rem}</style></head>
<body><main>
${body}
</main></body>
</html>
`;
  return { status: running ? 200 : 404, body: html, contentType: "text/html; charset=utf-8" };
}

export async function startControlPlaneServer(opts: ControlPlaneServerOptions): Promise<RunningControlPlaneServer> {
  const { backend } = opts;
  if (!opts.token) throw new Error("the control plane needs a non-empty service token");
  const expectedToken = createHash("sha256").update(opts.token).digest();
  const faults = opts.faults ?? {};
  const random = faults.random ?? Math.random;
  const log = opts.log ?? ((line: string) => process.stdout.write(line + "\n"));
  const metrics = opts.metrics ?? getMetrics();
  const held = new Set<http.ServerResponse>();
  /** Open sockets and how many requests each is serving, to close the quiet ones at shutdown. */
  const sockets = new Map<Socket, number>();
  let closing = false;

  function authorized(header: string | undefined): boolean {
    const match = /^Bearer\s+(\S+)\s*$/i.exec(header ?? "");
    // Compare fixed-length digests so that neither content nor length leaks through timing.
    const given = createHash("sha256")
      .update(match?.[1] ?? "")
      .digest();
    return timingSafeEqual(given, expectedToken) && match !== null;
  }

  async function workbenchOr404(id: string): Promise<Workbench> {
    const workbench = await backend.getWorkbench(id);
    if (!workbench) throw new HttpProblem("not_found", `No workbench with id "${id}".`);
    return workbench;
  }

  const routes: Array<{ method: string; pattern: RegExp; template: string; operation: string; handle: (ctx: Context) => Promise<Outcome> }> = [
    {
      method: "GET",
      pattern: /^\/v1\/regions$/,
      template: "/v1/regions",
      operation: "listRegions",
      handle: async () => json(200, { regions: await backend.listRegions() }),
    },
    {
      method: "GET",
      pattern: /^\/v1\/shapes$/,
      template: "/v1/shapes",
      operation: "listShapes",
      handle: async () => json(200, { shapes: await backend.listShapes() }),
    },
    {
      method: "GET",
      pattern: /^\/v1\/images$/,
      template: "/v1/images",
      operation: "listImages",
      handle: async () => json(200, { images: await backend.listImages() }),
    },
    {
      method: "POST",
      pattern: /^\/v1\/workbenches$/,
      template: "/v1/workbenches",
      operation: "createWorkbench",
      handle: async ({ req }) => {
        const key = parse(idempotencyKeySchema, req.headers["idempotency-key"], "Idempotency-Key header");
        const request = parse(createWorkbenchRequestSchema, await readJson(req));
        const { workbench, created } = await backend.createWorkbench(key, request);
        if (created && faults.crashAfterCreate) return "crash";
        return json(created ? 201 : 200, workbench, created ? { Location: `/v1/workbenches/${encodeURIComponent(workbench.id)}` } : undefined);
      },
    },
    {
      method: "GET",
      pattern: /^\/v1\/workbenches$/,
      template: "/v1/workbenches",
      operation: "listWorkbenches",
      handle: async ({ query }) => {
        const filter = parse(workbenchFilterSchema, Object.fromEntries(query));
        return json(200, { workbenches: await backend.listWorkbenches(filter) });
      },
    },
    {
      method: "GET",
      pattern: /^\/v1\/workbenches\/([^/]+)$/,
      template: "/v1/workbenches/{id}",
      operation: "getWorkbench",
      handle: async ({ params }) => json(200, await workbenchOr404(params[0] ?? "")),
    },
    {
      method: "POST",
      pattern: /^\/v1\/workbenches\/([^/]+)\/start$/,
      template: "/v1/workbenches/{id}/start",
      operation: "startWorkbench",
      handle: async ({ params }) => json(200, await backend.startWorkbench(params[0] ?? "")),
    },
    {
      method: "POST",
      pattern: /^\/v1\/workbenches\/([^/]+)\/stop$/,
      template: "/v1/workbenches/{id}/stop",
      operation: "stopWorkbench",
      handle: async ({ params }) => json(200, await backend.stopWorkbench(params[0] ?? "")),
    },
    {
      method: "DELETE",
      pattern: /^\/v1\/workbenches\/([^/]+)$/,
      template: "/v1/workbenches/{id}",
      operation: "deleteWorkbench",
      handle: async ({ params }) => json(202, await backend.deleteWorkbench(params[0] ?? "")),
    },
    {
      method: "GET",
      pattern: /^\/v1\/workbenches\/([^/]+)\/events$/,
      template: "/v1/workbenches/{id}/events",
      operation: "listEvents",
      handle: async ({ params }) => json(200, { events: await backend.listEvents(params[0] ?? "") }),
    },
    {
      method: "GET",
      pattern: /^\/v1\/usage$/,
      template: "/v1/usage",
      operation: "listUsage",
      handle: async ({ query }) => {
        const q = parse(usageQuerySchema, Object.fromEntries(query));
        return json(200, await backend.listUsage(q.after ?? null, q.limit ?? USAGE_PAGE_DEFAULT));
      },
    },
    {
      method: "GET",
      pattern: /^\/v1\/capacity$/,
      template: "/v1/capacity",
      operation: "getCapacity",
      handle: async () => json(200, await backend.getCapacity()),
    },
  ];

  async function route(req: http.IncomingMessage, url: URL, note: (fault: string) => void): Promise<Outcome | "hold"> {
    const path = url.pathname;
    const method = req.method ?? "GET";

    if (path === "/healthz" && method === "GET") return json(200, { status: "ok" });
    if (path === "/metrics" && method === "GET") {
      return { status: 200, body: await metrics.registry.metrics(), contentType: metrics.registry.contentType };
    }
    if (path === "/readyz" && method === "GET") {
      try {
        await Promise.race([
          checkBackendReady(backend),
          new Promise((_, reject) => setTimeout(() => reject(new Error("readiness check timed out")), READY_TIMEOUT_MS).unref()),
        ]);
        return json(200, { status: "ready" });
      } catch (error) {
        return problemReply("unavailable", `The backend is not ready: ${error instanceof Error ? error.message : String(error)}`);
      }
    }
    const notebook = /^\/notebook\/([^/]+)\/([^/]+)\/lab\/?$/.exec(path);
    if (notebook && method === "GET") {
      if (!isNotebookSimulator(backend)) return notebookPage(null);
      return notebookPage(await backend.recordNotebookActivity(decodeURIComponent(notebook[1] ?? ""), decodeURIComponent(notebook[2] ?? "")));
    }
    if (!path.startsWith("/v1/")) return problemReply("not_found", `No route for ${method} ${path}.`);

    // Faults act like a sick server or network: before authentication, on /v1 only.
    if (faults.latencyMs && faults.latencyMs > 0) await new Promise((resolve) => setTimeout(resolve, faults.latencyMs));
    if (faults.timeoutRate && random() < faults.timeoutRate) {
      note("timeout");
      return "hold";
    }
    if (faults.errorRate && random() < faults.errorRate) {
      note("error");
      return problemReply("unavailable", "Injected fault: the control plane is temporarily unavailable.");
    }

    if (!authorized(req.headers.authorization)) {
      const reply = problemReply("unauthorized", "Send the service token as 'Authorization: Bearer <token>'.");
      reply.headers = { "WWW-Authenticate": 'Bearer realm="control-plane"' };
      return reply;
    }
    for (const r of routes) {
      if (r.method !== method) continue;
      const match = r.pattern.exec(path);
      if (!match) continue;
      let params: string[];
      try {
        params = match.slice(1).map((p) => decodeURIComponent(p ?? ""));
      } catch {
        return problemReply("not_found", `No route for ${method} ${path}.`);
      }
      return r.handle({ req, params, query: url.searchParams });
    }
    return problemReply("not_found", `No route for ${method} ${path}.`);
  }

  function send(res: http.ServerResponse, reply: Reply, requestId: string): void {
    const isText = typeof reply.body === "string";
    const payload = reply.body === undefined ? "" : isText ? (reply.body as string) : JSON.stringify(reply.body);
    const headers: Record<string, string> = {
      "Content-Type": reply.contentType ?? "application/json",
      "Content-Length": String(Buffer.byteLength(payload)),
      "Cache-Control": "no-store",
      "X-Content-Type-Options": "nosniff",
      "X-Request-Id": requestId,
      ...reply.headers,
    };
    if (reply.contentType?.startsWith("text/html")) {
      headers["Content-Security-Policy"] = "default-src 'none'; style-src 'unsafe-inline'; frame-ancestors 'none'";
      headers["Referrer-Policy"] = "no-referrer";
    }
    res.writeHead(reply.status, headers);
    res.end(payload);
  }

  /** The OpenAPI path template of a request (a bounded label) and, for /v1, its operationId. */
  function templateOf(method: string, path: string): { template: string; operation?: string } {
    if (path === "/healthz" || path === "/readyz" || path === "/metrics") return { template: path };
    if (/^\/notebook\/[^/]+\/[^/]+\/lab\/?$/.test(path)) return { template: "/notebook/{project}/{name}/lab" };
    const exact = routes.find((r) => r.method === method && r.pattern.test(path));
    if (exact) return { template: exact.template, operation: exact.operation };
    const other = routes.find((r) => r.pattern.test(path));
    return { template: other?.template ?? "[unmatched]" };
  }

  /**
   * What a /v1 operation came to, as its caller got it: ok (2xx), client_error (4xx), server_error (5xx,
   * injected 503s included), unreachable (the backend's database or cluster could not be reached, answered
   * 503; or the connection was dropped by the crash fault), timeout (held by the timeout fault).
   */
  function outcomeOf(status: number | null, fault: string | undefined, backendUnreachable: boolean): CallOutcome {
    if (fault === "timeout") return "timeout";
    if (fault === "crash-after-create" || backendUnreachable) return "unreachable";
    if (status === null) return "unreachable";
    if (status >= 500) return "server_error";
    if (status >= 400) return "client_error";
    return "ok";
  }

  async function handle(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    const started = performance.now();
    const incomingId = req.headers["x-request-id"];
    const requestId = typeof incomingId === "string" && /^[\w.:-]{1,100}$/.test(incomingId) ? incomingId : randomUUID();
    const url = new URL(req.url ?? "/", "http://control-plane.invalid");
    let fault: string | undefined;
    let errorMessage: string | undefined;
    let backendUnreachable = false;
    const socket = req.socket;
    sockets.set(socket, (sockets.get(socket) ?? 0) + 1);
    res.once("close", () => {
      held.delete(res);
      const active = (sockets.get(socket) ?? 1) - 1;
      if (sockets.has(socket)) sockets.set(socket, active);
      if (closing && active === 0) socket.destroy();
      const seconds = (performance.now() - started) / 1000;
      const status = res.headersSent ? res.statusCode : null;
      const { template, operation } = templateOf(req.method ?? "GET", url.pathname);
      metrics.httpRequestDuration.observe({ route: template, method: methodLabel(req.method), status: status === null ? "none" : String(status) }, seconds);
      if (operation) {
        const labels = { operation, outcome: outcomeOf(status, fault, backendUnreachable) };
        metrics.controlPlaneCalls.inc(labels);
        metrics.controlPlaneCallDuration.observe(labels, seconds);
      }
      log(
        formatLogLine("control-plane", status !== null && status >= 500 ? "error" : "info", "request", {
          msg: "request",
          requestId,
          method: req.method,
          path: url.pathname,
          status,
          durationMs: Math.round(seconds * 10_000) / 10,
          ...(fault ? { fault } : {}),
          ...(errorMessage ? { error: errorMessage } : {}),
        }),
      );
    });

    let outcome: Outcome | "hold";
    try {
      outcome = await route(req, url, (f) => (fault = f));
    } catch (error) {
      if (error instanceof HttpProblem) outcome = problemReply(error.code, error.detail, error.status);
      else if (isBackendError(error)) outcome = problemReply(error.code, error.message);
      else if (isTransient(error)) {
        backendUnreachable = true;
        errorMessage = error instanceof Error ? error.message : String(error);
        outcome = problemReply("unavailable", "The control plane cannot reach its backend right now; try again shortly.");
      } else {
        errorMessage = error instanceof Error ? (error.stack ?? error.message) : String(error);
        outcome = problemReply("internal", `Unexpected error (request ${requestId}).`);
      }
    }

    if (outcome === "hold") {
      held.add(res);
      setTimeout(() => res.destroy(), MAX_HOLD_MS).unref();
      return;
    }
    if (outcome === "crash") {
      fault = "crash-after-create";
      req.socket.destroy();
      faults.onCrash?.();
      return;
    }
    if (!res.destroyed) send(res, outcome, requestId);
  }

  const server = http.createServer((req, res) => void handle(req, res));
  server.on("connection", (socket: Socket) => {
    sockets.set(socket, 0);
    socket.once("close", () => sockets.delete(socket));
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(opts.port ?? 0, opts.host ?? "127.0.0.1", () => {
      server.off("error", reject);
      resolve();
    });
  });
  const address = server.address() as AddressInfo;
  const host = address.family === "IPv6" ? `[${address.address}]` : address.address;

  return {
    url: `http://${host}:${address.port}`,
    async close() {
      closing = true;
      for (const res of held) res.destroy();
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      // Quiet keep-alive (or never used) connections go now; requests in progress get 5 s to finish.
      for (const [socket, active] of sockets) if (active === 0) socket.destroy();
      const force = setTimeout(() => server.closeAllConnections(), 5_000);
      await closed;
      clearTimeout(force);
    },
  };
}
