import { jsonFeed } from "~/features/convocatorias/feeds.server";
import { conditionalResource } from "~/web/http-cache.server";
import type { Route } from "./+types/convocatorias.feed[.]json";

/** Kept by the public page cache (server/public-page-cache.ts). */
export const handle = { publicCache: true };

/** JSON Feed 1.1 of the open convocatorias (public, cacheable for a few seconds, 304 on If-None-Match). */
export async function loader({ request, context }: Route.LoaderArgs) {
  return conditionalResource(request, await jsonFeed(context.services), "application/feed+json; charset=utf-8");
}
