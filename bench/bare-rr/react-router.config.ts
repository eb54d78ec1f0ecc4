import type { Config } from "@react-router/dev/config";

// The yardstick of bench/crowd.mjs: React Router 7.18.4 as its template serves it, one page.
export default { ssr: true } satisfies Config;
