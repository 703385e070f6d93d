// Generators of hostile input, shared by the domain fuzz test and the HTTP fuzzer: values of the wrong
// type, huge strings, treacherous unicode, out-of-range numbers and dates, and mutations of a valid
// input (a field set to any of those, a required field missing, extra fields, no object at all).
import fc from "fast-check";

/** One seed for every fuzz run, so a failure can be replayed exactly (FUZZ_SEED=<n> explores others). */
export const FUZZ_SEED = Number(process.env.FUZZ_SEED) || 20_260_517;

/** Multiplies the number of runs for a longer exploration (FUZZ_RUNS=10); 1 in the usual test run. */
export const FUZZ_RUNS_FACTOR = Math.max(1, Number(process.env.FUZZ_RUNS) || 1);

export interface FuzzValueOptions {
  /** Only values JSON (and so a browser's request) can carry: no undefined, BigInt, Date or functions. */
  json?: boolean;
}

/** Pieces of text that break naive handling: NUL, bidi overrides, lone surrogates, combining marks... */
export const TRICKY_FRAGMENTS: readonly string[] = [
  "\u0000",
  "a\u0000b",
  "\u202e",
  "\u202d",
  "\u2066",
  "\u2069",
  "\ufeff",
  "\u200b",
  "\u200d",
  "\u00ad",
  "\ud800",
  "\udfff",
  "\udbff\udbff",
  "e\u0301\u0302\u0303\u0304\u0305",
  "Z\u0337\u0322\u031b\u0327",
  "💥",
  "👩🏽‍💻",
  "🇳🇴",
  "𝕏𝔶𝔷",
  "\r\n",
  "\t",
  "\u2028",
  "\u0085",
  "\u001b[31m",
  "'; DROP TABLE membership; --",
  '" OR 1=1 --',
  "<script>alert(1)</script>",
  "{{7*7}}",
  "${process.exit()}",
  "../../etc/passwd",
  "..%2f..%2f",
  "%00",
  "%s%n%x",
  "\\",
  "$ACTION_ID_x",
  "$undefined",
  "$@0",
  "æøå ÆØÅ",
  "ﷺ",
  "\u0130ß",
];

/** Text made of tricky fragments and arbitrary code points (lone surrogates included). */
export const trickyString: fc.Arbitrary<string> = fc
  .array(fc.oneof({ weight: 3, arbitrary: fc.constantFrom(...TRICKY_FRAGMENTS) }, { weight: 1, arbitrary: fc.string({ unit: "binary", maxLength: 6 }) }), {
    minLength: 1,
    maxLength: 6,
  })
  .map((parts) => parts.join(""));

/** 100 kB to 1 MB of one repeated piece (ASCII, digits, multi-byte, emoji, NUL, combining marks). */
export const hugeString: fc.Arbitrary<string> = fc
  .tuple(fc.integer({ min: 100_000, max: 1_000_000 }), fc.constantFrom("a", "9", "ø", "💥", "\u0000", "-", " ", "e\u0301", "<"))
  .map(([length, piece]) => piece.repeat(Math.ceil(length / piece.length)).slice(0, length));

/** Text that looks like a number or a date but is out of range or malformed. */
export const outOfRangeText: fc.Arbitrary<string> = fc.oneof(
  fc.constantFrom(
    "-1",
    "0",
    "-0",
    "1e309",
    "-1e309",
    "NaN",
    "Infinity",
    "0x1F",
    "1_000",
    "1,2,3",
    "12 500,505",
    "9".repeat(40),
    "2147483648",
    "-2147483649",
    "9007199254740993",
    "0.000000001",
    "1.5",
    "2026-02-30",
    "2026-13-01",
    "0000-01-01",
    "0001-01-01",
    "9999-12-31",
    "275760-09-14",
    "+020000-01-01",
    "-000001-01-01",
    "1970-01-01T00:00:00Z",
    "2026-1-1",
    " ",
    "",
  ),
  fc.integer({ min: -1_000_000_000, max: 1_000_000_000 }).map(String),
  fc.double({ noNaN: false }).map(String),
);

/**
 * The few values most likely to slip through a schema and break something behind it: dates PostgreSQL
 * cannot store or that do not exist, integers past 32 and 53 bits, non-numbers, NUL, a lone surrogate.
 */
export const EDGE_VALUES: readonly string[] = [
  "0000-01-01",
  "0001-01-01",
  "9999-12-31",
  "2026-02-29",
  "-1",
  "0",
  "-0",
  "2147483648",
  "9007199254740993",
  "999999999",
  "1e309",
  "NaN",
  "1.5",
  "a\u0000b",
  "a\ud800b",
  "\u202eabc",
];

/** Numbers no form would send: negative, huge, fractional, NaN, infinities, -0. */
export function outOfRangeNumber(options: FuzzValueOptions = {}): fc.Arbitrary<number> {
  const specials = options.json ? [-1, 0, 1e308, -1e308, 2 ** 53 + 2, -(2 ** 31), 0.5] : [-1, 0, -0, NaN, Infinity, -Infinity, 1e308, 2 ** 53 + 2, 0.5];
  return fc.oneof(fc.constantFrom(...specials), fc.integer(), fc.double({ noNaN: options.json, noDefaultInfinity: options.json }));
}

/**
 * A value of some type other than a form's string: numbers, booleans, null, arrays, objects (and, in
 * process, undefined, BigInt, Date, Map, and an object that cannot even be turned into a primitive).
 */
