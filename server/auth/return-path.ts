// Keeps post-sign-in redirects on this site: only same-origin relative paths are accepted.
export function safeReturnPath(value: string | null | undefined): string | null {
  if (!value) return null;
  let path = value;
  // next-auth may hand back an absolute URL on this host: keep only its path.
  if (/^https?:\/\//i.test(path)) {
    try {
      const url = new URL(path);
      path = `${url.pathname}${url.search}`;
    } catch {
      return null;
    }
  }
  if (!path.startsWith("/") || path.startsWith("//") || path.startsWith("/\\") || path.length > 512) return null;
  if (/[\u0000-\u001f]/.test(path)) return null;
  return path;
}
