// Usage reports of the portal pages, reused for a few seconds per process: a busy organisation's
// dashboard asked by many people at once is computed once. New usage stored in this process clears it
// (storeUsage); usage ingested by another process shows within REPORT_CACHE_TTL_MS.
import { ttlCache } from "../cache/ttl";

export const REPORT_CACHE_TTL_MS = Number(process.env.USAGE_REPORT_CACHE_TTL_MS ?? 15_000);

// The value type is left open here to keep this module free of the report's imports.
export const usageReportCache = ttlCache<unknown>({ ttlMs: REPORT_CACHE_TTL_MS, max: 1_000 });

export function clearUsageReports(): void {
  usageReportCache.clear();
}
