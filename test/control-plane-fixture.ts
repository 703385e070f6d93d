// A real simulated control plane on loopback for portal integration tests (same PostgreSQL).
import { createSimulatedBackend } from "@/control-plane/backends/simulated";
import { startControlPlaneServer } from "@/control-plane/server";

export const TEST_CP_TOKEN = "test-control-plane-token";

export async function startTestControlPlane(options: { speed?: number } = {}) {
  const backend = await createSimulatedBackend({ databaseUrl: process.env.DATABASE_URL!, speed: options.speed ?? 1000, tickMs: 50 });
  const healthy = await startControlPlaneServer({ backend, token: TEST_CP_TOKEN, port: 0, log: () => undefined });
  process.env.CONTROL_PLANE_URL = healthy.url;
  process.env.CONTROL_PLANE_TOKEN = TEST_CP_TOKEN;
  const extra: Array<{ close(): Promise<void> }> = [];
  return {
    backend,
    url: healthy.url,
    /** Another server on the same backend with faults, made the portal's endpoint until `useHealthy()`. */
    async useFaulty(faults: Parameters<typeof startControlPlaneServer>[0]["faults"]) {
      const server = await startControlPlaneServer({ backend, token: TEST_CP_TOKEN, port: 0, faults, log: () => undefined });
      extra.push(server);
      process.env.CONTROL_PLANE_URL = server.url;
      return server;
    },
    useHealthy() {
      process.env.CONTROL_PLANE_URL = healthy.url;
    },
    async close() {
      for (const s of extra) await s.close().catch(() => undefined);
      await healthy.close();
      await backend.close();
    },
  };
}
