// Signing in over HTTP like the sign-in form does, for benchmarks and load tests.

/** Cookies set by the server, sent back on later requests. */
export class CookieJar {
  private readonly cookies = new Map<string, string>();
  take(response: Response): void {
    for (const header of response.headers.getSetCookie()) {
      const [pair = "", ...attributes] = header.split(";");
      const eq = pair.indexOf("=");
      const name = pair.slice(0, eq).trim();
      const value = pair.slice(eq + 1).trim();
      const expired = attributes.some((a) => /^\s*max-age=0\s*$/i.test(a));
      if (!value || expired) this.cookies.delete(name);
      else this.cookies.set(name, value);
    }
  }
  has(pattern: RegExp): boolean {
    return [...this.cookies.keys()].some((k) => pattern.test(k));
  }
  header(): string {
    return [...this.cookies].map(([k, v]) => `${k}=${v}`).join("; ");
  }
  /** The cookies as {name, value} pairs (for a browser context). */
  entries(): { name: string; value: string }[] {
    return [...this.cookies].map(([name, value]) => ({ name, value }));
  }
}

/** Signs in through the Auth.js credentials callback with its CSRF token; returns the cookies. */
export async function signIn(base: string, email: string, password: string, callbackPath = "/"): Promise<CookieJar> {
  const jar = new CookieJar();
  const csrf = await fetch(`${base}/api/auth/csrf`, { signal: AbortSignal.timeout(120_000) });
  jar.take(csrf);
  const { csrfToken } = (await csrf.json()) as { csrfToken: string };
  const response = await fetch(`${base}/api/auth/callback/credentials`, {
    method: "POST",
    redirect: "manual",
    headers: { "content-type": "application/x-www-form-urlencoded", cookie: jar.header() },
    body: new URLSearchParams({ email, password, csrfToken, callbackUrl: `${base}${callbackPath}` }),
    signal: AbortSignal.timeout(120_000),
  });
  jar.take(response);
  await response.body?.cancel();
  if (!jar.has(/session-token(\.\d+)?$/)) {
    throw new Error(`signing in as ${email} failed (HTTP ${response.status}, ${response.headers.get("location") ?? "no redirect"})`);
  }
  return jar;
}
