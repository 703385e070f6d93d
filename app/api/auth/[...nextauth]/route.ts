// Auth.js's endpoints (/api/auth/*). A callback URL that is no URL at all, in the query string or in
// Auth.js's callback-url cookie, makes Auth.js refuse the whole request as a server misconfiguration
// (500); such a value is dropped first, so that Auth.js uses its default as when none is given.
import { NextRequest } from "next/server";
import { GET as authGet, POST as authPost } from "@/server/auth/handlers";

const CALLBACK_COOKIE = /^(__Secure-)?authjs\.callback-url$/;

/** The test Auth.js applies: an absolute http(s) URL, or a path on this site. */
function isHttpUrl(value: string, origin: string): boolean {
  try {
    return /^https?:$/.test(new URL(value, value.startsWith("/") ? origin : undefined).protocol);
  } catch {
    return false;
  }
}

function cookieValue(raw: string): string {
  try {
    return decodeURIComponent(raw);
  } catch {
    return raw;
  }
}

/** The request without callback URLs Auth.js would refuse (unchanged when there are none). */
async function withoutInvalidCallbackUrl(request: NextRequest): Promise<NextRequest> {
  const url = new URL(request.url);
  const badParam = url.searchParams.getAll("callbackUrl").some((value) => !isHttpUrl(value, url.origin));
  const cookies = (request.headers.get("cookie") ?? "").split(";").map((part) => part.trim()).filter(Boolean);
  const kept = cookies.filter((part) => {
    const eq = part.indexOf("=");
    return eq < 0 || !CALLBACK_COOKIE.test(part.slice(0, eq)) || isHttpUrl(cookieValue(part.slice(eq + 1)), url.origin);
  });
  if (!badParam && kept.length === cookies.length) return request;
  if (badParam) url.searchParams.delete("callbackUrl");
  const headers = new Headers(request.headers);
  if (kept.length > 0) headers.set("cookie", kept.join("; "));
  else headers.delete("cookie");
  const body = request.method === "GET" || request.method === "HEAD" ? undefined : await request.arrayBuffer();
  return new NextRequest(url, { method: request.method, headers, body });
}

export async function GET(request: NextRequest): Promise<Response> {
  return authGet(await withoutInvalidCallbackUrl(request));
}

export async function POST(request: NextRequest): Promise<Response> {
  return authPost(await withoutInvalidCallbackUrl(request));
}