export function wrongTypeValue(options: FuzzValueOptions = {}): fc.Arbitrary<unknown> {
  const leaf = fc.oneof(fc.integer(), fc.boolean(), fc.constant(null), fc.string({ maxLength: 8 }));
  const json: Array<fc.Arbitrary<unknown>> = [
    outOfRangeNumber(options),
    fc.boolean(),
    fc.constant(null),
    fc.array(leaf, { maxLength: 4 }),
    fc.array(fc.array(leaf, { maxLength: 2 }), { maxLength: 2 }),
    // Objects without a prototype only in process: a browser's encoder refuses them.
    fc.dictionary(fc.string({ maxLength: 6 }), leaf, { maxKeys: 3, noNullPrototype: options.json === true }),
    fc.constant({}),
    fc.constant([]),
  ];
  if (options.json) return fc.oneof(...json);
  return fc.oneof(...json, fc.constant(undefined), fc.bigInt(), fc.date({ noInvalidDate: false }), fc.constant(new Map([["a", 1]])), fc.constant({ toString: 5, valueOf: null }));
}

/** Any bad value for one field. */
export function badValue(options: FuzzValueOptions = {}): fc.Arbitrary<unknown> {
  return fc.oneof(
    { weight: 4, arbitrary: wrongTypeValue(options) },
    { weight: 1, arbitrary: hugeString },
    { weight: 3, arbitrary: trickyString },
    { weight: 3, arbitrary: outOfRangeText },
  );
}

/** Names of fields no form has, including ones that pollute prototypes or mimic framework fields. */
export const extraFieldName: fc.Arbitrary<string> = fc.oneof(
  fc.constantFrom("__proto__", "constructor", "prototype", "toString", "isAdmin", "role", "userId", "orgId ", "$ACTION_ID_0", "$ACTION_REF_1", "1_$ACTION_KEY", "id", "status"),
  fc.string({ minLength: 1, maxLength: 12 }),
);

export type Mutation = { kind: "set"; field: string; value: unknown } | { kind: "delete"; field: string } | { kind: "extra"; field: string; value: unknown };

/** Sets a property as an own, enumerable one, even "__proto__". */
export function setOwn(target: Record<string, unknown>, key: string, value: unknown): void {
  Object.defineProperty(target, key, { value, enumerable: true, writable: true, configurable: true });
}

export function applyMutations(template: Record<string, unknown>, mutations: readonly Mutation[]): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(template)) setOwn(out, k, v);
  for (const m of mutations) {
    if (m.kind === "delete") delete out[m.field];
    else setOwn(out, m.field, m.value);
  }
  return out;
}

/** Not an object at all: what arrives when a client sends something else entirely. */
export function nonObjectInput(options: FuzzValueOptions = {}): fc.Arbitrary<unknown> {
  return fc.oneof(fc.constant(null), fc.string({ maxLength: 20 }), fc.integer(), fc.boolean(), fc.array(fc.string({ maxLength: 5 }), { maxLength: 3 }), ...(options.json ? [] : [fc.constant(undefined)]));
}

/**
 * A valid input spoiled by one to three mutations (a field set to a bad value, a field missing, an
 * extra field), or now and then not an object at all.
 */
export function mutatedInput(template: Record<string, unknown>, fields: readonly string[], options: FuzzValueOptions = {}): fc.Arbitrary<unknown> {
  const names = fields.length > 0 ? fields : Object.keys(template);
  const field = fc.constantFrom(...(names.length > 0 ? names : ["value"]));
  const mutation: fc.Arbitrary<Mutation> = fc.oneof(
    { weight: 6, arbitrary: fc.record({ kind: fc.constant("set" as const), field, value: badValue(options) }) },
    { weight: 2, arbitrary: fc.record({ kind: fc.constant("delete" as const), field }) },
    { weight: 1, arbitrary: fc.record({ kind: fc.constant("extra" as const), field: extraFieldName, value: wrongTypeValue(options) }) },
  );
  return fc.oneof(
    { weight: 12, arbitrary: fc.array(mutation, { minLength: 1, maxLength: 3 }).map((ms) => applyMutations(template, ms)) },
    { weight: 1, arbitrary: nonObjectInput(options) },
  );
}

/** A short, printable description of a fuzz value (huge strings and deep values abbreviated). */
export function describeValue(value: unknown, depth = 0): string {
  if (typeof value === "string") {
    const shown = JSON.stringify(value.length > 80 ? value.slice(0, 80) : value);
    return value.length > 80 ? `${shown}…(${value.length} chars)` : shown;
  }
  if (typeof value === "bigint") return `${value}n`;
  if (typeof value === "symbol") return String(value);
  if (value === undefined) return "undefined";
  if (value instanceof Date) return `Date(${Number.isNaN(value.getTime()) ? "invalid" : value.toISOString()})`;
  if (typeof FormData !== "undefined" && value instanceof FormData) {
    return `FormData{${[...value.entries()].map(([k, v]) => `${describeValue(k)}: ${typeof v === "string" ? describeValue(v) : "File"}`).join(", ")}}`;
  }
  if (depth > 2) return "…";
  if (Array.isArray(value)) return `[${value.map((v) => describeValue(v, depth + 1)).join(", ")}]`;
  if (value instanceof Map) return `Map(${value.size})`;
  if (typeof value === "object" && value !== null) {
    return `{${Object.entries(value).map(([k, v]) => `${JSON.stringify(k)}: ${describeValue(v, depth + 1)}`).join(", ")}}`;
  }
  return String(value);
}
