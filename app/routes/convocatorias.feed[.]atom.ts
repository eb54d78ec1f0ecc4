import { atomFeed } from "~/features/convocatorias/feeds.server";
import { conditionalResource } from "~/web/http-cache.server";
import type { Route } from "./+types/convocatorias.feed[.]atom";

/** Kept by the public page cache (server/public-page-cache.ts). */
export const handle = { publicCache: true };

/** Atom feed of the open convocatorias (public, cacheable for a few seconds, 304 on If-None-Match). */
export async function loader({ request, context }: Route.LoaderArgs) {
  return conditionalResource(request, await atomFeed(context.services), "application/atom+xml; charset=utf-8");
}
