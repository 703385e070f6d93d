// The production web server: Next.js behind a plain Node HTTP server that adds what a platform needs.
//
//   node --import tsx server/http/serve.ts          (after `next build`)
//
// - GET /healthz  liveness: the process answers (no database, no rendering).
// - GET /readyz   readiness: PostgreSQL answers `SELECT 1` and the server is not draining.
// - Prometheus metrics on their own port (METRICS_PORT, default 9464; "0" turns it off), never on the
//   public one: request latency per route, control-plane call outcomes and process figures.
// - WEB_CONCURRENCY > 1 runs that many server processes on one port (Node cluster), for machines where
//   one pod has several cores; on Kubernetes prefer one process per pod and let the autoscaler add pods.
// - SIGTERM drains: readiness turns 503, the listener closes, in-flight requests finish (at most
//   SHUTDOWN_GRACE_MS, default 20 s), then the process exits.
// - JSON log lines: start, stop, errors, 5xx answers and slow requests (> SLOW_REQUEST_MS, default 2000).
// - Bad requests that Next.js would answer with 500 are answered 400 (an undecodable path, a server action
//   payload no browser sends) or 413 (a server action body over 1 MB).
import cluster from "node:cluster";
import http from "node:http";
import * as os from "node:os";
import * as path from "node:path";
import { fileURLToPath } from "node:url";
import next from "next";
import pg from "pg";
import { AggregatorRegistry } from "prom-client";
import { getMetrics, initMetrics, methodLabel, normaliseRoute } from "../observability/metrics";
import { createLogger } from "../observability/log";

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..", "..");
const log = createLogger("web");

const PORT = intEnv("PORT", 3000);
const HOST = process.env.HOSTNAME ?? process.env.HOST ?? "0.0.0.0";
const METRICS_PORT = intEnv("METRICS_PORT", 9464);
const METRICS_HOST = process.env.METRICS_HOST ?? HOST;
const SHUTDOWN_GRACE_MS = intEnv("SHUTDOWN_GRACE_MS", 20_000);
const SLOW_REQUEST_MS = intEnv("SLOW_REQUEST_MS", 2_000);
const CONCURRENCY = concurrency();

function intEnv(name: string, fallback: number): number {
  const raw = process.env[name];
  if (raw === undefined || raw === "") return fallback;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 0) throw new Error(`${name} must be a non-negative integer, not "${raw}"`);
  return n;
}

function concurrency(): number {
  const raw = process.env.WEB_CONCURRENCY;
  if (raw === "auto") return Math.max(1, os.availableParallelism());
  return Math.max(1, intEnv("WEB_CONCURRENCY", 1));
}

// ---------------------------------------------------------------------------------------------
// Metrics listener (primary process, or the only one)
// ---------------------------------------------------------------------------------------------

function serveMetrics(collect: () => Promise<{ body: string; contentType: string }>): void {
  if (METRICS_PORT === 0) return;
  const server = http.createServer((req, res) => {
    if (req.method !== "GET" || (req.url ?? "").split("?")[0] !== "/metrics") {
      res.writeHead(404, { "content-type": "text/plain" }).end("not found\n");
      return;
    }
    collect().then(
      ({ body, contentType }) => res.writeHead(200, { "content-type": contentType }).end(body),
      (error: unknown) => {
        log.error("metrics_failed", { error });
        res.writeHead(500, { "content-type": "text/plain" }).end("metrics unavailable\n");
      },
    );
  });
  server.on("error", (error: NodeJS.ErrnoException) => log.warn("metrics_listen_failed", { port: METRICS_PORT, code: error.code, error }));
  server.listen(METRICS_PORT, METRICS_HOST, () => log.info("metrics_listening", { port: METRICS_PORT, host: METRICS_HOST }));
  server.unref();
}

// ---------------------------------------------------------------------------------------------
// Primary of a cluster: forks the servers, restarts a crashed one, aggregates their metrics
// ---------------------------------------------------------------------------------------------

