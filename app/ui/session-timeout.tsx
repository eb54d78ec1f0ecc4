import { useEffect, useRef, useState } from "react";
import { Link, useFetcher, useLocation } from "react-router";
import { CsrfInput } from "./form";

/** Sessions end after 30 idle minutes; at 25 the applicant is warned and can stay signed in. */
const WARN_AFTER_MS = 25 * 60 * 1000;

export function SessionTimeoutWarning() {
  const [open, setOpen] = useState(false);
  const dialog = useRef<HTMLDialogElement>(null);
  const fetcher = useFetcher<{ ok: boolean }>();
  const location = useLocation();
  const ended = fetcher.data?.ok === false;
  useEffect(() => {
    if (ended) return;
    setOpen(false);
    const timer = setTimeout(() => setOpen(true), WARN_AFTER_MS);
    return () => clearTimeout(timer);
  }, [location.key, fetcher.data, ended]);
  useEffect(() => {
    if ((open || ended) && dialog.current && !dialog.current.open) dialog.current.showModal();
    if (!open && !ended && dialog.current?.open) dialog.current.close();
  }, [open, ended]);
  return (
    <dialog ref={dialog} aria-labelledby="sesion-titulo" className="dialog">
      {ended ? (
        <>
          <h2 id="sesion-titulo">Su sesión terminó</h2>
          <p>Por seguridad, la sesión se cerró. Lo que ya cargó está guardado: vuelva a ingresar para continuar.</p>
          <Link className="button" to={`/login?redirectTo=${encodeURIComponent(location.pathname)}`} reloadDocument>
            Ingresar
          </Link>
        </>
      ) : (
        <>
          <h2 id="sesion-titulo">Su sesión está por cerrarse</h2>
          <p>Por seguridad, la sesión se cierra tras 30 minutos sin actividad. Lo que ya cargó está guardado.</p>
          <fetcher.Form method="post" action="/sesion/renovar">
            <CsrfInput />
            <button type="submit" className="button">
              Seguir conectado
            </button>
          </fetcher.Form>
        </>
      )}
    </dialog>
  );
}
