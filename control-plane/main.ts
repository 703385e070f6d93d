// The control plane as a standalone process: `node --import tsx control-plane/main.ts`.
// Configuration from the environment (see README.md, "Control plane"). Logs are JSON lines on stdout
// (server/observability/log.ts, service "control-plane"); metrics on GET /metrics.
import { createLogger } from "../server/observability/log";
import { initMetrics } from "../server/observability/metrics";
import type { ControlPlaneBackend } from "./api-types";
import { createSimulatedBackend } from "./backends/simulated";
import { startControlPlaneServer, type FaultConfig } from "./server";

const DEV_TOKEN = "dev-control-plane-token";
const env = process.env;
const log = createLogger("control-plane");
initMetrics("control-plane");

function fail(message: string): never {
  log.error("fatal", { msg: `control plane: ${message}` });
  process.exit(1);
}

function numberFrom(name: string, fallback: number, min: number, max: number): number {
  const raw = env[name];
  if (raw === undefined || raw.trim() === "") return fallback;
  const value = Number(raw);
  if (!Number.isFinite(value) || value < min || value > max) fail(`${name} must be a number from ${min} to ${max} (got "${raw}")`);
  return value;
}

function flag(name: string): boolean {
  const raw = (env[name] ?? "").trim().toLowerCase();
  return raw === "1" || raw === "true" || raw === "yes";
}

const production = env.NODE_ENV === "production";
const port = numberFrom("CONTROL_PLANE_PORT", 4010, 0, 65535);
const host = env.CONTROL_PLANE_HOST || "127.0.0.1";
const token = env.CONTROL_PLANE_TOKEN || (production ? undefined : DEV_TOKEN);
if (!token) fail("CONTROL_PLANE_TOKEN is required in production");
if (production && (token === DEV_TOKEN || token.length < 16)) fail("CONTROL_PLANE_TOKEN must be a secret of at least 16 characters in production");
const backendKind = env.CONTROL_PLANE_BACKEND || "simulated";

const faults: FaultConfig = {
  latencyMs: numberFrom("CP_FAULT_LATENCY_MS", 0, 0, 600_000),
  errorRate: numberFrom("CP_FAULT_ERROR_RATE", 0, 0, 1),
  timeoutRate: numberFrom("CP_FAULT_TIMEOUT_RATE", 0, 0, 1),
  crashAfterCreate: flag("CP_FAULT_CRASH_AFTER_CREATE"),
  onCrash: flag("CP_FAULT_CRASH_EXIT")
    ? () => {
        log.error("injected_crash", { msg: "injected crash after create: exiting" });
        setImmediate(() => process.exit(1));
      }
    : undefined,
};

async function createBackend(): Promise<ControlPlaneBackend & { setPublicUrl?(url: string): void }> {
  if (backendKind === "simulated") {
    const databaseUrl = env.CONTROL_PLANE_DATABASE_URL || env.DATABASE_URL;
    if (!databaseUrl) fail("the simulated backend needs CONTROL_PLANE_DATABASE_URL or DATABASE_URL (PostgreSQL)");
    return createSimulatedBackend({
      databaseUrl,
      speed: numberFrom("CP_SIM_SPEED", 1, 0.001, 100_000),
      publicUrl: env.CONTROL_PLANE_PUBLIC_URL || undefined,
    });
  }
  if (backendKind === "openshift") {
    // Loaded by name at run time, so that this file works while that backend does not exist yet.
    const specifier = "./backends/openshift";
    let module: { createOpenShiftBackend?: (environment: NodeJS.ProcessEnv) => ControlPlaneBackend | Promise<ControlPlaneBackend> };
    try {
      module = (await import(specifier)) as typeof module;
    } catch (error) {
      const code = (error as { code?: unknown }).code;
      if (code === "ERR_MODULE_NOT_FOUND" && String((error as Error).message).includes("backends/openshift")) {
        fail("CONTROL_PLANE_BACKEND=openshift, but control-plane/backends/openshift is not installed in this build");
      }
      throw error;
    }
    if (typeof module.createOpenShiftBackend !== "function") fail("control-plane/backends/openshift does not export createOpenShiftBackend(env)");
    return module.createOpenShiftBackend(env);
  }
  return fail(`CONTROL_PLANE_BACKEND must be "simulated" or "openshift" (got "${backendKind}")`);
}

const backend = await createBackend().catch((error: unknown) => fail(`cannot start the ${backendKind} backend: ${error instanceof Error ? error.message : String(error)}`));
const server = await startControlPlaneServer({ backend, token, port, host, faults });
if (!env.CONTROL_PLANE_PUBLIC_URL) backend.setPublicUrl?.(server.url.replace("//0.0.0.0:", "//127.0.0.1:"));
log.info("listening", {
  msg: "control plane listening",
  url: server.url,
  backend: backendKind,
  ...(backendKind === "simulated" ? { speed: numberFrom("CP_SIM_SPEED", 1, 0.001, 100_000) } : {}),
  faults: Object.fromEntries(Object.entries(faults).filter(([k, v]) => k !== "onCrash" && v)),
  ...(token === DEV_TOKEN ? { auth: "the development default token" } : {}),
});

let stopping = false;
async function stop(signal: NodeJS.Signals): Promise<void> {
  if (stopping) {
    process.exit(1); // a second signal: do not wait any longer
  }
  stopping = true;
  log.info("stopping", { msg: `${signal}: stopping`, signal });
  try {
    await server.close();
    await backend.close();
    log.info("stopped", { msg: "stopped" });
    process.exit(0);
  } catch (error) {
    fail(`shutdown failed: ${String(error)}`);
  }
}
process.on("SIGTERM", (signal) => void stop(signal));
process.on("SIGINT", (signal) => void stop(signal));
