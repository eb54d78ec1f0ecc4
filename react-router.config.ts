import type { Config } from "@react-router/dev/config";

export default {
  ssr: true,
  // Every route's manifest entry in one cached file (build/client/assets/manifest-*.js), not a
  // partial manifest matched for each page's ancestors on every render plus /__manifest fetches
  // as links appear: less work per request (bench/README.md, "The deadline-day crowd") and no
  // discovery round trips on a slow phone.
  routeDiscovery: { mode: "initial" },
} satisfies Config;
