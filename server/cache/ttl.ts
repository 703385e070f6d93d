// A small in-process cache with a time to live and in-flight coalescing: while one lookup of a key is
// running, concurrent callers share its promise instead of asking the database again.
//
// Used only for what every page asks on every request (is this session still valid, which
// organisations does this user belong to, ...) with short lifetimes. Writes that change such facts
// clear the caches in the process that made them (`clearAccessCaches`); other processes see the change
// when the entry expires. Server actions never rely on these caches: they re-check inside their
// transaction.

export interface TtlCache<V> {
  /** The cached value, or the result of `load` (stored unless it throws). */
  get(key: string, load: () => Promise<V>): Promise<V>;
  delete(key: string): void;
  clear(): void;
  readonly size: number;
}

interface Entry<V> {
  expires: number;
  value: Promise<V>;
}

const registry = new Set<TtlCache<unknown>>();

export function ttlCache<V>(options: { ttlMs: number; max: number; now?: () => number }): TtlCache<V> {
  const now = options.now ?? Date.now;
  const entries = new Map<string, Entry<V>>();
  const cache: TtlCache<V> = {
    get(key, load) {
      const hit = entries.get(key);
      const t = now();
      if (hit && hit.expires > t) return hit.value;
      if (hit) entries.delete(key);
      const value = load();
      const entry: Entry<V> = { expires: t + options.ttlMs, value };
      entries.set(key, entry);
      // A failed lookup is not remembered.
      value.catch(() => {
        if (entries.get(key) === entry) entries.delete(key);
      });
      if (entries.size > options.max) {
        // Oldest first (Map keeps insertion order).
        for (const k of entries.keys()) {
          entries.delete(k);
          if (entries.size <= options.max) break;
        }
      }
      return value;
    },
    delete(key) {
      entries.delete(key);
    },
    clear() {
      entries.clear();
    },
    get size() {
      return entries.size;
    },
  };
  registry.add(cache as TtlCache<unknown>);
  return cache;
}

/** Lifetime of cached access facts (sessions, memberships, operator role): how stale another process may be. */
export const ACCESS_TTL_MS = Number(process.env.ACCESS_CACHE_TTL_MS ?? 5_000);

/** Clears every cache of this process (after a write that may change who can see what). */
export function clearAccessCaches(): void {
  for (const cache of registry) cache.clear();
}
