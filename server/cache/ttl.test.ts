import { describe, expect, it } from "vitest";
import { clearAccessCaches, ttlCache } from "./ttl";

describe("ttlCache", () => {
  it("keeps a value for its lifetime, then loads again", async () => {
    let t = 0;
    let loads = 0;
    const cache = ttlCache<number>({ ttlMs: 100, max: 10, now: () => t });
    const load = async () => ++loads;
    expect(await cache.get("a", load)).toBe(1);
    t = 99;
    expect(await cache.get("a", load)).toBe(1);
    t = 100;
    expect(await cache.get("a", load)).toBe(2);
  });

  it("coalesces concurrent lookups of one key", async () => {
    let loads = 0;
    const cache = ttlCache<string>({ ttlMs: 1_000, max: 10 });
    const slow = () => new Promise<string>((resolve) => setTimeout(() => resolve(`v${++loads}`), 20));
    const values = await Promise.all(Array.from({ length: 32 }, () => cache.get("k", slow)));
    expect(new Set(values)).toEqual(new Set(["v1"]));
    expect(loads).toBe(1);
  });

  it("does not remember failures", async () => {
    const cache = ttlCache<number>({ ttlMs: 1_000, max: 10 });
    await expect(cache.get("k", () => Promise.reject(new Error("down")))).rejects.toThrow("down");
    expect(await cache.get("k", async () => 7)).toBe(7);
  });

  it("evicts the oldest entries beyond its size", async () => {
    const cache = ttlCache<number>({ ttlMs: 1_000, max: 2 });
    for (const k of ["a", "b", "c"]) await cache.get(k, async () => 1);
    expect(cache.size).toBe(2);
    let reloaded = false;
    await cache.get("a", async () => {
      reloaded = true;
      return 2;
    });
    expect(reloaded).toBe(true);
  });

  it("is cleared by clearAccessCaches", async () => {
    const cache = ttlCache<number>({ ttlMs: 60_000, max: 10 });
    await cache.get("k", async () => 1);
    clearAccessCaches();
    expect(await cache.get("k", async () => 2)).toBe(2);
  });
});
