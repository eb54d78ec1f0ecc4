import type { ReactNode } from "react";
import { Form } from "react-router";
import { CsrfInput } from "./form";

/**
 * What the page of an e-mailed token link shows while the token works (app/web/token-page.server.ts):
 * the heading, what the button does, and the button, whose POST uses the token up.
 */
export function TokenConfirmForm({ titulo, texto, action, token, boton }: { titulo: string; texto: string; action: string; token: string; boton: string }) {
  return (
    <>
      <h1>{titulo}</h1>
      <p>{texto}</p>
      {/* Posted to the bare path: the token travels in the body, not again in the URL. */}
      <Form method="post" action={action}>
        <CsrfInput />
        <input type="hidden" name="token" value={token} />
        <div className="actions">
          <button type="submit">{boton}</button>
        </div>
      </Form>
    </>
  );
}

/** What came of a token link (done, or not valid any more): the heading, the notice, and the links onwards. */
export function TokenOutcome({
  titulo,
  tono,
  role,
  children,
  enlaces,
}: {
  titulo: string;
  tono: "success" | "warning";
  role?: "status" | "alert";
  children: ReactNode;
  enlaces: ReactNode;
}) {
  return (
    <>
      <h1>{titulo}</h1>
      <div className={`notice notice--${tono}`} role={role}>
        {children}
      </div>
      <p>{enlaces}</p>
    </>
  );
}
