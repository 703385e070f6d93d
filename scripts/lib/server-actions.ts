// Calling Next.js server actions over HTTP the way the browser does, for load and fault tests and
// benchmarks: the action id from the build's server reference manifest, and a POST to the page the form
// is on with `Next-Action`, `Accept: text/x-component`, the router state of that page and the multipart
// body React's `encodeReply` makes of the action's arguments.
//
// Wire format (Next 16 / React 19, as captured from Chromium submitting the portal's forms):
//   - each FormData entry `name` is sent as `_1_name` (the FormData is argument reference 1);
//   - field `0` is the JSON of the argument list, the FormData written as "$K1" and strings that start
//     with "$" escaped as "$$" (`[{"status":"idle"},"$K1"]` for `action(prevState, formData)`);
//   - arguments the action never reads (bits of the id's first byte) are sent as "$undefined";
//   - a form rendered on the server with useActionState also carries React's hidden `$ACTION_*` inputs
//     (its progressive-enhancement fallback), which the browser sends along and the server ignores.
// The answer is an RSC stream: row 0 holds `a`, a reference to the row with the action's return value;
// a redirect comes as the `x-action-redirect: <location>;<push|replace>` header instead.
import { randomBytes } from "node:crypto";
import { readFileSync } from "node:fs";
import * as path from "node:path";
import type { FormState } from "../../server/actions/form-state";
import { ROOT } from "./harness";

// ---------------------------------------------------------------------------------------------
// Build manifests
// ---------------------------------------------------------------------------------------------

interface ReferenceEntry {
  filename: string;
  exportedName: string;
  workers: Record<string, unknown>;
}

const manifests = new Map<string, unknown>();

function readJson<T>(distDir: string, file: string): T {
  const full = path.resolve(ROOT, distDir, file);
  if (!manifests.has(full)) manifests.set(full, JSON.parse(readFileSync(full, "utf8")));
  return manifests.get(full) as T;
}

/** Every server action of a build: id, exported name, source file and the pages that import it. */
export function listActions(distDir: string): Array<{ id: string; exportedName: string; filename: string; pages: string[] }> {
  const manifest = readJson<{ node?: Record<string, ReferenceEntry>; edge?: Record<string, ReferenceEntry> }>(distDir, "server/server-reference-manifest.json");
  const out = new Map<string, { id: string; exportedName: string; filename: string; pages: string[] }>();
  for (const runtime of [manifest.node ?? {}, manifest.edge ?? {}]) {
    for (const [id, entry] of Object.entries(runtime)) {
      if (!out.has(id)) out.set(id, { id, exportedName: entry.exportedName, filename: entry.filename, pages: Object.keys(entry.workers ?? {}) });
    }
  }
  return [...out.values()];
}

/**
 * The id of the server action exported as `exportedName` (from a file whose path contains `fileHint`,
 * when several files export that name). Throws when there is none or more than one.
 */
export function findActionId(distDir: string, exportedName: string, fileHint?: string): string {
  const found = listActions(distDir).filter((a) => a.exportedName === exportedName && (!fileHint || a.filename.includes(fileHint)));
  if (found.length === 1) return found[0]!.id;
  const where = fileHint ? ` in a file matching "${fileHint}"` : "";
  if (found.length === 0) throw new Error(`no server action "${exportedName}"${where} in ${distDir}/server/server-reference-manifest.json (is the build current?)`);
  throw new Error(`"${exportedName}" is exported by several files (${found.map((a) => a.filename).join(", ")}); pass a file hint`);
}

/**
 * The `Next-Router-State-Tree` header the browser sends from `pathname` (the router state of that page,
 * as Next's client strips it for requests), built from the app routes of the build. Undefined when no
 * page route matches.
 */
export function routerStateTree(distDir: string, pathname: string): string | undefined {
  const routes = readJson<Record<string, string>>(distDir, "app-path-routes-manifest.json");
  const parts = pathname.split("?")[0]!.split("/").filter(Boolean).map((p) => decodeURIComponent(p));
  let best: { segments: unknown[]; score: number } | undefined;
  for (const appPath of Object.keys(routes)) {
    if (!appPath.endsWith("/page")) continue;
    const matched = matchAppPath(appPath.split("/").filter(Boolean).slice(0, -1), parts);
    if (matched && (!best || matched.score > best.score)) best = matched;
  }
  if (!best) return undefined;
  let node: unknown[] = ["__PAGE__", {}, null, null, 0];
  for (const segment of [...best.segments].reverse()) node = [segment, { children: node }, null, null, 0];
  return encodeURIComponent(JSON.stringify(["", { children: node }, null, null, 16]));
}

