// Next.js instrumentation: names the web app's metrics once per server process, and logs every error
// Next catches on the server (render, route handler, server action, proxy) as one JSON line through the
// portal's logger (server/observability/log.ts), with the digest shown to the user on the error page.
import type { Instrumentation } from "next";

export async function register(): Promise<void> {
  if (process.env.NEXT_RUNTIME === "nodejs") {
    const { initMetrics } = await import("./server/observability/metrics");
    initMetrics("web");
  }
}

export const onRequestError: Instrumentation.onRequestError = async (error, request, context) => {
  const digest = typeof error === "object" && error !== null && "digest" in error ? String(error.digest) : undefined;
  const fields = {
    digest,
    // Without the query string: tokens of invitation, reset and verification links travel there.
    path: request.path.split("?", 1)[0],
    method: request.method,
    routeType: context.routeType,
    routePath: context.routePath,
    error,
  };
  if (process.env.NEXT_RUNTIME === "nodejs") {
    const { createLogger } = await import("./server/observability/log");
    createLogger("web").error("request_error", fields);
  } else {
    // The edge runtime has no process.stdout; the same line through the console.
    const message = error instanceof Error ? { name: error.name, message: error.message } : { message: String(error) };
    console.error(JSON.stringify({ time: new Date().toISOString(), level: "error", service: "web", event: "request_error", ...fields, error: message }));
  }
};
