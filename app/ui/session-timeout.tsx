import { useEffect, useRef, useState } from "react";
import { useFetcher, useLocation } from "react-router";
import { CsrfInput } from "./form";

/** Sessions end after 30 idle minutes; at 25 the applicant is warned and can stay signed in. */
const WARN_AFTER_MS = 25 * 60 * 1000;

export function SessionTimeoutWarning() {
  const [open, setOpen] = useState(false);
  const dialog = useRef<HTMLDialogElement>(null);
  const fetcher = useFetcher();
  const location = useLocation();
  useEffect(() => {
    setOpen(false);
    const timer = setTimeout(() => setOpen(true), WARN_AFTER_MS);
    return () => clearTimeout(timer);
  }, [location.key, fetcher.data]);
  useEffect(() => {
    if (open && dialog.current && !dialog.current.open) dialog.current.showModal();
    if (!open && dialog.current?.open) dialog.current.close();
  }, [open]);
  return (
    <dialog ref={dialog} aria-labelledby="sesion-titulo" className="dialog">
      <h2 id="sesion-titulo">Su sesión está por cerrarse</h2>
      <p>Por seguridad, la sesión se cierra tras 30 minutos sin actividad. Lo que ya cargó está guardado.</p>
      <fetcher.Form method="post" action="/sesion/renovar">
        <CsrfInput />
        <button type="submit" className="button">
          Seguir conectado
        </button>
      </fetcher.Form>
    </dialog>
  );
}
