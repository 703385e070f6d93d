// Route labels (kept in step with app/) and the one registry per process.
import { readdirSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it, vi } from "vitest";
import { createMetrics, getMetrics, initMetrics, methodLabel, normaliseRoute, ROUTE_TEMPLATES, UNMATCHED_ROUTE } from "./metrics";

const appDir = fileURLToPath(new URL("../../app", import.meta.url));

/** Every page and route handler under app/ as a URL template: route groups dropped, private folders skipped. */
function appRoutes(dir = appDir, prefix = ""): string[] {
  const found: string[] = [];
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    if (entry.isDirectory()) {
      if (entry.name.startsWith("_")) continue;
      const segment = /^\(.*\)$/.test(entry.name) ? "" : `/${entry.name}`;
      found.push(...appRoutes(path.join(dir, entry.name), prefix + segment));
    } else if (/^(page|route)\.(tsx?|jsx?)$/.test(entry.name)) {
      found.push(prefix || "/");
    }
  }
  return found;
}

/** A concrete path for a template: what a browser would request. */
function example(template: string): string {
  return template
    .replace("[org]", "helse-fjord")
    .replace("[...nextauth]", "callback/oidc")
    .replace("[id]", "cm8z1k2q30000abcd1234efgh");
}

describe("normaliseRoute", () => {
  it("knows every page and route handler of app/", () => {
    const routes = appRoutes();
    expect(routes.length).toBeGreaterThan(40);
    for (const route of routes) {
      expect(ROUTE_TEMPLATES, `add ${route} to ROUTE_TEMPLATES in server/observability/metrics.ts`).toContain(route);
      expect(normaliseRoute(example(route)), route).toBe(route);
    }
  });

  it("turns organisations and ids into placeholders", () => {
    expect(normaliseRoute("/helse-fjord/notebooks/ckxyz0123456789abcdefghij")).toBe("/[org]/notebooks/[id]");
    expect(normaliseRoute("/helse-fjord/notebooks/3f2b8c1e-9a4d-4e1f-8b2a-0c6d5e4f3a21")).toBe("/[org]/notebooks/[id]");
    expect(normaliseRoute("/helse-fjord/invoices/42/pdf")).toBe("/[org]/invoices/[id]/pdf");
    expect(normaliseRoute("/api/orgs/nordic-bank/notebooks/cm1")).toBe("/api/orgs/[org]/notebooks/[id]");
    expect(normaliseRoute("/operator/organisations/cm8z1k2q3")).toBe("/operator/organisations/[id]");
    expect(normaliseRoute("/dev/mailbox/cm8z1k2q3")).toBe("/dev/mailbox/[id]");
    expect(normaliseRoute("/api/auth/session")).toBe("/api/auth/[...nextauth]");
    expect(normaliseRoute("/api/auth/callback/oidc")).toBe("/api/auth/[...nextauth]");
  });

  it("prefers static segments: top-level routes are no organisations, 'new' is no id", () => {
    expect(normaliseRoute("/sign-in")).toBe("/sign-in");
    expect(normaliseRoute("/operator")).toBe("/operator");
    expect(normaliseRoute("/account/sessions")).toBe("/account/sessions");
    expect(normaliseRoute("/methodology")).toBe("/methodology");
    expect(normaliseRoute("/orgs")).toBe("/orgs");
    expect(normaliseRoute("/helse-fjord")).toBe("/[org]");
    expect(normaliseRoute("/helse-fjord/notebooks/new")).toBe("/[org]/notebooks/new");
    expect(normaliseRoute("/helse-fjord/innovation/new")).toBe("/[org]/innovation/new");
  });

  it("ignores the query string, the fragment and a trailing slash", () => {
    expect(normaliseRoute("/")).toBe("/");
    expect(normaliseRoute("")).toBe("/");
    expect(normaliseRoute("/reset-password?token=abc")).toBe("/reset-password");
    expect(normaliseRoute("/helse-fjord/usage/?period=month#chart")).toBe("/[org]/usage");
    expect(normaliseRoute("/helse-fjord/notebooks?_rsc=1x2y3")).toBe("/[org]/notebooks");
  });

  it("groups static files and Next's own paths", () => {
    expect(normaliseRoute("/_next/static/chunks/app/layout-0a1b2c.js")).toBe("/_next/static");
    expect(normaliseRoute("/_next/static/media/inter.9f8e.woff2")).toBe("/_next/static");
    expect(normaliseRoute("/_next/image")).toBe("/_next/image");
    expect(normaliseRoute("/_next/webpack-hmr")).toBe("/_next");
    expect(normaliseRoute("/fonts/inter-latin.woff2")).toBe("/fonts");
    expect(normaliseRoute("/favicon.ico")).toBe("/favicon.ico");
    expect(normaliseRoute("/metrics")).toBe("/metrics");
  });

  it("gives everything else one label, so scanners cannot grow the series", () => {
    for (const p of ["/wp-login.php", "/helse-fjord/unknown-page", "/operator/nothing", "/a/b/c/d/e", "/Helse-Fjord/notebooks", "/api/nothing", "/.env"]) {
      expect(normaliseRoute(p), p).toBe(UNMATCHED_ROUTE);
    }
    const labels = new Set(Array.from({ length: 500 }, (_, i) => normaliseRoute(`/org-${i}/notebooks/${i.toString(36)}x${i}`)));
    expect([...labels]).toEqual(["/[org]/notebooks/[id]"]);
  });

  it("keeps methods bounded", () => {
    expect(methodLabel("get")).toBe("GET");
    expect(methodLabel("PROPFIND")).toBe("OTHER");
    expect(methodLabel(undefined)).toBe("GET");
  });
});