function runPrimary(): void {
  initMetrics("web");
  const aggregator = new AggregatorRegistry();
  serveMetrics(async () => ({ body: await aggregator.clusterMetrics(), contentType: aggregator.contentType }));
  let stopping = false;
  const started = new Map<number, number>();
  const fork = () => {
    const worker = cluster.fork();
    started.set(worker.id, Date.now());
  };
  for (let i = 0; i < CONCURRENCY; i++) fork();
  cluster.on("exit", (worker, code, signal) => {
    const lived = Date.now() - (started.get(worker.id) ?? Date.now());
    started.delete(worker.id);
    if (stopping) {
      if (Object.keys(cluster.workers ?? {}).length === 0) process.exit(0);
      return;
    }
    log.error("server_process_exited", { pid: worker.process.pid, code, signal, livedMs: lived });
    // A process that dies at once would die again: give up rather than loop.
    if (lived < 5_000) {
      log.error("server_process_crash_loop", { message: "a server process exited within 5 s of starting; stopping" });
      process.exit(1);
    }
    fork();
  });
  const stop = (signal: NodeJS.Signals) => {
    if (stopping) return;
    stopping = true;
    log.info("stopping", { signal, processes: CONCURRENCY });
    for (const worker of Object.values(cluster.workers ?? {})) worker?.process.kill("SIGTERM");
    setTimeout(() => process.exit(1), SHUTDOWN_GRACE_MS + 5_000).unref();
  };
  process.on("SIGTERM", () => stop("SIGTERM"));
  process.on("SIGINT", () => stop("SIGINT"));
  log.info("cluster_started", { processes: CONCURRENCY, port: PORT });
}

// ---------------------------------------------------------------------------------------------
// A server process
// ---------------------------------------------------------------------------------------------

/** `SELECT 1` on a one-connection pool, remembered for a second so probes never pile up. */
function readinessCheck(): () => Promise<boolean> {
  const url = process.env.DATABASE_URL;
  const pool = url ? new pg.Pool({ connectionString: url, max: 1, connectionTimeoutMillis: 2_000, idleTimeoutMillis: 30_000, allowExitOnIdle: true }) : undefined;
  pool?.on("error", () => {}); // a dropped idle connection is reported by the next check
  let last: { at: number; ok: boolean } | undefined;
  let pending: Promise<boolean> | undefined;
  return async () => {
    if (!pool) return false;
    if (last && Date.now() - last.at < 1_000) return last.ok;
    pending ??= pool
      .query({ text: "SELECT 1", query_timeout: 2_000 } as pg.QueryConfig)
      .then(() => true, () => false)
      .then((ok) => {
        last = { at: Date.now(), ok };
        pending = undefined;
        return ok;
      });
    return pending;
  };
}

/** Next.js's own limit for server action bodies (it answers 500 beyond it; we answer 413 first). */
const ACTION_BODY_LIMIT = 1024 * 1024;

/**
 * 413 for a body over the limit. The body is read and dropped first (up to 16 MB): answering while the
 * client is still sending would make it see a reset connection instead of the answer.
 */
function refuseTooLarge(req: http.IncomingMessage, res: http.ServerResponse): void {
  let received = 0;
  const answer = () => {
    if (!res.headersSent) res.writeHead(413, { "content-type": "text/plain; charset=utf-8" }).end("The form is too large.\n");
  };
  req.on("data", (chunk: Buffer) => {
    received += chunk.length;
    if (received > 16 * ACTION_BODY_LIMIT && !res.headersSent) {
      res.writeHead(413, { "content-type": "text/plain; charset=utf-8", connection: "close" }).end("The form is too large.\n", () => req.socket.destroy());
    }
  });
  req.once("end", answer);
  req.once("error", () => req.socket.destroy());
}

function wellFormedPath(pathname: string): boolean {
  try {
    decodeURIComponent(pathname);
    return true;
  } catch {
    return false;
  }
}

/**
 * The portal's server actions never throw for expected failures (they return a message; see
 * server/actions/define.ts), so when Next.js answers a server action with 500 the request could not be
 * decoded (a payload no browser sends) or something failed that must be looked into. The client gets 400
 * either way, and the failure is logged as an error with the action id.
 */
function answerActionFailuresAsBadRequest(req: http.IncomingMessage, res: http.ServerResponse): void {
  const writeHead = res.writeHead.bind(res) as (...args: unknown[]) => http.ServerResponse;
  res.writeHead = ((status: number, ...rest: unknown[]) => {
    if (status === 500) {
      log.error("action_failed", { action: String(req.headers["next-action"] ?? "form post").slice(0, 64), route: normaliseRoute((req.url ?? "/").split("?")[0] ?? "/"), answered: 400 });
      res.statusCode = 400;
      return writeHead(400, ...rest);
    }
    return writeHead(status, ...rest);
  }) as typeof res.writeHead;
}

