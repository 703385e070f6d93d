// The worker's own small HTTP server for the platform (no auth; bind it to the pod network only):
// - GET /healthz  200 while every loop has completed a run recently, else 503 naming the stale loops
// - GET /readyz   200 when the database answers (SELECT 1), else 503
// - GET /metrics  Prometheus text format
// It is optional: a port already in use (or any other listen failure) is logged and the worker carries
// on without it; main.ts does not start it at all with WORKER_HTTP_PORT=0.
import * as http from "node:http";
import type { AddressInfo } from "node:net";
import { maskSecretsInText, type Logger } from "../server/observability/log";
import { methodLabel, type PortalMetrics } from "../server/observability/metrics";
import type { HealthReport } from "./scheduler";

export interface WorkerHttpOptions {
  /** 0: an ephemeral port (tests). */
  port: number;
  host: string;
  metrics: PortalMetrics;
  log: Logger;
  health: () => HealthReport;
  /** Resolves when the worker's dependencies answer; rejects with the reason otherwise. */
  ready: () => Promise<void>;
  /** Longest wait for `ready`, ms. Default 2000. */
  readyTimeoutMs?: number;
}

export interface RunningWorkerHttp {
  url: string;
  close(): Promise<void>;
}

const ROUTES = new Set(["/healthz", "/readyz", "/metrics"]);

/** Starts the server; null when it cannot listen (logged as a warning, never thrown). */
export async function startWorkerHttpServer(options: WorkerHttpOptions): Promise<RunningWorkerHttp | null> {
  const { metrics, log } = options;
  const readyTimeoutMs = options.readyTimeoutMs ?? 2000;

  async function answer(req: http.IncomingMessage, path: string): Promise<{ status: number; body: string; type: string }> {
    const json = (status: number, body: unknown) => ({ status, body: JSON.stringify(body), type: "application/json" });
    if (!ROUTES.has(path)) return json(404, { error: "not found" });
    if (req.method !== "GET" && req.method !== "HEAD") return json(405, { error: "method not allowed" });
    if (path === "/healthz") {
      const report = options.health();
      return json(report.ok ? 200 : 503, {
        status: report.ok ? "ok" : "stale",
        ...(report.ok ? {} : { stale: report.stale }),
        loops: report.loops.map((l) => ({ job: l.job, lastOutcome: l.lastOutcome, lastCompletedAt: l.lastCompletedAt, running: l.running, stale: l.stale })),
      });
    }
    if (path === "/readyz") {
      let timer: NodeJS.Timeout | undefined;
      try {
        await Promise.race([
          options.ready(),
          new Promise((_, reject) => {
            timer = setTimeout(() => reject(new Error(`no answer within ${readyTimeoutMs} ms`)), readyTimeoutMs);
          }),
        ]);
        return json(200, { status: "ready" });
      } catch (error) {
        log.warn("not_ready", { error });
        return json(503, { status: "unavailable", error: maskSecretsInText(error instanceof Error ? error.message : String(error)) });
      } finally {
        clearTimeout(timer);
      }
    }
    return { status: 200, body: await metrics.registry.metrics(), type: metrics.registry.contentType };
  }

  const server = http.createServer((req, res) => {
    const started = process.hrtime.bigint();
    const path = new URL(req.url ?? "/", "http://worker.invalid").pathname;
    answer(req, path)
      .catch((error: unknown) => {
        log.error("http_error", { path, error });
        return { status: 500, body: JSON.stringify({ error: "internal error" }), type: "application/json" };
      })
      .then(({ status, body, type }) => {
        res.writeHead(status, { "Content-Type": type, "Content-Length": Buffer.byteLength(body), "Cache-Control": "no-store", "X-Content-Type-Options": "nosniff" });
        res.end(req.method === "HEAD" ? undefined : body);
        metrics.httpRequestDuration.observe(
          { route: ROUTES.has(path) ? path : "[unmatched]", method: methodLabel(req.method), status: String(status) },
          Number(process.hrtime.bigint() - started) / 1e9,
        );
      })
      .catch(() => res.destroy());
  });

  const listening = await new Promise<boolean>((resolve) => {
    const onError = (error: NodeJS.ErrnoException) => {
      log.warn("http_unavailable", {
        port: options.port,
        host: options.host,
        reason: error.code === "EADDRINUSE" ? "the port is in use" : "cannot listen",
        error,
        note: "the worker keeps working without /healthz, /readyz and /metrics",
      });
      resolve(false);
    };
    server.once("error", onError);
    server.listen(options.port, options.host, () => {
      server.off("error", onError);
      resolve(true);
    });
  });
  if (!listening) return null;
  // After start-up, an error of the server (not of one request) is logged, never thrown.
  server.on("error", (error) => log.warn("http_error", { error }));

  const address = server.address() as AddressInfo;
  const host = address.family === "IPv6" ? `[${address.address}]` : address.address;
  const url = `http://${host}:${address.port}`;
  log.info("http_listening", { url });
  return {
    url,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