describe("the process registry", () => {
  it("is one per process, on globalThis, even when the module is evaluated again", async () => {
    const first = getMetrics();
    expect(getMetrics()).toBe(first);
    expect((globalThis as Record<symbol, unknown>)[Symbol.for("portal.metrics")]).toBeDefined();

    vi.resetModules();
    const again = await import("./metrics");
    expect(again.getMetrics).not.toBe(getMetrics);
    const shared = again.getMetrics();
    expect(shared).toBe(first);
    expect(shared.registry).toBe(first.registry);

    // Recorded through either copy, one /metrics shows it.
    shared.jobRuns.inc({ job: "copy-test", outcome: "ok" });
    first.jobRuns.inc({ job: "copy-test", outcome: "ok" });
    expect(await first.registry.metrics()).toContain('portal_job_runs_total{job="copy-test",outcome="ok"} 2');
  });

  it("names the service on every metric and starts the default metrics once", async () => {
    const metrics = initMetrics("worker");
    expect(initMetrics("worker")).toBe(metrics);
    expect(() => initMetrics("web")).toThrow(/already initialised as "worker"/);
    metrics.httpRequestDuration.observe({ route: "/healthz", method: "GET", status: "200" }, 0.003);
    const text = await metrics.registry.metrics();
    expect(text).toContain('portal_http_request_duration_seconds_bucket{le="0.005",service="worker",route="/healthz",method="GET",status="200"} 1');
    expect(text).toMatch(/^process_cpu_user_seconds_total\{service="worker"\} /m);
    expect(text).toMatch(/^nodejs_eventloop_lag_seconds\{service="worker"\} /m);
    expect(text.match(/^# TYPE process_cpu_user_seconds_total/gm)).toHaveLength(1);
  });

  it("has the declared names, labels and latency buckets from 5 ms to 10 s", async () => {
    const m = createMetrics();
    m.controlPlaneCalls.inc({ operation: "listRegions", outcome: "ok" });
    m.controlPlaneCallDuration.observe({ operation: "listRegions", outcome: "ok" }, 0.02);
    m.jobQueueDepth.set({ queue: "email_outbox" }, 3);
    m.jobRuns.inc({ job: "deliver-email", outcome: "skipped" });
    m.jobDuration.observe({ job: "deliver-email" }, 1.5);
    const text = await m.registry.metrics();
    expect(text).toContain('portal_control_plane_calls_total{operation="listRegions",outcome="ok"} 1');
    expect(text).toContain('portal_control_plane_call_duration_seconds_count{operation="listRegions",outcome="ok"} 1');
    expect(text).toContain('portal_job_queue_depth{queue="email_outbox"} 3');
    expect(text).toContain('portal_job_runs_total{job="deliver-email",outcome="skipped"} 1');
    expect(text).toContain('portal_job_duration_seconds_sum{job="deliver-email"} 1.5');
    const buckets = [...text.matchAll(/portal_control_plane_call_duration_seconds_bucket\{le="([^"]+)"/g)].map((b) => b[1]);
    expect(buckets[0]).toBe("0.005");
    expect(buckets.at(-2)).toBe("10");
    expect(buckets.at(-1)).toBe("+Inf");
    // A fresh set does not touch the process registry.
    expect(await getMetrics().registry.metrics()).not.toContain('queue="email_outbox"} 3');
  });
});
