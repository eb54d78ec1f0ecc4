import { route, type RouteConfig, type RouteConfigEntry } from "@react-router/dev/routes";
import { flatRoutes } from "@react-router/fs-routes";

// One page, as React Router's template has it. With BARE_ROUTES=app (the second yardstick of
// bench/crowd.mjs) the same page among the app's own route table — every path of app/routes,
// each a stub — since React Router's work per request grows with the number of routes.
const stub = (entries: RouteConfigEntry[]): RouteConfigEntry[] =>
  entries.map((e) => ({
    ...e,
    file: e.path === "privacidad" ? "routes/privacidad.tsx" : "routes/stub.tsx",
    children: e.children ? stub(e.children) : undefined,
  }));

export default (process.env.BARE_ROUTES === "app"
  ? stub(await flatRoutes({ rootDirectory: "../../../app/routes" }))
  : [route("privacidad", "routes/privacidad.tsx")]) satisfies RouteConfig;
