import { fileURLToPath } from "node:url";
import { defineConfig } from "vitest/config";

// Unit and integration tests. Not vite.config.ts: the React Router plugin is for the app build.
export default defineConfig({
  resolve: { alias: { "~": fileURLToPath(new URL("./app", import.meta.url)) } },
  test: {
    include: ["app/**/*.test.{ts,tsx}", "server/**/*.test.ts", "tests/integration/**/*.test.ts"],
    // *.pg.test.ts need a PostgreSQL server (several connections, SIGKILL of a server
    // process): only the PostgreSQL run (TEST_DB=postgres) includes them.
    exclude: process.env.TEST_DB === "postgres" ? ["**/node_modules/**"] : ["**/node_modules/**", "**/*.pg.test.ts"],
    environment: "node",
    // A migrated PGlite template for every test file's database (tests/support/db.ts).
    globalSetup: ["tests/support/global-setup.ts"],
    testTimeout: 120_000,
    hookTimeout: 180_000,
    pool: "forks",
    // Each file opens its own database; two cores.
    maxWorkers: 2,
    // React Router's Vite plugin regenerates the route types (.react-router/types, for tsc and the
    // editor) whenever a dev server starts, removing the folder first: two test files starting
    // servers at once (startTestApp) race on it, and the loser's write fails with ENOENT (or its
    // removal with ENOTEMPTY, as one CI run found) outside any test. Only those errors on that
    // folder are ignored; the types play no part in a test run.
    onUnhandledError(error) {
      const { code, path } = error as { code?: string; path?: string };
      const typesFolder = typeof path === "string" && /\/\.react-router\/types(\/|$)/.test(path);
      if ((code === "ENOENT" || code === "ENOTEMPTY") && typesFolder) return false;
    },
  },
});
