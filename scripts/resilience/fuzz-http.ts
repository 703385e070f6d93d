// Fuzzes a running production build over HTTP, the way browsers (and anyone with curl) reach it:
// every server action found in the build's server-reference manifest, posted as a browser's fetch
// (Next-Action header, arguments encoded by React's encodeReply as text or multipart) and as a no-JS
// form post ($ACTION_ID_... fields), with generated garbage, to a page of the organisation; unknown
// action ids; and every route handler of the app-paths manifest, its dynamic segments filled with
// another organisation's slug and ids, huge, unicode and path-traversal values, called with GET, POST,
// PUT and DELETE, garbage query strings and bodies, signed in and signed out. Never follows
// redirects. Every 5xx answer, every request slower than the limit and every broken response body is
// a failure. Deterministic for a given seed.
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { join } from "node:path";
import fc from "fast-check";
import { EDGE_VALUES, FUZZ_SEED, badValue, hugeString, mutatedInput, nonObjectInput, trickyString, wrongTypeValue } from "../../test/fuzz-inputs";

export interface FuzzHttpOptions {
  baseUrl: string;
  /** The build's directory, e.g. ".next". */
  distDir: string;
  /** Cookie header of a signed-in owner of `orgSlug`. */
  cookie: string;
  orgSlug: string;
  /** Another organisation (the caller is no member): its slug and the ids of its resources. */
  otherOrg: { slug: string; ids: string[] };
  /** Generated requests per action and per route handler and method (default 5). */
  runs?: number;
  log?: (line: string) => void;
  seed?: number;
  /** A request slower than this is a failure (default 10 s). */
  slowMs?: number;
  /**
   * Actions posted only signed out: without any input they act on the signed-in user (sign out, sign
   * out everywhere, start or cancel two-factor enrolment, end other sessions), so garbage changes
   * nothing only when nobody is signed in.
   */
  signedOutOnly?: readonly string[];
}

export interface FuzzHttpResult {
  requests: number;
  byStatus: Record<number, number>;
  failures: string[];
}

const INPUTLESS_ACTIONS = ["signOutAction", "signOutEverywhereAction", "startTwoFactorAction", "cancelTwoFactorAction", "revokeOtherSessionsAction"];

/** Field names the portal's forms use, for garbage forms that look like real ones. */
const FORM_FIELDS = [
  "orgId", "workbenchId", "invoiceId", "membershipId", "invitationId", "budgetId", "requestId", "sessionId", "assigneeId", "shapeId", "imageId", "regionId",
  "email", "role", "password", "confirm", "currentPassword", "token", "code", "name", "orgName", "orgNumber", "reason", "body", "note", "amount", "project",
  "displayName", "title", "storageGb", "idleTimeoutMinutes", "startDate", "endDate", "transition", "gpuQuota", "shapes", "price", "value", "year", "status",
  "locale", "callbackUrl", "returnTo", "requireTotp", "hardStop", "acceptDpa",
] as const;

/** Query keys the route handlers read (filters, formats), besides random ones. */
const QUERY_KEYS = ["from", "to", "project", "user", "workbench", "shape", "granularity", "format", "year", "action", "actor", "outcome", "page", "callbackUrl", "error", "csrf"];

/** The catch-all of Auth.js: its real endpoints, and nonsense. */
const AUTH_PATHS = ["session", "csrf", "providers", "signin", "signin/credentials", "signin/oidc", "callback/credentials", "callback/oidc", "signout", "error", "verify-request", "webauthn-options/credentials", "callback", "x"];

interface ActionRef {
  id: string;
  name: string;
  file: string;
  /** Page paths (relative, with the organisation filled in) where the action is used. */
  pages: string[];
}

interface EncodeReply {
  encodeReply(value: unknown): Promise<string | FormData>;
}

/** React's encoder of server-action arguments, as the browser bundle uses it (from Next's own copy). */
function loadEncodeReply(): EncodeReply["encodeReply"] {
  const require = createRequire(join(process.cwd(), "package.json"));
  return (require("next/dist/compiled/react-server-dom-turbopack/client.node") as EncodeReply).encodeReply;
}

