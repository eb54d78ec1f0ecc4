import type { Config } from "@react-router/dev/config";

// The yardstick of bench/crowd.mjs: React Router 7.18.4 as its template serves it, one page
// (build/), or that page among the app's route table (BARE_ROUTES=app, build-app-routes/).
export default {
  ssr: true,
  buildDirectory: process.env.BARE_ROUTES === "app" ? "build-app-routes" : "build",
} satisfies Config;
