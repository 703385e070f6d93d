import { defineConfig } from "@playwright/test";
import { CHROME_PATH, CHROMIUM_ARGS } from "./scripts/lib/chromium";

const port = process.env.PORT ?? "3100";
const baseURL = `http://127.0.0.1:${port}`;

export default defineConfig({
  testDir: "e2e",
  workers: 1,
  fullyParallel: false,
  timeout: 90_000,
  expect: { timeout: 15_000 },
  reporter: [["list"]],
  retries: 0,
  use: {
    baseURL,
    trace: "retain-on-failure",
    launchOptions: {
      executablePath: CHROME_PATH,
      args: CHROMIUM_ARGS,
    },
  },
  projects: [{ name: "chromium", use: { browserName: "chromium" } }],
  webServer: {
    // The production web server (Next.js behind server/http/serve.ts), as deployed.
    command: "node --import tsx server/http/serve.ts",
    url: `${baseURL}/sign-in`,
    reuseExistingServer: false,
    timeout: 60_000,
    stdout: "ignore",
    stderr: "pipe",
    env: {
      NODE_ENV: "production",
      PORT: port,
      HOSTNAME: "127.0.0.1",
      METRICS_PORT: "0",
      DATABASE_URL: process.env.DATABASE_URL ?? "",
      AUTH_SECRET: process.env.AUTH_SECRET ?? "",
      AUTH_TRUST_HOST: "true",
      PORTAL_DEV_MAILBOX: "1",
      NEXT_TELEMETRY_DISABLED: "1",
      CONTROL_PLANE_URL: process.env.CONTROL_PLANE_URL ?? "http://127.0.0.1:4110",
      CONTROL_PLANE_TOKEN: process.env.CONTROL_PLANE_TOKEN ?? "dev-control-plane-token",
    },
  },
});