/** "app/(portal)/[org]/innovation/[id]/page" -> "/<org>/innovation/<id>" (route groups dropped). */
function pathOf(appPath: string, fill: (segment: string) => string): string {
  const parts = appPath
    .replace(/^app\//, "")
    .replace(/^\//, "")
    .replace(/\/(page|route)$/, "")
    .split("/")
    .filter((p) => p !== "" && !/^\(.*\)$/.test(p));
  return `/${parts.map((p) => (/^\[.*\]$/.test(p) ? fill(p) : p)).join("/")}`;
}

function discoverActions(distDir: string, orgSlug: string, fallbackId: string): ActionRef[] {
  const manifest = JSON.parse(readFileSync(join(distDir, "server", "server-reference-manifest.json"), "utf8")) as {
    node?: Record<string, { workers?: Record<string, unknown>; exportedName?: string; filename?: string }>;
    edge?: Record<string, { workers?: Record<string, unknown>; exportedName?: string; filename?: string }>;
  };
  const entries = { ...(manifest.edge ?? {}), ...(manifest.node ?? {}) };
  return Object.entries(entries).map(([id, entry]) => ({
    id,
    name: entry.exportedName ?? id,
    file: entry.filename ?? "?",
    pages: Object.keys(entry.workers ?? {})
      .filter((w) => w.endsWith("/page"))
      .map((w) => pathOf(w, (segment) => (segment === "[org]" ? orgSlug : fallbackId))),
  }));
}

function discoverRoutes(distDir: string): string[] {
  const manifest = JSON.parse(readFileSync(join(distDir, "server", "app-paths-manifest.json"), "utf8")) as Record<string, string>;
  return Object.keys(manifest)
    .filter((k) => k.endsWith("/route"))
    .sort();
}

/** Percent-encodes text for a URL, lone surrogates included (as the invalid UTF-8 a hostile client may send). */
function encodePart(text: string): string {
  let out = "";
  for (const ch of text) {
    const code = ch.codePointAt(0)!;
    if (code >= 0xd800 && code <= 0xdfff) out += `%${(0xe0 | (code >> 12)).toString(16)}%${(0x80 | ((code >> 6) & 0x3f)).toString(16)}%${(0x80 | (code & 0x3f)).toString(16)}`.toUpperCase();
    else out += encodeURIComponent(ch);
  }
  return out;
}

/** Text for a form field or query value: strings as they are, anything else as a client would serialise it. */
function asText(value: unknown): string {
  if (typeof value === "string") return value;
  if (value === undefined) return "undefined";
  try {
    return JSON.stringify(value) ?? String(value);
  } catch {
    return String(value);
  }
}

function toForm(input: unknown, extra: Record<string, string> = {}): FormData {
  const form = new FormData();
  for (const [k, v] of Object.entries(extra)) form.append(k, v);
  if (typeof input !== "object" || input === null) {
    form.append("value", asText(input));
    return form;
  }
  for (const [key, value] of Object.entries(input)) {
    if (Array.isArray(value)) for (const v of value) form.append(key, asText(v));
    else form.append(key, asText(value));
  }
  return form;
}

/** True when a percent-escape of the path does not decode (a lone "%", or bytes that are not UTF-8). */
function undecodablePath(path: string): boolean {
  return path
    .split("?")[0]!
    .split("/")
    .some((segment) => {
      try {
        decodeURIComponent(segment);
        return false;
      } catch {
        return true;
      }
    });
}

/** About how many bytes a request body takes on the wire (form fields counted by their text). */
function bodyBytes(body: unknown): number {
  if (typeof body === "string") return Buffer.byteLength(body);
  if (body instanceof URLSearchParams) return Buffer.byteLength(body.toString());
  if (body instanceof FormData) {
    let n = 0;
    for (const [key, value] of body.entries()) n += Buffer.byteLength(key) + (typeof value === "string" ? Buffer.byteLength(value) : value.size);
    return n;
  }
  return 0;
}

function truncate(text: string, n = 200): string {
  const flat = text.replace(/\s+/g, " ");
  return flat.length > n ? `${flat.slice(0, n)}…` : flat;
}

/** Fuzzes every server action and route handler of the build; see the file comment. */
export async function fuzzHttp(opts: FuzzHttpOptions): Promise<FuzzHttpResult> {
  const runs = opts.runs ?? 5;
  const seed = opts.seed ?? FUZZ_SEED;
  const slowMs = opts.slowMs ?? 10_000;
  const log = opts.log ?? (() => undefined);
  const base = opts.baseUrl.replace(/\/$/, "");
  const origin = new URL(base).origin;
  const signedOutOnly = new Set(opts.signedOutOnly ?? INPUTLESS_ACTIONS);
  const encodeReply = loadEncodeReply();
  const otherIds = opts.otherOrg.ids.length > 0 ? opts.otherOrg.ids : ["unknown"];
  const result: FuzzHttpResult = { requests: 0, byStatus: {}, failures: [] };
  let sampleIndex = 0;
  /** `n` values of an arbitrary, deterministic for the seed (each call draws a fresh series). */
  const sample = <T>(arbitrary: fc.Arbitrary<T>, n: number): T[] => fc.sample(arbitrary, { seed: seed + sampleIndex++, numRuns: n });

  /**
   * Why a 5xx may come from Next.js itself, before any of the portal's code runs; null otherwise. Such
   * answers are failures all the same (a 400 or 413 would be right), marked so they are told apart.
   */
  function frameworkCause(label: string, path: string, body: unknown): string | null {
    if (undecodablePath(path)) return "Next's router cannot decode the path";
    if (bodyBytes(body) > 1024 * 1024 && label.includes("Action")) return "over Next's 1 MB server-action body limit";
    if (/raw body|malformed no-JS form/.test(label)) return "arguments no browser encoder produces";
    return null;
  }

  async function send(label: string, method: string, path: string, init: { headers?: Record<string, string>; body?: string | FormData | URLSearchParams; signedIn: boolean }) {
    const headers: Record<string, string> = { "user-agent": "resilience-fuzz", ...init.headers };
    if (init.signedIn) headers.cookie = opts.cookie;
    const started = performance.now();
    let status = 0;
    let text = "";
    try {
      const response = await fetch(`${base}${path}`, { method, headers, body: init.body, redirect: "manual", signal: AbortSignal.timeout(slowMs * 3) });
      status = response.status;
      try {
        text = await response.text();
      } catch (error) {
        result.failures.push(`${method} ${truncate(path, 300)} [${label}]: ${status}, but the body broke off: ${String(error)}`);
      }
    } catch (error) {
      result.failures.push(`${method} ${truncate(path, 300)} [${label}]: no answer (${String(error)})`);
    }
    const elapsed = performance.now() - started;
    result.requests++;
    result.byStatus[status] = (result.byStatus[status] ?? 0) + 1;
    if (status >= 500) {
      const cause = frameworkCause(label, path, init.body);
      result.failures.push(`${cause ? `(framework: ${cause}) ` : ""}${method} ${truncate(path, 300)} [${label}]: ${status} ${truncate(text)}`);
    }
    if (elapsed > slowMs) result.failures.push(`${method} ${truncate(path, 300)} [${label}]: took ${(elapsed / 1000).toFixed(1)} s`);
    return { status, text };
  }

  // -------------------------------------------------------------------------------------------
  // Server actions
  // -------------------------------------------------------------------------------------------
  const actions = discoverActions(opts.distDir, opts.orgSlug, otherIds[0]!);
  log(`server actions: ${actions.length}; route handlers: ${discoverRoutes(opts.distDir).length}`);

  // A form that looks like the portal's: known field names, another organisation's ids, spoiled values.
  // Its orgId always names the other organisation, so that nothing a form could do lands in the caller's own.
  const template: Record<string, unknown> = Object.fromEntries(
    FORM_FIELDS.map((f) => [f, /Id$/.test(f) ? otherIds[0] : f === "email" ? "nobody@example.no" : f === "shapes" ? ["cpu-8"] : "1"]),
  );
  const idValue = fc.constantFrom(...otherIds);
  const spoiledForm = fc
    .tuple(mutatedInput(template, FORM_FIELDS, { json: true }), idValue)
    .map(([input, id]) => (typeof input === "object" && input !== null && !Array.isArray(input) ? { ...input, orgId: id } : input));
  // Arguments as the browser passes them: (previous state, form data) for form actions, or anything at all.
  const argumentList: fc.Arbitrary<{ args: unknown[]; asForm: boolean }> = fc.oneof(
    fc.tuple(fc.oneof(fc.constant({ status: "idle" }), wrongTypeValue({ json: true })), spoiledForm).map(([prev, form]) => ({ args: [prev, form], asForm: true })),
    fc.array(fc.oneof(badValue({ json: true }), nonObjectInput({ json: true }), spoiledForm), { maxLength: 3 }).map((args) => ({ args, asForm: false })),
  );
  const rawBodies = fc.oneof(trickyString, fc.constantFrom("", "[", "{}", "null", '"$@0"', '["$F1"]', '["$Q9",{}]', '["$K1"]', '[{"$$typeof":1}]', "[".repeat(10_000)), hugeString.map((s) => `["${s.replace(/["\\]/g, "")}"]`));

  for (const action of actions) {
    const pagePaths = [...new Set([...action.pages.slice(0, 1), `/${opts.orgSlug}/notebooks`])];
    const onlySignedOut = signedOutOnly.has(action.name);
    const who = sample(fc.boolean(), runs * 3).map((b) => b && !onlySignedOut);
    let k = 0;
    const label = `${action.name} (${action.file})`;
    // 1. A browser's fetch: Next-Action header, arguments from encodeReply (text, or multipart when a form is among them).
    for (const { args, asForm } of sample(argumentList, runs)) {
      const values = args.map((a, i) => (asForm && i === args.length - 1 ? toForm(a) : a));
      // What the encoder refuses, a hand-written client still sends as JSON.
      const encoded = await encodeReply(values).catch(() => JSON.stringify(values));
      const path = pagePaths[k % pagePaths.length]!;
      await send(label, "POST", path, {
        signedIn: who[k++]!,
        headers: { "next-action": action.id, accept: "text/x-component", origin, ...(typeof encoded === "string" ? { "content-type": "text/plain;charset=UTF-8" } : {}) },
        body: encoded,
      });
    }
    // 2. A body no encoder produced.
    for (const body of sample(rawBodies, Math.max(1, Math.ceil(runs / 2)))) {
      await send(`${label}, raw body`, "POST", pagePaths[0]!, { signedIn: who[k++]!, headers: { "next-action": action.id, accept: "text/x-component", origin, "content-type": "text/plain;charset=UTF-8" }, body });
    }
    // 3. A form posted without JavaScript: the action's id as a field name, garbage fields beside it.
    for (const input of sample(spoiledForm, runs)) {
      const variant = k % 3;
      const extra: Record<string, string> =
        variant === 0
          ? { [`$ACTION_ID_${action.id}`]: "" }
          : variant === 1
            ? { $ACTION_REF_1: "", "$ACTION_1:0": JSON.stringify({ id: action.id, bound: "$@1" }), "$ACTION_1:1": JSON.stringify([{ status: "idle" }]), $ACTION_KEY: "k0" }
            : { $ACTION_REF_1: "", "$ACTION_1:0": asText(input), "$ACTION_1:1": "[" };
      await send(`${label}, ${variant === 2 ? "malformed no-JS form" : "no-JS form"}`, "POST", pagePaths[k % pagePaths.length]!, { signedIn: who[k++]!, headers: { origin }, body: toForm(input, extra) });
    }
  }

  // Action ids that do not exist, and headers that are not ids at all.
  const fakeIds = [...sample(fc.stringMatching(/^[0-9a-f]{42}$/), runs), "", "x", "../../etc/passwd", "a".repeat(5000), "\u00e6\u00f8\u00e5", ...sample(trickyString, 2).map((s) => encodePart(s))];
  for (const [i, id] of fakeIds.entries()) {
    await send("unknown action id", "POST", `/${opts.orgSlug}/notebooks`, {
      signedIn: i % 2 === 0,
      headers: { "next-action": id.replace(/[^\x20-\x7e]/g, "?"), accept: "text/x-component", origin, "content-type": "text/plain;charset=UTF-8" },
      body: "[]",
    });
    await send("unknown action id, no-JS form", "POST", `/${opts.orgSlug}/notebooks`, { signedIn: i % 2 === 1, headers: { origin }, body: toForm({ a: "1" }, { [`$ACTION_ID_${id}`]: "" }) });
  }

  // -------------------------------------------------------------------------------------------
  // Route handlers
  // -------------------------------------------------------------------------------------------
  const segmentValues: fc.Arbitrary<string> = fc.oneof(
    { weight: 3, arbitrary: fc.constantFrom(opts.orgSlug, opts.otherOrg.slug, ...otherIds).map(encodeURIComponent) },
    { weight: 2, arbitrary: fc.constantFrom("..%2f..%2fetc%2fpasswd", "..%2F", "%2e%2e", "%00", "%ff%fe", "%", "%zz", "__proto__", "constructor", "NaN", "-1", "null", "undefined", "a".repeat(4000), "%C0%AF", "...", "~", "%20") },
    { weight: 2, arbitrary: trickyString.map(encodePart) },
    { weight: 1, arbitrary: fc.string({ maxLength: 20 }).map(encodePart) },
  );
  const queryValue = fc.oneof({ weight: 2, arbitrary: fc.constantFrom(...EDGE_VALUES, "9999-99-99", "2026-02-31") }, { weight: 3, arbitrary: badValue({ json: true }).map(asText) }, { weight: 1, arbitrary: fc.constantFrom(...otherIds) });
  const query = fc
    .array(fc.tuple(fc.oneof({ weight: 3, arbitrary: fc.constantFrom(...QUERY_KEYS) }, { weight: 1, arbitrary: fc.string({ maxLength: 8 }) }), queryValue), { maxLength: 5 })
    .map((pairs) => (pairs.length === 0 ? "" : `?${pairs.map(([k, v]) => `${encodePart(k)}=${encodePart(v.slice(0, 3000))}`).join("&")}`));
  const routeBody = fc.oneof(
    badValue({ json: true }).map((v) => ({ body: JSON.stringify(v) ?? "null", type: "application/json" })),
    fc.constantFrom("{", "", "\u0000", "[".repeat(5000)).map((body) => ({ body, type: "application/json" })),
    spoiledForm.map((v) => ({ body: new URLSearchParams(Object.entries(typeof v === "object" && v !== null ? v : { v }).map(([k, x]) => [k, asText(x)])).toString(), type: "application/x-www-form-urlencoded" })),
    hugeString.map((body) => ({ body, type: "text/plain" })),
  );

  for (const route of discoverRoutes(opts.distDir)) {
    const catchAll = /\[\.\.\.\w+\]/.test(route);
    for (const method of ["GET", "POST", "PUT", "DELETE"]) {
      const cases = sample(fc.record({ segments: fc.array(segmentValues, { minLength: 4, maxLength: 4 }), auth: fc.constantFrom(...AUTH_PATHS), query, body: routeBody, signedIn: fc.boolean(), own: fc.boolean() }), runs * 2);
      for (const c of cases) {
        let i = 0;
        const path = pathOf(route, (segment) => {
          if (catchAll && segment.startsWith("[...")) return c.auth;
          // Half the calls name the caller's own organisation, to get past the membership check to the parsing behind it.
          if (segment === "[org]" && c.own) return encodeURIComponent(opts.orgSlug);
          return c.segments[i++ % c.segments.length]!;
        });
        const withBody = method !== "GET";
        await send(route, method, `${path}${c.query}`, {
          signedIn: c.signedIn,
          headers: { origin, ...(withBody ? { "content-type": c.body.type } : {}) },
          ...(withBody ? { body: c.body.body } : {}),
        });
      }
    }
  }

  log(`requests: ${result.requests}; by status: ${JSON.stringify(result.byStatus)}; failures: ${result.failures.length}`);
  return result;
}
