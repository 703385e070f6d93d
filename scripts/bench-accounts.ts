// Organisations and sign-ins that `npm run usage:generate` creates and `npm run bench:usage` uses.
// Benchmark data only: never load it into a production database.

/** The one large organisation that holds the vast majority of the generated usage. */
export const BIG_ORG_SLUG = "bench-big";
/** Small organisations are `bench-small-001`, `bench-small-002`, ...; the first is always active in the last days. */
export const SMALL_ORG_PREFIX = "bench-small-";
export const smallOrgSlug = (n: number): string => `${SMALL_ORG_PREFIX}${String(n).padStart(3, "0")}`;

/** Owner of bench-big; the benchmark signs in as this user. */
export const BENCH_EMAIL = "bench@bench-big.example";
/** Shared by every generated user (owners of the small organisations: owner@bench-small-NNN.example). */
export const BENCH_PASSWORD = "Bench-usage-2026";

/** Generated usage records have ids starting with this; generated workbenches too. */
export const GENERATED_PREFIX = "gen-";
/** Length of one generated usage interval, seconds. */
export const INTERVAL_SECONDS = 300;

/** The database of `npm run dev` unless DATABASE_URL says otherwise. */
export function useDevDatabaseByDefault(): string {
  process.env.DATABASE_URL ??= `postgresql://postgres:postgres@127.0.0.1:${process.env.PG_PORT ?? "54329"}/portal`;
  return process.env.DATABASE_URL;
}

/** `--name value` / `--name=value` / `--flag` arguments; unknown names are an error. */
export function parseArgs(argv: string[], known: Record<string, "string" | "boolean">): Record<string, string | boolean> {
  const out: Record<string, string | boolean> = {};
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    const m = /^--([a-z-]+)(?:=(.*))?$/.exec(arg);
    if (!m || !known[m[1]!]) throw new Error(`unknown argument ${arg}; expected ${Object.keys(known).map((k) => `--${k}`).join(", ")}`);
    const name = m[1]!;
    if (known[name] === "boolean") {
      out[name] = m[2] === undefined ? true : m[2] !== "false" && m[2] !== "0";
    } else {
      const value = m[2] ?? argv[++i];
      if (value === undefined) throw new Error(`--${name} needs a value`);
      out[name] = value;
    }
  }
  return out;
}

/** A positive integer argument (underscores allowed: 10_000_000), or the default. */
export function intArg(args: Record<string, string | boolean>, name: string, fallback: number, min = 1): number {
  const raw = args[name];
  if (raw === undefined) return fallback;
  const n = Number(String(raw).replace(/_/g, ""));
  if (!Number.isInteger(n) || n < min) throw new Error(`--${name} must be an integer >= ${min}`);
  return n;
}
