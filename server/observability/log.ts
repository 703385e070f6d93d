// Structured logs: one JSON object per line, for the web app, the worker and the control plane.
//
//   {"time":"2026-03-02T08:00:00.000Z","level":"info","service":"worker","event":"usage_ingested","seen":12}
//
// - Every level goes to stdout (one stream keeps the order of events; the log collector reads the level
//   from the line, not from the stream).
// - LOG_LEVEL (debug | info | warn | error, default info) drops lines below it; read on every call.
// - Error values become { name, message, stack, code?, cause?, ...their own fields }.
// - Values under keys that look secret (password, token, secret, authorization, cookie, TOTP and
//   recovery codes, API keys, ...) are replaced by "[redacted]" at any depth, and credentials inside
//   strings (user:password@ in URLs, "Bearer ...") are masked.
// Plain TypeScript without "server-only": the worker, the control plane and instrumentation.ts use it.

export type LogLevel = "debug" | "info" | "warn" | "error";
export type LogFields = Record<string, unknown>;

export interface Logger {
  debug(event: string, fields?: LogFields): void;
  info(event: string, fields?: LogFields): void;
  warn(event: string, fields?: LogFields): void;
  error(event: string, fields?: LogFields): void;
}

export interface LoggerOptions {
  /** Overrides LOG_LEVEL. */
  level?: LogLevel;
  /** Where lines go (without the newline); default stdout. */
  write?: (line: string) => void;
  /** Clock; default the system clock. */
  now?: () => Date;
}

const LEVELS: Record<LogLevel, number> = { debug: 10, info: 20, warn: 30, error: 40 };

function isLevel(value: unknown): value is LogLevel {
  return typeof value === "string" && Object.hasOwn(LEVELS, value);
}

/** LOG_LEVEL, or info when it is unset or not a level. */
export function configuredLevel(): LogLevel {
  const raw = process.env.LOG_LEVEL?.trim().toLowerCase();
  return isLevel(raw) ? raw : "info";
}

export const REDACTED = "[redacted]";

/** Parts of a key (lower case, without "-" and "_") whose values are never logged. */
const SECRET_KEY_PARTS = ["password", "passphrase", "passwd", "secret", "token", "authorization", "cookie", "credential", "apikey", "privatekey", "sessionid", "totp"];
/** Whole keys, or endings of keys, that are secret too: `pass`, `pwd`, `otp`, `recoveryCode(s)`, `verificationCode`, ... */
const SECRET_KEY_PATTERN = /^(pass|pwd|otp|pin)$|(recovery|verification|auth|reset|mfa|backup|otp|one[a-z]*)codes?$/;

/** An error code ("ECONNREFUSED", "P2002", "57P01", "invalid_state", 404) is kept under a plain `code` key; anything else there (a TOTP or recovery code) is not. */
function isErrorCode(value: unknown): boolean {
  if (typeof value === "number") return Number.isInteger(value) && value >= 0 && value < 1000;
  if (typeof value !== "string") return false;
  return /^E[A-Z]+$|^ERR_[A-Z0-9_]+$|^UND_ERR_[A-Z_]+$|^P\d{4}$|^[0-9][0-9A-Z]{4}$|^[a-z]+(_[a-z]+)*$/.test(value);
}

/** True for keys whose value must not be logged. */
export function isSecretKey(key: string, value?: unknown): boolean {
  const normal = key.toLowerCase().replace(/[-_]/g, "");
  if (normal === "code") return !isErrorCode(value);
  return SECRET_KEY_PARTS.some((part) => normal.includes(part)) || SECRET_KEY_PATTERN.test(normal);
}

/** Masks credentials inside free text: `scheme://user:password@` and `Bearer <token>`. */
export function maskSecretsInText(text: string): string {
  return text.replace(/([a-z][a-z0-9+.-]*:\/\/)[^\s/@:]*:[^\s/@]*@/gi, `$1${REDACTED}@`).replace(/\b(Bearer|Basic)\s+[A-Za-z0-9._~+/=-]+/g, `$1 ${REDACTED}`);
}