async function runServer(): Promise<void> {
  initMetrics("web");
  const metrics = getMetrics();
  if (cluster.isWorker) AggregatorRegistry.setRegistries([metrics.registry]);
  else serveMetrics(async () => ({ body: await metrics.registry.metrics(), contentType: metrics.registry.contentType }));

  const app = next({ dev: false, dir: ROOT, hostname: HOST === "0.0.0.0" ? "localhost" : HOST, port: PORT });
  const handle = app.getRequestHandler();
  await app.prepare();
  const ready = readinessCheck();
  let draining = false;

  const server = http.createServer((req, res) => {
    const url = req.url ?? "/";
    const pathname = url.split("?")[0] ?? "/";
    if (pathname === "/healthz") {
      res.writeHead(200, { "content-type": "application/json", "cache-control": "no-store" }).end('{"status":"ok"}');
      return;
    }
    if (pathname === "/readyz") {
      void ready().then((ok) => {
        const up = ok && !draining;
        res
          .writeHead(up ? 200 : 503, { "content-type": "application/json", "cache-control": "no-store" })
          .end(JSON.stringify({ status: up ? "ok" : "unavailable", database: ok ? "ok" : "unreachable", draining }));
      });
      return;
    }
    if (!wellFormedPath(pathname)) {
      // Next.js answers 500 to a path it cannot decode (e.g. "/%"): it is the client's mistake.
      res.writeHead(400, { "content-type": "text/plain; charset=utf-8" }).end("Bad request: the address is not valid.\n");
      return;
    }
    // A POST to a page is a server action: fetched (Next-Action header) or a form posted without JavaScript.
    if (req.method === "POST" && (req.headers["next-action"] !== undefined || !pathname.startsWith("/api/"))) {
      if (Number(req.headers["content-length"] ?? 0) > ACTION_BODY_LIMIT) {
        refuseTooLarge(req, res);
        return;
      }
      answerActionFailuresAsBadRequest(req, res);
    }
    const started = process.hrtime.bigint();
    res.once("finish", () => {
      const seconds = Number(process.hrtime.bigint() - started) / 1e9;
      const route = normaliseRoute(pathname);
      const status = res.statusCode;
      metrics.httpRequestDuration.observe({ route, method: methodLabel(req.method), status: String(status) }, seconds);
      if (status >= 500 || seconds * 1000 > SLOW_REQUEST_MS) {
        log[status >= 500 ? "error" : "warn"](status >= 500 ? "request_failed" : "request_slow", { method: req.method, route, status, ms: Math.round(seconds * 1000) });
      }
    });
    handle(req, res).catch((error: unknown) => {
      log.error("request_unhandled", { method: req.method, route: normaliseRoute(pathname), error });
      if (!res.headersSent) res.writeHead(500, { "content-type": "text/plain" });
      res.end();
    });
  });
  server.keepAliveTimeout = 65_000; // longer than typical load balancer idle timeouts
  server.headersTimeout = 66_000;
  server.on("error", (error) => {
    log.error("listen_failed", { port: PORT, host: HOST, error });
    process.exit(1);
  });
  server.listen(PORT, HOST, () => log.info("listening", { port: PORT, host: HOST, pid: process.pid }));

  const stop = (signal: NodeJS.Signals) => {
    if (draining) return;
    draining = true;
    log.info("draining", { signal, pid: process.pid });
    server.close(() => process.exit(0));
    server.closeIdleConnections();
    setTimeout(() => {
      log.warn("drain_timeout", { graceMs: SHUTDOWN_GRACE_MS });
      process.exit(0);
    }, SHUTDOWN_GRACE_MS).unref();
  };
  process.on("SIGTERM", () => stop("SIGTERM"));
  process.on("SIGINT", () => stop("SIGINT"));
}

(process.env as Record<string, string | undefined>).NODE_ENV ??= "production";
// The TypeScript loader turns on source maps for stack traces; Next's own bundles do not need them, and
// with them every Error created while rendering (redirects, not-found) costs a source map lookup.
process.setSourceMapsEnabled(false);
process.env.NEXT_TELEMETRY_DISABLED ??= "1";
if (CONCURRENCY > 1 && cluster.isPrimary) runPrimary();
else
  await runServer().catch((error: unknown) => {
    log.error("start_failed", { error });
    process.exit(1);
  });
