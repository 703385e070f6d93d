import { defineConfig } from "vitest/config";
import { fileURLToPath } from "node:url";

const root = fileURLToPath(new URL(".", import.meta.url));

export default defineConfig({
  resolve: {
    alias: [
      { find: /^@\//, replacement: `${root}` },
      { find: /^server-only$/, replacement: `${root}test/empty-module.ts` },
    ],
  },
  test: {
    include: ["server/**/*.test.ts", "test/**/*.test.ts", "control-plane/**/*.test.ts", "worker/**/*.test.ts", "deploy/**/*.test.ts"],
    setupFiles: ["test/setup-db.ts"],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    fileParallelism: false,
    pool: "forks",
  },
});
