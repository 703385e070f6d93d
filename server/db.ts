// One Prisma client per process, on the pg driver adapter; password hashes and TOTP secrets are omitted by default.
import "server-only";
import { PrismaPg } from "@prisma/adapter-pg";
import { PrismaClient } from "@/generated/prisma/client";
import { serverEnv } from "./env";

function createClient() {
  return new PrismaClient({
    adapter: new PrismaPg({ connectionString: serverEnv().DATABASE_URL, max: 10 }),
    omit: { user: { passwordHash: true, totpSecret: true } },
  });
}

export type Db = ReturnType<typeof createClient>;
export type Tx = Parameters<Parameters<Db["$transaction"]>[0]>[0];

const globalForPrisma = globalThis as unknown as { prisma?: Db };

// Kept on globalThis only in development, where hot reloads would otherwise open new pools.
export const db: Db = globalForPrisma.prisma ?? createClient();
if (process.env.NODE_ENV === "development") globalForPrisma.prisma = db;
