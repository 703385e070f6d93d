// Helpers shared by the control-plane tests (no test framework imports, so any test may use them).
import { randomBytes } from "node:crypto";
import type { CreateWorkbenchRequest } from "./api-types";
import { createSimulatedBackend, type SimulatedBackend, type SimulatedBackendOptions } from "./backends/simulated";

export function testDatabaseUrl(): string {
  const url = process.env.DATABASE_URL;
  if (!url) throw new Error("DATABASE_URL is not set: run the tests with `npm test -- unit control-plane`");
  return url;
}

/** A schema name of its own per backend under test, so tests in one file do not share queues. */
export function uniqueSchema(label = "t"): string {
  return `cp_${label}_${randomBytes(4).toString("hex")}`;
}

/** A clock that only moves when told to. */
export function fakeClock(start = Date.parse("2026-03-02T08:00:00.000Z")) {
  let now = start;
  return {
    now: () => new Date(now),
    advance(ms: number) {
      now += ms;
    },
    get ms() {
      return now;
    },
  };
}

export type FakeClock = ReturnType<typeof fakeClock>;

let counter = 0;

/** A valid create request with a unique externalId and name; override what the test cares about. */
export function launchRequest(overrides: Partial<CreateWorkbenchRequest> = {}): CreateWorkbenchRequest {
  counter += 1;
  const suffix = `${randomBytes(3).toString("hex")}-${counter}`;
  return {
    externalId: `rec-${suffix}`,
    tenantId: "org-id-helse-fjord",
    tenantSlug: "helse-fjord",
    name: `nb-${suffix}`,
    displayName: `Notebook ${counter}`,
    owner: "scientist@helse-fjord.example",
    imageId: "jupyter-pytorch-2025.2",
    shapeId: "h100-1x",
    regionId: "no-osl-1",
    storageGb: 20,
    idleTimeoutMinutes: 60,
    ...overrides,
  };
}

/** A simulated backend on the test database, driven by a fake clock and manual ticks (speed 100). */
export async function simulatedForTest(
  options: Partial<SimulatedBackendOptions> & { clock?: FakeClock } = {},
): Promise<{ backend: SimulatedBackend; clock: FakeClock; schema: string; run: (ms: number, stepMs?: number) => Promise<void> }> {
  const clock = options.clock ?? fakeClock();
  const schema = options.schema ?? uniqueSchema();
  const backend = await createSimulatedBackend({
    databaseUrl: testDatabaseUrl(),
    speed: 100,
    tickMs: 0,
    ...options,
    schema,
    now: clock.now,
  });
  /** Moves the clock `ms` forward in steps, ticking after each. */
  async function run(ms: number, stepMs = 50): Promise<void> {
    for (let done = 0; done < ms; done += stepMs) {
      clock.advance(Math.min(stepMs, ms - done));
      await backend.tick();
    }
  }
  return { backend, clock, schema, run };
}
