// The contract: the server with the simulated backend answers every operation (and its errors) exactly
// as openapi.json says, checked with ajv (JSON Schema 2020-12) on every response; and openapi.json's
// schemas are the zod schemas (which are the api-types.ts types, checked at compile time in schemas.ts).
import { readFileSync } from "node:fs";
import { Ajv2020, type ValidateFunction } from "ajv/dist/2020";
import addFormatsModule from "ajv-formats";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { z } from "zod";
import type { CapacityReport, ControlPlaneBackend, Workbench } from "./api-types";
import type { SimulatedBackend } from "./backends/simulated";
import * as schemas from "./schemas";
import { startControlPlaneServer, type RunningControlPlaneServer } from "./server";
import { launchRequest, simulatedForTest } from "./test-support";

// ajv-formats is CommonJS; its default export arrives wrapped under some loaders.
const addFormats = ((addFormatsModule as unknown as { default?: typeof addFormatsModule }).default ?? addFormatsModule) as typeof addFormatsModule;

type Json = Record<string, unknown>;
interface OpenApiDoc {
  openapi: string;
  paths: Record<string, Record<string, Json>>;
  components: { schemas: Record<string, Json>; responses: Record<string, Json>; securitySchemes: Record<string, Json> };
  security: unknown[];
}

const doc = JSON.parse(readFileSync(new URL("./openapi.json", import.meta.url), "utf8")) as OpenApiDoc;
const TOKEN = "contract-test-token-0123456789";

const ajv = new Ajv2020({ allErrors: true, strict: true });
addFormats(ajv);
// OpenAPI's own keywords around the schemas; the schemas themselves stay under strict mode.
ajv.addVocabulary(["openapi", "info", "servers", "security", "tags", "paths", "components", "jsonSchemaDialect"]);
ajv.addSchema(doc as unknown as Json, "openapi.json");
const compiled = new Map<string, ValidateFunction>();
function validatorFor(ref: string): ValidateFunction {
  let v = compiled.get(ref);
  if (!v) {
    v = ajv.compile({ $ref: `openapi.json${ref}` });
    compiled.set(ref, v);
  }
  return v;
}

