// Prisma CLI configuration: the JS (WASM) engine with the pg driver adapter, so migrations run
// without downloading any native engine.
import { existsSync } from "node:fs";
import { randomUUID } from "node:crypto";
import pg from "pg";
import { PrismaPg } from "@prisma/adapter-pg";
import { defineConfig } from "prisma/config";

if (existsSync(".env")) process.loadEnvFile(".env");

// The adapter cannot map the catalog types `name` (19) and `"char"` (18) that introspection
// reads; present them as text (25) before Prisma looks at the fields.
const CATALOG_TEXT_TYPES = new Set([18, 19]);
function textifyCatalogTypes(res: pg.QueryResult | undefined) {
  for (const field of res?.fields ?? []) {
    if (CATALOG_TEXT_TYPES.has(field.dataTypeID)) field.dataTypeID = 25;
  }
  return res;
}
const originalQuery = pg.Client.prototype.query as (...args: unknown[]) => unknown;
pg.Client.prototype.query = function patchedQuery(this: pg.Client, ...args: unknown[]) {
  const last = args.at(-1);
  if (typeof last === "function") {
    args[args.length - 1] = (err: Error | null, res?: pg.QueryResult) => last(err, textifyCatalogTypes(res));
    return originalQuery.apply(this, args);
  }
  const result = originalQuery.apply(this, args);
  if (result && typeof (result as Promise<unknown>).then === "function") {
    return (result as Promise<pg.QueryResult>).then(textifyCatalogTypes);
  }
  return result;
} as typeof pg.Client.prototype.query;

// The WASM engine leaves long timers armed; let the CLI exit as soon as its work is done.
const originalSetTimeout = globalThis.setTimeout;
globalThis.setTimeout = ((...args: Parameters<typeof setTimeout>) => {
  const timer = originalSetTimeout(...args);
  if (typeof args[1] === "number" && args[1] >= 5_000) timer.unref?.();
  return timer;
}) as typeof setTimeout;

function databaseUrl(): string {
  const url = process.env.DATABASE_URL;
  if (!url) throw new Error("DATABASE_URL is not set: run through `npm run dev` or set it to a PostgreSQL URL.");
  return url;
}

function poolFor(url: string) {
  return new pg.Pool({ connectionString: url, allowExitOnIdle: true, max: 4 });
}

type ScriptAdapter = { executeScript(script: string): Promise<void> };

/**
 * The adapter runs a migration by splitting it on every ";", which breaks function bodies (triggers).
 * Send the script whole instead: PostgreSQL runs a multi-statement query in one implicit transaction.
 */
function wholeScripts<T extends ScriptAdapter>(adapter: T): T {
  const inner = adapter as unknown as { client: pg.Pool; onError(error: unknown): never };
  adapter.executeScript = async (script: string) => {
    try {
      await inner.client.query(script);
    } catch (error) {
      inner.onError(error);
    }
  };
  return adapter;
}

class CliPrismaPg extends PrismaPg {
  override async connect() {
    return wholeScripts(await super.connect());
  }

  // The stock shadow database connects to the main database; use a throw-away one instead.
  override async connectToShadowDb() {
    const admin = poolFor(databaseUrl());
    const name = `prisma_shadow_${randomUUID().replaceAll("-", "")}`;
    await admin.query(`CREATE DATABASE "${name}"`);
    const url = new URL(databaseUrl());
    url.pathname = `/${name}`;
    const shadow = wholeScripts(await new PrismaPg(poolFor(url.toString()), { disposeExternalPool: true }).connect());
    const dispose = shadow.dispose.bind(shadow);
    shadow.dispose = async () => {
      await dispose();
      await admin.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
      await admin.end();
    };
    return shadow;
  }
}

export default defineConfig({
  experimental: { adapter: true },
  engine: "js",
  schema: "prisma/schema.prisma",
  migrations: { path: "prisma/migrations", seed: "node --conditions=react-server --import tsx prisma/seed.ts" },
  adapter: async () => new CliPrismaPg(poolFor(databaseUrl()), { disposeExternalPool: true }),
});
