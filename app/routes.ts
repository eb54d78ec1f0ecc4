import type { RouteConfig } from "@react-router/dev/routes";
import { flatRoutes } from "@react-router/fs-routes";

// File-system routes (app/routes/*): one file a URL, see docs/routes.md.
export default flatRoutes() satisfies RouteConfig;