/** Matches app-directory segments (route groups, [param], [...all], [[...opt]]) against URL parts. */
function matchAppPath(appSegments: string[], parts: string[]): { segments: unknown[]; score: number } | undefined {
  const segments: unknown[] = [];
  let i = 0;
  let score = 0;
  for (const seg of appSegments) {
    if (/^\(.*\)$/.test(seg)) {
      segments.push(seg);
      continue;
    }
    const optionalCatchAll = /^\[\[\.\.\.(.+)\]\]$/.exec(seg);
    const catchAll = /^\[\.\.\.(.+)\]$/.exec(seg);
    const dynamic = /^\[(.+)\]$/.exec(seg);
    if (optionalCatchAll || catchAll) {
      const rest = parts.slice(i);
      if (catchAll && rest.length === 0) return undefined;
      segments.push([(optionalCatchAll ?? catchAll)![1], rest.join("/"), optionalCatchAll ? "oc" : "c", null]);
      i = parts.length;
    } else if (dynamic) {
      if (i >= parts.length) return undefined;
      segments.push([dynamic[1], parts[i++], "d", null]);
      score += 1;
    } else {
      if (parts[i] !== seg) return undefined;
      segments.push(seg);
      i++;
      score += 2; // a static segment beats a dynamic one, as in Next's own routing
    }
  }
  return i === parts.length ? { segments, score } : undefined;
}

// ---------------------------------------------------------------------------------------------
// Request body: React's encodeReply for JSON-like arguments and one FormData
// ---------------------------------------------------------------------------------------------

/** Which of the first six arguments the action reads, from the first byte of its id (Next's server reference info). */
function usedArguments(actionId: string): boolean[] {
  const info = Number.parseInt(actionId.slice(0, 2), 16);
  const mask = (info >> 1) & 0x3f;
  return Array.from({ length: 6 }, (_, i) => ((mask >> (5 - i)) & 1) === 1);
}

/** A JSON-like value as React's reply encoder writes it (`$` escaped, undefined and non-finite numbers tagged). */
function encodeValue(value: unknown): unknown {
  if (value === undefined) return "$undefined";
  if (value === null || typeof value === "boolean") return value;
  if (typeof value === "string") return value.startsWith("$") ? `$${value}` : value;
  if (typeof value === "number") {
    if (Number.isNaN(value)) return "$NaN";
    if (value === Infinity) return "$Infinity";
    if (value === -Infinity) return "$-Infinity";
    return Object.is(value, -0) ? "$-0" : value;
  }
  if (Array.isArray(value)) return value.map(encodeValue);
  if (typeof value === "object" && Object.getPrototypeOf(value) === Object.prototype) {
    return Object.fromEntries(Object.entries(value as Record<string, unknown>).map(([k, v]) => [k, encodeValue(v)]));
  }
  throw new Error(`callFormAction can only send JSON-like values as the previous state, not ${Object.prototype.toString.call(value)}`);
}

export type FormFields = FormData | Record<string, string | number | readonly (string | number)[]>;

function toFormData(fields: FormFields): FormData {
  if (fields instanceof FormData) return fields;
  const form = new FormData();
  for (const [name, value] of Object.entries(fields)) {
    for (const v of Array.isArray(value) ? value : [value]) form.append(name, String(v));
  }
  return form;
}

/** The multipart body of `action(prevState, formData)` as the browser's React sends it. */
export function encodeFormActionBody(actionId: string, prevState: unknown, fields: FormFields, options: { ssrForm?: boolean; initialState?: unknown } = {}): FormData {
  const form = toFormData(fields);
  const body = new FormData();
  if (options.ssrForm) {
    // React's hidden inputs of a server-rendered useActionState form. The number is the form's place
    // among the page's action references (2 on the sign-in page, 3 on the launch form); the server
    // ignores these fields for fetch actions, so any number will do.
    body.append("_1_$ACTION_REF_2", "");
    body.append("_1_$ACTION_2:0", JSON.stringify({ id: actionId, bound: "$@1" }));
    body.append("_1_$ACTION_2:1", JSON.stringify([encodeValue(options.initialState ?? { status: "idle" })]));
    body.append("_1_$ACTION_KEY", `k${randomBytes(16).toString("hex")}`);
  }
  for (const [name, value] of form.entries()) {
    if (typeof value === "string") body.append(`_1_${name}`, value);
    else body.append(`_1_${name}`, value, value.name);
  }
  const used = usedArguments(actionId);
  const args: unknown[] = [prevState, "$K1"].map((arg, i) => (used[i] ? (i === 1 ? arg : encodeValue(arg)) : "$undefined"));
  while (args.length > 0 && args[args.length - 1] === "$undefined") args.pop();
  body.append("0", JSON.stringify(args));
  return body;
}