const MAX_DEPTH = 8;
const MAX_STRING = 8_000;

function serialiseError(error: Error, seen: WeakSet<object>, depth: number): Record<string, unknown> {
  const out: Record<string, unknown> = { name: error.name, message: maskSecretsInText(error.message) };
  if (error.stack) out.stack = maskSecretsInText(error.stack);
  // Own fields such as code, status, kind, problem (not the ones above).
  for (const [key, value] of Object.entries(error)) {
    if (key in out || key === "cause") continue;
    out[key] = isSecretKey(key, value) ? REDACTED : toLogValue(value, seen, depth + 1);
  }
  if (error.cause !== undefined) out.cause = toLogValue(error.cause, seen, depth + 1);
  if (error instanceof AggregateError) out.errors = toLogValue(error.errors, seen, depth + 1);
  return out;
}

/** A value as it is logged: JSON-safe, errors expanded, secrets redacted, cycles and depth cut. */
export function toLogValue(value: unknown, seen: WeakSet<object> = new WeakSet(), depth = 0): unknown {
  if (value === null || value === undefined) return value;
  switch (typeof value) {
    case "string":
      return maskSecretsInText(value.length > MAX_STRING ? `${value.slice(0, MAX_STRING)}…` : value);
    case "number":
      return Number.isFinite(value) ? value : String(value);
    case "boolean":
      return value;
    case "bigint":
      return value.toString();
    case "function":
    case "symbol":
      return undefined;
  }
  const object = value;
  if (object instanceof Date) return Number.isNaN(object.getTime()) ? "Invalid Date" : object.toISOString();
  if (object instanceof URL) return maskSecretsInText(object.toString());
  if (Buffer.isBuffer(object) || object instanceof Uint8Array) return `[${object.byteLength} bytes]`;
  if (seen.has(object)) return "[circular]";
  if (depth >= MAX_DEPTH) return "[too deep]";
  seen.add(object);
  try {
    if (object instanceof Error) return serialiseError(object, seen, depth);
    if (Array.isArray(object)) return object.map((item) => toLogValue(item, seen, depth + 1) ?? null);
    if (object instanceof Map) return toLogValue(Object.fromEntries(object), seen, depth + 1);
    if (object instanceof Set) return toLogValue([...object], seen, depth + 1);
    const out: Record<string, unknown> = {};
    for (const [key, item] of Object.entries(object)) {
      out[key] = isSecretKey(key, item) ? REDACTED : toLogValue(item, seen, depth + 1);
    }
    return out;
  } finally {
    seen.delete(object);
  }
}

const RESERVED_KEYS = new Set(["time", "level", "service", "event"]);

/** One log line (without the newline). Fields named like the envelope (time, level, service, event) are kept as `field_<name>`. */
export function formatLogLine(service: string, level: LogLevel, event: string, fields: LogFields = {}, now: Date = new Date()): string {
  const entry: Record<string, unknown> = { time: now.toISOString(), level, service, event };
  const body = toLogValue(fields);
  if (body && typeof body === "object" && !Array.isArray(body)) {
    for (const [key, value] of Object.entries(body)) entry[RESERVED_KEYS.has(key) ? `field_${key}` : key] = value;
  }
  try {
    return JSON.stringify(entry);
  } catch (error) {
    return JSON.stringify({ time: entry.time, level, service, event, logError: String(error) });
  }
}

const stdout = (line: string) => {
  process.stdout.write(`${line}\n`);
};

/** A logger for one service: `log.info("event_name", { ...fields })`. */
export function createLogger(service: string, options: LoggerOptions = {}): Logger {
  const write = options.write ?? stdout;
  const now = options.now ?? (() => new Date());
  const emit = (level: LogLevel) => (event: string, fields?: LogFields) => {
    if (LEVELS[level] < LEVELS[options.level ?? configuredLevel()]) return;
    write(formatLogLine(service, level, event, fields, now()));
  };
  return { debug: emit("debug"), info: emit("info"), warn: emit("warn"), error: emit("error") };
}
