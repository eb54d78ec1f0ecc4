import { route, type RouteConfig } from "@react-router/dev/routes";

export default [route("privacidad", "routes/privacidad.tsx")] satisfies RouteConfig;
