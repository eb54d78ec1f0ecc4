import { data } from "react-router";

/**
 * The headers of a page whose address carries a live token (the e-mailed links of
 * /verificar-correo and /alertas/confirmar): never cached, never sent on as a referrer to
 * another site. "same-origin", not "no-referrer": under "no-referrer" the browser posts this
 * page's forms (and, after client-side navigation, every later native form such as "Salir")
 * with `Origin: null`, which React Router's action check refuses with 400.
 */
export const tokenPageHeaders = () => ({ "Cache-Control": "no-store", "Referrer-Policy": "same-origin" });

/**
 * The loader of such a page. Opening the link uses nothing up (mail scanners fetch links): it
 * only says whether the token of the address still works — "listo", the page shows its button,
 * whose POST does the work — or not: "invalido", 400 without a token, 410 with one.
 */
export async function loadTokenPage(request: Request, isUsable: (token: string) => Promise<boolean>) {
  const token = new URL(request.url).searchParams.get("token") ?? "";
  if (!(await isUsable(token))) return data({ estado: "invalido" as const, token: "" }, { status: token ? 410 : 400 });
  return { estado: "listo" as const, token };
}