// ---------------------------------------------------------------------------------------------
// Response: the few RSC rows an action's return value needs
// ---------------------------------------------------------------------------------------------

const LENGTH_PREFIXED = new Set(["T", "A", "O", "o", "U", "S", "s", "L", "l", "G", "g", "M", "m", "V", "b"]);

/** Rows of an RSC payload by id: parsed JSON rows, text rows as strings, error rows as `{ $error }`. */
export function parseRscRows(payload: Buffer): Map<number, unknown> {
  const rows = new Map<number, unknown>();
  let pos = 0;
  while (pos < payload.length) {
    const colon = payload.indexOf(0x3a, pos); // ":"
    if (colon < 0) break;
    const idText = payload.subarray(pos, colon).toString("latin1");
    const tag = String.fromCharCode(payload[colon + 1] ?? 0);
    const comma = LENGTH_PREFIXED.has(tag) ? payload.indexOf(0x2c, colon + 2) : -1;
    const lengthText = comma > 0 ? payload.subarray(colon + 2, comma).toString("latin1") : "";
    if (comma > 0 && /^[0-9a-f]+$/.test(lengthText)) {
      const start = comma + 1;
      const end = start + Number.parseInt(lengthText, 16);
      if (tag === "T" && /^[0-9a-f]+$/.test(idText)) rows.set(Number.parseInt(idText, 16), payload.subarray(start, end).toString("utf8"));
      pos = end;
      continue;
    }
    const newline = payload.indexOf(0x0a, colon);
    const end = newline < 0 ? payload.length : newline;
    const text = payload.subarray(colon + 1, end).toString("utf8");
    pos = end + 1;
    if (!/^[0-9a-f]+$/.test(idText)) continue; // hints and debug rows have no id
    const id = Number.parseInt(idText, 16);
    try {
      if (tag === "E") rows.set(id, { $error: JSON.parse(text.slice(1)) as unknown });
      else if (/^[A-Z]$/.test(tag) && tag !== "T") continue; // module imports and other non-model rows
      else rows.set(id, JSON.parse(text) as unknown);
    } catch {
      rows.set(id, text);
    }
  }
  return rows;
}

/** Resolves React's `$` references of a JSON row against the other rows (enough for plain values). */
export function resolveRscValue(value: unknown, rows: Map<number, unknown>, depth = 0): unknown {
  if (depth > 64) return value;
  if (typeof value === "string" && value.startsWith("$")) {
    if (value.startsWith("$$")) return value.slice(1);
    if (value === "$undefined") return undefined;
    if (value === "$NaN") return Number.NaN;
    if (value === "$Infinity") return Infinity;
    if (value === "$-Infinity") return -Infinity;
    if (value === "$-0") return -0;
    if (value.startsWith("$D")) return new Date(value.slice(2));
    if (value.startsWith("$n")) return BigInt(value.slice(2));
    const ref = /^\$@?([0-9a-f]+)((?::[^:]+)*)$/.exec(value);
    if (ref) {
      let target = resolveRscValue(rows.get(Number.parseInt(ref[1]!, 16)), rows, depth + 1);
      for (const key of ref[2] ? ref[2].slice(1).split(":") : []) target = (target as Record<string, unknown> | undefined)?.[key];
      return target;
    }
    return value; // element, module or stream references: left as written
  }
  if (Array.isArray(value)) return value.map((v) => resolveRscValue(v, rows, depth + 1));
  if (value && typeof value === "object") {
    return Object.fromEntries(Object.entries(value as Record<string, unknown>).map(([k, v]) => [k, resolveRscValue(v, rows, depth + 1)]));
  }
  return value;
}

// ---------------------------------------------------------------------------------------------
// The call
// ---------------------------------------------------------------------------------------------

