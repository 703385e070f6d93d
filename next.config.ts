import type { NextConfig } from "next";
import { fileURLToPath } from "node:url";

const root = fileURLToPath(new URL(".", import.meta.url));

// Headers on every response (pages, route handlers and static files); the CSP with its nonce
// is added per request in proxy.ts, and a strict one here for what the proxy does not see.
const securityHeaders = [
  { key: "Strict-Transport-Security", value: "max-age=63072000; includeSubDomains; preload" },
  { key: "X-Content-Type-Options", value: "nosniff" },
  { key: "Referrer-Policy", value: "strict-origin-when-cross-origin" },
  { key: "X-Frame-Options", value: "DENY" },
  { key: "Permissions-Policy", value: "camera=(), microphone=(), geolocation=(), payment=()" },
  { key: "Cross-Origin-Opener-Policy", value: "same-origin" },
];

const staticCsp = { key: "Content-Security-Policy", value: "default-src 'self'; frame-ancestors 'none'; object-src 'none'; base-uri 'self'" };

const nextConfig: NextConfig = {
  poweredByHeader: false,
  // A second build beside the usual one (benchmarks, resilience runs) can use its own directory.
  ...(process.env.NEXT_DIST_DIR ? { distDir: process.env.NEXT_DIST_DIR } : {}),
  reactStrictMode: true,
  allowedDevOrigins: ["127.0.0.1", "localhost"],
  turbopack: { root },
  // pdfkit loads its font metrics and colour profile from its own package directory at run time,
  // so it must be required from node_modules rather than bundled.
  serverExternalPackages: ["pdfkit", "prom-client"],
  async headers() {
    return [
      { source: "/:path*", headers: securityHeaders },
      { source: "/_next/static/:path*", headers: [staticCsp] },
      { source: "/favicon.ico", headers: [staticCsp] },
      { source: "/fonts/:path*", headers: [staticCsp] },
    ];
  },
};

export default nextConfig;
