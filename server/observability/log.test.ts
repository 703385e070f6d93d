// JSON log lines: envelope, levels, errors, redaction.
import { afterEach, describe, expect, it, vi } from "vitest";
import { createLogger, formatLogLine, isSecretKey, maskSecretsInText, REDACTED, toLogValue, type LoggerOptions } from "./log";

const NOW = new Date("2026-03-02T08:00:00.000Z");

function capture(options: LoggerOptions = {}) {
  const lines: string[] = [];
  const log = createLogger("worker", { write: (line) => lines.push(line), now: () => NOW, ...options });
  const entries = () => lines.map((line) => JSON.parse(line) as Record<string, unknown>);
  return { log, lines, entries };
}

afterEach(() => {
  vi.unstubAllEnvs();
  vi.restoreAllMocks();
});

describe("createLogger", () => {
  it("writes one JSON line per call with time, level, service, event and the fields", () => {
    const { log, lines, entries } = capture();
    log.info("usage_ingested", { seen: 12, hoursTouched: 3 });
    log.warn("reconcile_error", { workbench: "wb-1" });
    log.error("job_failed");
    expect(lines).toHaveLength(3);
    for (const line of lines) expect(line).not.toContain("\n");
    expect(entries()).toEqual([
      { time: "2026-03-02T08:00:00.000Z", level: "info", service: "worker", event: "usage_ingested", seen: 12, hoursTouched: 3 },
      { time: "2026-03-02T08:00:00.000Z", level: "warn", service: "worker", event: "reconcile_error", workbench: "wb-1" },
      { time: "2026-03-02T08:00:00.000Z", level: "error", service: "worker", event: "job_failed" },
    ]);
    expect(Object.keys(entries()[0]!).slice(0, 4)).toEqual(["time", "level", "service", "event"]);
  });

  it("writes every level to stdout by default", () => {
    const out = vi.spyOn(process.stdout, "write").mockImplementation(() => true);
    const err = vi.spyOn(process.stderr, "write").mockImplementation(() => true);
    const log = createLogger("web");
    log.error("request_error", { digest: "123" });
    log.info("started");
    expect(out).toHaveBeenCalledTimes(2);
    expect(err).not.toHaveBeenCalled();
    expect(String(out.mock.calls[0]?.[0])).toMatch(/^\{"time":"[^"]+","level":"error","service":"web","event":"request_error","digest":"123"\}\n$/);
  });

  it("drops lines below LOG_LEVEL (default info; read on every call; an unknown value means info)", () => {
    const { log, entries } = capture();
    log.debug("noise");
    vi.stubEnv("LOG_LEVEL", "debug");
    log.debug("detail");
    vi.stubEnv("LOG_LEVEL", "WARN");
    log.info("dropped");
    log.warn("kept");
    vi.stubEnv("LOG_LEVEL", "verbose");
    log.debug("dropped too");
    log.info("kept too");
    expect(entries().map((e) => e.event)).toEqual(["detail", "kept", "kept too"]);
    const fixed = capture({ level: "error" });
    vi.stubEnv("LOG_LEVEL", "debug");
    fixed.log.warn("ignored");
    fixed.log.error("shown");
    expect(fixed.entries().map((e) => e.event)).toEqual(["shown"]);
  });

  it("keeps the envelope: fields named time, level, service or event are renamed", () => {
    const { log, entries } = capture();
    log.info("request", { level: "x", service: "y", time: 1, event: "z", msg: "request" });
    expect(entries()[0]).toEqual({
      time: "2026-03-02T08:00:00.000Z",
      level: "info",
      service: "worker",
      event: "request",
      field_level: "x",
      field_service: "y",
      field_time: 1,
      field_event: "z",
      msg: "request",
    });
  });
});

describe("errors", () => {
  it("serialises name, message, stack, cause and own fields", () => {
    const root = Object.assign(new Error("connect ECONNREFUSED 127.0.0.1:5432"), { code: "ECONNREFUSED", errno: -111 });
    class ControlPlaneError extends Error {
      constructor(
        readonly kind: string,
        message: string,
        readonly status: number | null,
        options?: { cause?: unknown },
      ) {
        super(message, options);
        this.name = "ControlPlaneError";
      }
    }
    const error = new ControlPlaneError("unavailable", "The control plane cannot be reached", null, { cause: root });
    const { log, entries } = capture();
    log.error("job_failed", { job: "ingest-usage", error });
    const logged = entries()[0]!.error as Record<string, unknown>;
    expect(logged).toMatchObject({ name: "ControlPlaneError", message: "The control plane cannot be reached", kind: "unavailable", status: null });
    expect(String(logged.stack)).toContain("log.test.ts");
    expect(logged.cause).toMatchObject({ name: "Error", message: "connect ECONNREFUSED 127.0.0.1:5432", code: "ECONNREFUSED", errno: -111 });
  });

  it("handles thrown non-errors, aggregate errors, cycles, bigints, dates and depth", () => {
    const cyclic: Record<string, unknown> = { name: "a" };
    cyclic.self = cyclic;
    const deep = { a: { b: { c: { d: { e: { f: { g: { h: { i: { j: 1 } } } } } } } } } };
    const value = toLogValue({
      thrown: "a string",
      aggregate: new AggregateError([new Error("one"), new TypeError("two")], "both failed"),
      cyclic,
      big: 12n,
      at: new Date("2026-01-01T00:00:00Z"),
      notNumber: Number.NaN,
      fn: () => 1,
      bytes: Buffer.from("secret bytes"),
      set: new Set([1, 2]),
      map: new Map([["k", "v"]]),
      deep,
    }) as Record<string, unknown>;
    expect(value.thrown).toBe("a string");
    expect((value.aggregate as { errors: Array<{ message: string }> }).errors.map((e) => e.message)).toEqual(["one", "two"]);
    expect(value.cyclic).toEqual({ name: "a", self: "[circular]" });
    expect(value.big).toBe("12");
    expect(value.at).toBe("2026-01-01T00:00:00.000Z");
    expect(value.notNumber).toBe("NaN");
    expect(value).not.toHaveProperty("fn", expect.anything());
    expect(value.bytes).toBe("[12 bytes]");
    expect(value.set).toEqual([1, 2]);
    expect(value.map).toEqual({ k: "v" });
    expect(JSON.stringify(value.deep)).toContain("[too deep]");
    // The same object twice (not a cycle) is logged twice.
    const shared = { x: 1 };
    expect(toLogValue({ a: shared, b: shared })).toEqual({ a: { x: 1 }, b: { x: 1 } });
  });
});

describe("redaction", () => {
  it("redacts secret-looking keys at any depth, in arrays and in errors", () => {
    const { log, lines, entries } = capture();
    const error = Object.assign(new Error("refused"), { config: { headers: { Authorization: "Bearer abc.def" } }, password: "hunter2" });
    log.info("sign_in", {
      email: "kari@example.no",
      password: "hunter2",
      user: { passwordHash: "$argon2id$...", totpSecret: "JBSWY3DPEHPK3PXP", name: "Kari" },
      headers: { cookie: "authjs.session-token=xyz", "set-cookie": ["a=b"], "x-api-key": "k-123", accept: "text/html" },
      tokens: [{ accessToken: "at-1", refresh_token: "rt-1" }],
      form: { totp: "123456", recoveryCode: "7K3QD-MX9PA", verificationCode: "654321", passphrase: "p" },
      clientSecret: "s3cr3t",
      error,
    });
    const text = lines.join("\n");
    for (const secret of ["hunter2", "$argon2id$", "JBSWY3DPEHPK3PXP", "xyz", "a=b", "k-123", "at-1", "rt-1", "123456", "7K3QD-MX9PA", "654321", "s3cr3t", "abc.def"]) {
      expect(text).not.toContain(secret);
    }
    const entry = entries()[0]!;
    expect(entry.email).toBe("kari@example.no");
    expect(entry.password).toBe(REDACTED);
    expect(entry.user).toEqual({ passwordHash: REDACTED, totpSecret: REDACTED, name: "Kari" });
    expect((entry.headers as Record<string, unknown>).accept).toBe("text/html");
    expect(entry.tokens).toBe(REDACTED);
  });

  it("keeps error codes under `code` but not one-time codes", () => {
    for (const code of ["ECONNREFUSED", "EADDRINUSE", "ERR_INVALID_URL", "UND_ERR_CONNECT_TIMEOUT", "P2002", "57P01", "23505", "invalid_state", "unavailable", 404]) {
      expect(isSecretKey("code", code), String(code)).toBe(false);
    }
    for (const code of ["123456", "7K3QD-MX9PA", "7K3QDMX9PA", 123456, "abc.def"]) {
      expect(isSecretKey("code", code), String(code)).toBe(true);
    }
    expect(toLogValue({ code: "123456", error: Object.assign(new Error("x"), { code: "P2002" }) })).toMatchObject({ code: REDACTED, error: { code: "P2002" } });
  });

  it("leaves ordinary keys alone", () => {
    for (const key of ["email", "sessionVersion", "workbench", "status", "path", "job", "queue", "digest", "routeType", "encoding", "compass"]) {
      expect(isSecretKey(key, "x"), key).toBe(false);
    }
  });

  it("masks credentials inside text", () => {
    expect(maskSecretsInText("connect to postgresql://portal:s3cret@db:5432/portal failed")).toBe(`connect to postgresql://${REDACTED}@db:5432/portal failed`);
    expect(maskSecretsInText("smtp://user:pass@smtp.example.no:587")).toBe(`smtp://${REDACTED}@smtp.example.no:587`);
    expect(maskSecretsInText("Authorization: Bearer abc.def-123")).toBe(`Authorization: Bearer ${REDACTED}`);
    expect(maskSecretsInText("see https://example.no/a@b")).toBe("see https://example.no/a@b");
    const line = formatLogLine("worker", "error", "job_failed", { error: new Error("no route to smtp://u:p4ss@mail:25") }, NOW);
    expect(line).not.toContain("p4ss");
  });
});