export interface FormActionCall {
  baseUrl: string;
  actionId: string;
  /** The page the form is on (path and query): the browser posts the action to the page's own URL. */
  pagePath: string;
  /** The session cookie header (CookieJar.header()). */
  cookie?: string;
  /** The form's fields, as the browser's FormData of the form holds them. */
  fields: FormFields;
  /** useActionState's previous state: `{ status: "idle" }` on a first submission, then the last answer. */
  prevState?: unknown;
  /** The build directory, to send the page's router state as the browser does (omitted without it). */
  distDir?: string;
  /** A form rendered on the server (not in a client-only dialog): send React's hidden `$ACTION_*` inputs too. */
  ssrForm?: boolean;
  /** Extra request headers (e.g. a user agent). */
  headers?: Record<string, string>;
  /** Gives up after this long (default 60 s); the error is thrown. */
  timeoutMs?: number;
}

export interface FormActionResult<S = FormState> {
  status: number;
  /** Milliseconds until the whole answer was read (the browser also reads the redirect target's payload). */
  ms: number;
  /** `redirect()` in the action: where to (as sent: a path, or an absolute URL) and how. */
  redirect?: { location: string; type?: "push" | "replace" };
  /** The action's return value (absent after a redirect, a thrown error or an unknown action). */
  state?: S;
  /** Thrown on the server: production builds send only a digest and a generic message. */
  error?: { message?: string; digest?: string };
  /** The server did not know the action id (stale build or wrong id). */
  actionNotFound: boolean;
  /** The action revalidated a path or tag (`x-action-revalidated`). */
  revalidated: boolean;
  contentType: string;
  bytes: number;
  /** The answer's text when it was not an RSC payload (an error page, a proxy's answer), cut to 2,000 characters. */
  text?: string;
}

/** Submits a form to its server action as the browser does (fetch action, not the no-JavaScript fallback). */
export async function callFormAction<S = FormState>(call: FormActionCall): Promise<FormActionResult<S>> {
  const url = new URL(call.pagePath, call.baseUrl);
  const headers: Record<string, string> = {
    Accept: "text/x-component",
    "Next-Action": call.actionId,
    Origin: url.origin,
    Referer: url.toString(),
    ...(call.cookie ? { Cookie: call.cookie } : {}),
    ...call.headers,
  };
  const tree = call.distDir ? routerStateTree(call.distDir, url.pathname) : undefined;
  if (tree) headers["Next-Router-State-Tree"] = tree;
  const body = encodeFormActionBody(call.actionId, call.prevState ?? { status: "idle" }, call.fields, { ssrForm: call.ssrForm });

  const started = performance.now();
  const response = await fetch(url, { method: "POST", headers, body, redirect: "manual", signal: AbortSignal.timeout(call.timeoutMs ?? 60_000) });
  const payload = Buffer.from(await response.arrayBuffer());
  const ms = performance.now() - started;

  const contentType = response.headers.get("content-type") ?? "";
  const result: FormActionResult<S> = {
    status: response.status,
    ms,
    actionNotFound: response.headers.get("x-nextjs-action-not-found") === "1",
    revalidated: ["1", "2"].includes(response.headers.get("x-action-revalidated") ?? ""),
    contentType,
    bytes: payload.length,
  };
  const redirect = response.headers.get("x-action-redirect");
  if (redirect) {
    const cut = redirect.lastIndexOf(";");
    const type = cut >= 0 ? redirect.slice(cut + 1) : "";
    result.redirect = {
      location: cut >= 0 && (type === "push" || type === "replace") ? redirect.slice(0, cut) : redirect,
      type: type === "push" || type === "replace" ? type : undefined,
    };
    return result;
  }
  if (!contentType.startsWith("text/x-component")) {
    result.text = payload.toString("utf8").slice(0, 2_000);
    return result;
  }
  const rows = parseRscRows(payload);
  const root = rows.get(0) as { a?: unknown } | undefined;
  const answer = root && typeof root === "object" && "a" in root && typeof root.a === "string" ? /^\$@?([0-9a-f]+)$/.exec(root.a) : null;
  const row = answer ? rows.get(Number.parseInt(answer[1]!, 16)) : undefined;
  if (row && typeof row === "object" && "$error" in row) {
    const e = (row as { $error: { message?: string; digest?: string } }).$error;
    result.error = { message: e?.message, digest: e?.digest };
  } else if (root && typeof root === "object" && "a" in root) {
    result.state = resolveRscValue(root.a, rows) as S;
  } else {
    result.text = payload.toString("utf8").slice(0, 2_000);
  }
  return result;
}
