import { data } from "react-router";
import { getPrincipal } from "~/web/auth.server";
import { readForm } from "~/web/forms.server";
import { touchSession } from "~/platform/session.server";
import type { Route } from "./+types/sesion.renovar";

/**
 * "Seguir conectado" (app/ui/session-timeout.tsx posts here with a fetcher): the idle
 * clock restarts now. 401 when the session already ended; the 12-hour end never moves.
 */
export async function action({ request, context }: Route.ActionArgs) {
  await readForm(request, context);
  const principal = await getPrincipal(request, context);
  const alive = principal ? await touchSession(context.services.db, principal.sessionHash, context.services.clock.now()) : false;
  if (!alive) return data({ ok: false as const }, { status: 401, headers: { "Cache-Control": "no-store" } });
  return data({ ok: true as const }, { headers: { "Cache-Control": "no-store" } });
}

export function loader() {
  return new Response("Use POST.", { status: 405, headers: { Allow: "POST", "Content-Type": "text/plain; charset=utf-8" } });
}
