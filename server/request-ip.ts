// The client address: the last X-Forwarded-For hop, which the nearest proxy (or Next.js itself) sets.
export function clientIp(headers: Headers): string {
  const forwarded = headers.get("x-forwarded-for");
  const last = forwarded?.split(",").map((s) => s.trim()).filter(Boolean).at(-1);
  const ip = last ?? headers.get("x-real-ip") ?? "unknown";
  return ip.replace(/^::ffff:/, "").slice(0, 64);
}