function deref(object: Json): Json {
  const ref = object.$ref;
  if (typeof ref !== "string") return object;
  const parts = ref.replace(/^#\//, "").split("/");
  let node: unknown = doc;
  for (const part of parts) node = (node as Json)[part.replace(/~1/g, "/").replace(/~0/g, "~")];
  return deref(node as Json);
}

/** Which template of openapi.json a concrete path belongs to. */
function templateOf(path: string): string {
  for (const template of Object.keys(doc.paths)) {
    const pattern = new RegExp(`^${template.replace(/\{[^}]+\}/g, "[^/]+")}$`);
    if (pattern.test(path)) return template;
  }
  throw new Error(`no path in openapi.json for ${path}`);
}

const seen = new Set<string>();

interface Answer {
  status: number;
  body: unknown;
  headers: Headers;
}

/** Calls the server and validates status, content type and body against openapi.json. */
async function call(
  server: RunningControlPlaneServer,
  method: string,
  pathAndQuery: string,
  init: { body?: unknown; rawBody?: string; headers?: Record<string, string>; auth?: boolean } = {},
): Promise<Answer> {
  const headers: Record<string, string> = { ...(init.auth === false ? {} : { Authorization: `Bearer ${TOKEN}` }), ...init.headers };
  let body: string | undefined = init.rawBody;
  if (init.body !== undefined) {
    body = JSON.stringify(init.body);
    headers["Content-Type"] = "application/json";
  }
  const response = await fetch(`${server.url}${pathAndQuery}`, { method, headers, body });
  const text = await response.text();
  const json: unknown = text ? JSON.parse(text) : undefined;

  const path = new URL(pathAndQuery, "http://x").pathname;
  const template = templateOf(path);
  const operation = doc.paths[template]?.[method.toLowerCase()] as Json | undefined;
  expect(operation, `${method} ${template} is in openapi.json`).toBeDefined();
  const responses = (operation?.responses ?? {}) as Record<string, Json>;
  const declared = responses[String(response.status)];
  expect(declared, `${method} ${template} documents status ${response.status}`).toBeDefined();
  const resolved = deref(declared as Json);
  const content = resolved.content as Record<string, { schema: Json }>;
  const contentType = (response.headers.get("content-type") ?? "").split(";")[0] ?? "";
  expect(Object.keys(content), `${method} ${template} ${response.status} content type`).toContain(contentType);
  const schema = content[contentType]?.schema as Json;
  expect(typeof schema.$ref, "response schemas are references").toBe("string");
  const validate = validatorFor(schema.$ref as string);
  if (!validate(json)) {
    throw new Error(`${method} ${pathAndQuery} -> ${response.status} does not match openapi.json: ${ajv.errorsText(validate.errors)}\n${text}`);
  }
  seen.add(`${operation?.operationId as string} ${response.status}`);
  return { status: response.status, body: json, headers: response.headers };
}

describe("openapi.json", () => {
  it("is an OpenAPI 3.1 document with bearer auth and compilable schemas", () => {
    expect(doc.openapi).toBe("3.1.0");
    expect(doc.components.securitySchemes.serviceToken).toMatchObject({ type: "http", scheme: "bearer" });
    expect(doc.security).toEqual([{ serviceToken: [] }]);
    expect((doc.paths["/healthz"]?.get as Json).security).toEqual([]);
    expect((doc.paths["/readyz"]?.get as Json).security).toEqual([]);
    for (const name of Object.keys(doc.components.schemas)) validatorFor(`#/components/schemas/${name}`);
    // Every error response is a problem.
    for (const [path, item] of Object.entries(doc.paths)) {
      for (const [method, operation] of Object.entries(item)) {
        if (method === "parameters") continue;
        for (const [status, response] of Object.entries((operation.responses ?? {}) as Record<string, Json>)) {
          if (Number(status) < 400) continue;
          const content = deref(response).content as Record<string, unknown>;
          expect(Object.keys(content), `${method} ${path} ${status}`).toEqual(["application/problem+json"]);
        }
      }
    }
  });

  // The same resource must have the same fields, requiredness, nullability, enums and bounds in
  // openapi.json and in the zod schemas (and so in api-types.ts).
  const pairs: Array<[string, z.ZodType]> = [
    ["Region", schemas.regionSchema],
    ["ShapeCapacity", schemas.shapeCapacitySchema],
    ["Shape", schemas.shapeSchema],
    ["WorkbenchImage", schemas.workbenchImageSchema],
    ["Workbench", schemas.workbenchSchema],
    ["CreateWorkbenchRequest", schemas.createWorkbenchRequestSchema],
    ["WorkbenchEvent", schemas.workbenchEventSchema],
    ["UsageRecord", schemas.usageRecordSchema],
    ["UsagePage", schemas.usagePageSchema],
    ["Problem", schemas.problemSchema],
    ["RegionList", schemas.regionListSchema],
    ["ShapeList", schemas.shapeListSchema],
    ["ImageList", schemas.imageListSchema],
    ["WorkbenchList", schemas.workbenchListSchema],
    ["EventList", schemas.eventListSchema],
    ["PoolCapacity", schemas.poolCapacitySchema],
    ["CapacityReport", schemas.capacityReportSchema],
  ];
  it.each(pairs)("schema %s mirrors the zod schema", (name, zodSchema) => {
    const fromDoc = normalise(doc.components.schemas[name] as Json);
    const fromZod = normalise(z.toJSONSchema(zodSchema) as Json);
    expect(fromDoc).toEqual(fromZod);
  });
});

/** The parts of a JSON schema the contract is about, in one comparable form. */
function normalise(input: Json): unknown {
  let schema = deref(input);
  const types = new Set<string>();
  if (Array.isArray(schema.anyOf)) {
    // zod writes nullable as anyOf [X, {type: null}].
    const variants = (schema.anyOf as Json[]).map(deref);
    const nonNull = variants.filter((v) => v.type !== "null");
    if (nonNull.length === 1 && variants.length === 2) {
      types.add("null");
      schema = nonNull[0] as Json;
    }
  }
  const type = schema.type;
  for (const t of Array.isArray(type) ? type : type ? [type] : []) types.add(String(t));
  const out: Record<string, unknown> = { type: [...types].sort() };
  if (schema.const !== undefined) out.enum = [schema.const];
  if (Array.isArray(schema.enum)) out.enum = [...(schema.enum as string[])].sort();
  if (schema.format) out.format = schema.format;
  else if (schema.pattern) out.pattern = schema.pattern;
  for (const key of ["minimum", "maximum", "minLength", "maxLength"]) {
    const value = schema[key];
    if (typeof value === "number" && Math.abs(value) !== Number.MAX_SAFE_INTEGER) out[key] = value;
  }
  if (schema.items) out.items = normalise(schema.items as Json);
  if (schema.properties) {
    const props = schema.properties as Record<string, Json>;
    out.properties = Object.fromEntries(Object.keys(props).sort().map((k) => [k, normalise(props[k] as Json)]));
    out.required = [...((schema.required as string[] | undefined) ?? [])].sort();
  }
  return out;
}

describe("the server answers as openapi.json says", () => {
  let sim: Awaited<ReturnType<typeof simulatedForTest>>;
  let backend: SimulatedBackend;
  let server: RunningControlPlaneServer;
  const logs: string[] = [];

  beforeAll(async () => {
    sim = await simulatedForTest();
    backend = sim.backend;
    server = await startControlPlaneServer({ backend, token: TOKEN, log: (line) => logs.push(line) });
    backend.setPublicUrl(server.url);
  });
  afterAll(async () => {
    await server?.close();
    await backend?.close();
  });

  it("serves health without auth", async () => {
    expect((await call(server, "GET", "/healthz", { auth: false })).body).toEqual({ status: "ok" });
    expect((await call(server, "GET", "/readyz", { auth: false })).body).toEqual({ status: "ready" });
  });

  it("refuses /v1 without the right token", async () => {
    const missing = await call(server, "GET", "/v1/regions", { auth: false });
    expect(missing.status).toBe(401);
    expect(missing.headers.get("www-authenticate")).toContain("Bearer");
    expect(missing.body).toMatchObject({ code: "unauthorized", status: 401 });
    const wrong = await call(server, "GET", "/v1/regions", { auth: false, headers: { Authorization: `Bearer ${TOKEN}x` } });
    expect(wrong.status).toBe(401);
    const short = await call(server, "GET", "/v1/workbenches", { auth: false, headers: { Authorization: "Bearer x" } });
    expect(short.status).toBe(401);
    const basic = await call(server, "GET", "/v1/usage", { auth: false, headers: { Authorization: `Basic ${TOKEN}` } });
    expect(basic.status).toBe(401);
  });

  it("serves the catalogue", async () => {
    const regions = await call(server, "GET", "/v1/regions");
    expect((regions.body as { regions: unknown[] }).regions).toHaveLength(2);
    const shapes = await call(server, "GET", "/v1/shapes");
    expect((shapes.body as { shapes: unknown[] }).shapes).toHaveLength(8);
    const images = await call(server, "GET", "/v1/images");
    expect((images.body as { images: unknown[] }).images.length).toBeGreaterThanOrEqual(3);
  });

  it("runs a workbench through its whole life, with every error on the way", async () => {
    const req = launchRequest();
    const key = { "Idempotency-Key": req.externalId };
    // The request we send is valid under openapi.json too.
    expect(validatorFor("#/components/schemas/CreateWorkbenchRequest")(req)).toBe(true);

    const created = await call(server, "POST", "/v1/workbenches", { body: req, headers: key });
    expect(created.status).toBe(201);
    const wb = created.body as Workbench;
    expect(created.headers.get("location")).toBe(`/v1/workbenches/${wb.id}`);
    const replay = await call(server, "POST", "/v1/workbenches", { body: req, headers: key });
    expect(replay.status).toBe(200);
    expect((replay.body as Workbench).id).toBe(wb.id);
    const conflict = await call(server, "POST", "/v1/workbenches", { body: { ...req, displayName: "Other" }, headers: key });
    expect(conflict.status).toBe(409);
    expect(conflict.body).toMatchObject({ code: "idempotency_conflict" });
    const nameTaken = await call(server, "POST", "/v1/workbenches", { body: { ...req, externalId: "other" }, headers: { "Idempotency-Key": "other" } });
    expect(nameTaken.status).toBe(409);
    expect(nameTaken.body).toMatchObject({ code: "invalid_state" });

    // 422: field errors name the field; the header is validated too.
    const invalid = { ...req, storageGb: 5, name: "Not A Label" };
    expect(validatorFor("#/components/schemas/CreateWorkbenchRequest")(invalid)).toBe(false);
    const bad = await call(server, "POST", "/v1/workbenches", { body: invalid, headers: { "Idempotency-Key": "bad-1" } });
    expect(bad.status).toBe(422);
    expect((bad.body as { detail: string }).detail).toContain("storageGb: ");
    expect((bad.body as { detail: string }).detail).toContain("name: must be a DNS-1123 label");
    const extra = await call(server, "POST", "/v1/workbenches", { body: { ...req, gpus: 2 }, headers: { "Idempotency-Key": "bad-2" } });
    expect(extra.status).toBe(422);
    expect((extra.body as { detail: string }).detail).toContain("gpus");
    const noKey = await call(server, "POST", "/v1/workbenches", { body: launchRequest() });
    expect(noKey.status).toBe(422);
    expect((noKey.body as { detail: string }).detail).toContain("Idempotency-Key");
    const notJson = await call(server, "POST", "/v1/workbenches", { rawBody: "{nope", headers: { "Idempotency-Key": "bad-3", "Content-Type": "application/json" } });
    expect(notJson.status).toBe(400);
    // 400: unknown references.
    for (const [field, value, code] of [
      ["shapeId", "tpu-v5", "unknown_shape"],
      ["regionId", "se-sto-1", "unknown_region"],
      ["imageId", "rstudio", "unknown_image"],
    ] as const) {
      const unknown = await call(server, "POST", "/v1/workbenches", { body: launchRequest({ [field]: value }), headers: { "Idempotency-Key": `u-${field}` } });
      expect(unknown.status).toBe(400);
      expect(unknown.body).toMatchObject({ code, status: 400 });
    }

    expect((await call(server, "GET", `/v1/workbenches/${wb.id}`)).status).toBe(200);
    expect((await call(server, "GET", "/v1/workbenches/wb-missing")).status).toBe(404);
    const byTenant = await call(server, "GET", `/v1/workbenches?tenantId=${encodeURIComponent(req.tenantId)}`);
    expect((byTenant.body as { workbenches: Workbench[] }).workbenches.map((w) => w.id)).toContain(wb.id);
    const byExternal = await call(server, "GET", `/v1/workbenches?externalId=${encodeURIComponent(req.externalId)}`);
    expect((byExternal.body as { workbenches: Workbench[] }).workbenches.map((w) => w.id)).toEqual([wb.id]);
    expect((await call(server, "GET", "/v1/workbenches")).status).toBe(200);
    expect((await call(server, "GET", "/v1/workbenches?tenantID=typo")).status).toBe(422);

    await sim.run(400);
    const running = (await call(server, "GET", `/v1/workbenches/${wb.id}`)).body as Workbench;
    expect(running.phase).toBe("RUNNING");
    expect(running.url).toBe(`${server.url}/notebook/${running.project}/${running.name}/lab`);
    const page = await fetch(running.url ?? "");
    expect(page.status).toBe(200);
    expect(page.headers.get("content-type")).toContain("text/html");
    const html = await page.text();
    expect(html).toContain('<html lang="en">');
    expect(html).toContain("<h1>JupyterLab (simulated)</h1>");
    expect((await fetch(`${server.url}/notebook/${running.project}/nobody/lab`)).status).toBe(404);

    const stopped = await call(server, "POST", `/v1/workbenches/${wb.id}/stop`);
    expect(stopped.status).toBe(200);
    expect((stopped.body as Workbench).phase).toBe("STOPPING");
    expect((await call(server, "POST", "/v1/workbenches/wb-missing/stop")).status).toBe(404);
    await sim.run(100);
    const started = await call(server, "POST", `/v1/workbenches/${wb.id}/start`);
    expect(started.status).toBe(200);
    expect((await call(server, "POST", "/v1/workbenches/wb-missing/start")).status).toBe(404);

    const events = await call(server, "GET", `/v1/workbenches/${wb.id}/events`);
    expect((events.body as { events: Array<{ type: string }> }).events.map((e) => e.type)).toContain("STOPPED");
    expect((await call(server, "GET", "/v1/workbenches/wb-missing/events")).status).toBe(404);

    const deleted = await call(server, "DELETE", `/v1/workbenches/${wb.id}`);
    expect(deleted.status).toBe(202);
    expect((deleted.body as Workbench).phase).toBe("DELETING");
    expect((await call(server, "DELETE", "/v1/workbenches/wb-missing")).status).toBe(404);
    const startDeleting = await call(server, "POST", `/v1/workbenches/${wb.id}/start`);
    expect(startDeleting.status).toBe(409);
    expect(startDeleting.body).toMatchObject({ code: "invalid_state" });
    const stopDeleting = await call(server, "POST", `/v1/workbenches/${wb.id}/stop`);
    expect(stopDeleting.status).toBe(409);
    await sim.run(100);
    expect(((await call(server, "GET", `/v1/workbenches/${wb.id}`)).body as Workbench).phase).toBe("DELETED");
  });

  it("pages the usage feed by cursor", async () => {
    const req = launchRequest({ shapeId: "l40s-1x" });
    expect((await call(server, "POST", "/v1/workbenches", { body: req, headers: { "Idempotency-Key": req.externalId } })).status).toBe(201);
    await sim.run(3000, 250);
    const first = await call(server, "GET", "/v1/usage?limit=2");
    const page = first.body as { records: unknown[]; nextCursor: string | null };
    expect(page.records).toHaveLength(2);
    const next = await call(server, "GET", `/v1/usage?after=${page.nextCursor ?? ""}&limit=1000`);
    expect((next.body as { records: unknown[] }).records.length).toBeGreaterThan(0);
    const end = (next.body as { nextCursor: string }).nextCursor;
    const empty = await call(server, "GET", `/v1/usage?after=${end}`);
    expect(empty.body).toEqual({ records: [], nextCursor: end });
    expect((await call(server, "GET", "/v1/usage?limit=0")).status).toBe(422);
    expect((await call(server, "GET", "/v1/usage?limit=abc")).status).toBe(422);
    const badCursor = await call(server, "GET", "/v1/usage?after=xyz");
    expect(badCursor.status).toBe(422);
    expect((badCursor.body as { detail: string }).detail).toContain("after");
  });

  it("reports capacity per region and node pool (details: capacity.test.ts)", async () => {
    const answer = await call(server, "GET", "/v1/capacity");
    expect(answer.status).toBe(200);
    const report = answer.body as CapacityReport;
    expect(report.pools.length).toBeGreaterThan(0);
    for (const pool of report.pools) expect(pool.unitsUsed).toBeLessThanOrEqual(pool.unitsTotal);
    expect((await call(server, "GET", "/v1/capacity", { auth: false })).status).toBe(401);
  });

  it("answers unknown routes with a problem", async () => {
    const response = await fetch(`${server.url}/v1/nothing-here`, { headers: { Authorization: `Bearer ${TOKEN}` } });
    expect(response.status).toBe(404);
    expect(response.headers.get("content-type")).toBe("application/problem+json");
  });

  it("writes one JSON log line per request", () => {
    expect(logs.length).toBeGreaterThan(20);
    for (const line of logs) {
      const entry = JSON.parse(line) as Json;
      expect(entry).toMatchObject({ msg: "request" });
      expect(typeof entry.status === "number" || entry.status === null).toBe(true);
      expect(typeof entry.durationMs).toBe("number");
    }
    expect(logs.join("\n")).not.toContain(TOKEN);
  });

  it("answers injected faults and backend failures with problems, never on health", async () => {
    const flaky = await startControlPlaneServer({ backend, token: TOKEN, faults: { errorRate: 1 }, log: () => {} });
    const failing: ControlPlaneBackend = {
      ...backend,
      listRegions: () => Promise.reject(new Error("boom")),
      listShapes: () => Promise.reject(Object.assign(new Error("connect ECONNREFUSED"), { code: "ECONNREFUSED" })),
    };
    const broken = await startControlPlaneServer({ backend: failing, token: TOKEN, log: () => {} });
    try {
      const unavailable = await call(flaky, "GET", "/v1/workbenches");
      expect(unavailable.status).toBe(503);
      expect(unavailable.body).toMatchObject({ code: "unavailable" });
      expect((await call(flaky, "GET", "/healthz", { auth: false })).status).toBe(200);
      expect((await call(flaky, "GET", "/readyz", { auth: false })).status).toBe(200);

      const internal = await call(broken, "GET", "/v1/regions");
      expect(internal.status).toBe(500);
      expect(internal.body).toMatchObject({ code: "internal" });
      expect(JSON.stringify(internal.body)).not.toContain("boom");
      expect((await call(broken, "GET", "/v1/shapes")).status).toBe(503);
      expect((await call(broken, "GET", "/readyz", { auth: false })).status).toBe(503);
    } finally {
      await flaky.close();
      await broken.close();
    }
  });

  it("exercised every operation of openapi.json", () => {
    const operations = Object.values(doc.paths).flatMap((item) =>
      Object.entries(item)
        .filter(([method]) => method !== "parameters")
        .map(([, op]) => op.operationId as string),
    );
    const succeeded = new Set([...seen].filter((s) => /\s2\d\d$/.test(s)).map((s) => s.split(" ")[0]));
    expect(operations.filter((op) => !succeeded.has(op))).toEqual([]);
    // And the documented error statuses the simulated backend can produce.
    for (const expected of ["createWorkbench 400", "createWorkbench 409", "createWorkbench 422", "getWorkbench 404", "deleteWorkbench 404", "startWorkbench 409", "listUsage 422", "listRegions 401", "listRegions 500", "listWorkbenches 503"]) {
      expect(seen).toContain(expected);
    }
  });
});
