import { useEffect, useState } from "react";
import { useRevalidator } from "react-router";
import { formatBytes } from "~/shared/format";
import { formatLima } from "~/shared/lima";
import type { ExportacionFichas } from "./exportar-fichas.server";

/**
 * Seconds between the status page's refreshes while the ZIP is prepared: with JavaScript the
 * page asks the server again by itself; without it the person follows "Actualizar", or chooses
 * "Actualizar automáticamente" (`?auto=1`: a `<meta http-equiv="refresh">`, which they can stop).
 * Not by default: a page that reloads itself unasked fails WCAG 2.2.1 (axe's meta-refresh rule).
 */
export const REFRESCO_SEGUNDOS = 3;

export const enPreparacion = (e: Pick<ExportacionFichas, "estado">) => e.estado === "pendiente" || e.estado === "en_curso";

/** "Preparando 340 de 1000 fichas", or the state in words. */
export function estadoExportacion(e: ExportacionFichas): string {
  if (e.estado === "pendiente") return e.total == null ? "En cola: empezará en unos segundos." : `En cola: ${e.hechas} de ${e.total} fichas preparadas.`;
  if (e.estado === "en_curso") return e.total == null ? "Preparando las fichas…" : `Preparando ${e.hechas} de ${e.total} fichas`;
  if (e.estado === "fallida") return "No se pudo preparar";
  return e.disponible ? `Listo: ${e.total ?? e.hechas} fichas` : "Vencido: el archivo ya se eliminó";
}

/** One export's state: a progress bar and text while it runs, the download when ready. `auto`: the page reloads itself (chosen). */
export function ExportacionFichasEstado({ e, zipHref, auto }: { e: ExportacionFichas; zipHref: string; auto: boolean }) {
  const [hydrated, setHydrated] = useState(false);
  const revalidator = useRevalidator();
  const running = enPreparacion(e);
  useEffect(() => setHydrated(true), []);
  useEffect(() => {
    if (!running || auto) return;
    const timer = setInterval(() => {
      if (revalidator.state === "idle") void revalidator.revalidate();
    }, REFRESCO_SEGUNDOS * 1000);
    return () => clearInterval(timer);
  }, [running, auto, revalidator]);
  return (
    <section className="panel" aria-labelledby="estado-exportacion">
      <h2 id="estado-exportacion" aria-live="polite">
        {estadoExportacion(e)}
      </h2>
      {running ? (
        <div className="upload-progress">
          <progress max={e.total ?? undefined} value={e.total == null ? undefined : e.hechas} aria-label="Avance de la preparación">
            {e.hechas} de {e.total ?? "?"}
          </progress>
          {hydrated && !auto ? (
            <p>Esta página se actualiza sola cada {REFRESCO_SEGUNDOS} segundos.</p>
          ) : (
            <p>
              <a href={auto ? "?auto=1" : "?"}>Actualizar</a> ·{" "}
              {auto ? (
                <>
                  Se actualiza sola cada {REFRESCO_SEGUNDOS} segundos. <a href="?">Dejar de actualizar automáticamente</a>
                </>
              ) : (
                <a href="?auto=1">Actualizar automáticamente cada {REFRESCO_SEGUNDOS} segundos</a>
              )}
            </p>
          )}
        </div>
      ) : null}
      {e.disponible ? (
        <p>
          <a className="button" href={zipHref} download>
            Descargar ZIP ({formatBytes(e.tamano ?? 0)})
          </a>
        </p>
      ) : null}
      {e.aviso ? (
        <p className="notice notice--warning" role="status">
          {e.aviso}
        </p>
      ) : null}
      <p className="hint">
        Solicitado el {formatLima(e.creadaAt)} (hora de Lima)
        {e.terminadaAt ? `; terminado el ${formatLima(e.terminadaAt)}` : ""}
        {e.disponible && e.expiraAt ? `. Se conserva hasta el ${formatLima(e.expiraAt)}; después, prepárelo de nuevo.` : "."}
      </p>
    </section>
  );
}
