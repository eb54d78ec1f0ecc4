import { REQUISITO_LABEL, rangoLabel, type Rango, type Requisito } from "~/features/postulacion/evidencias";

/** A requirement's evidence as the HR pages show it (issue 17): the file and its pages. */
export type SustentoVisible = { requisito: Requisito; documentoId: string; tipoNombre: string; filename: string; paginas: string; rangos: Rango[] };

/**
 * "Sustento de requisitos del perfil" for staff (issue 17): each requirement with its file and
 * a link per page range that opens the file at that page (`#page=N`: the expediente's file
 * route serves PDFs inline, and the browser's PDF viewer opens at that page). `base` is the
 * postulación's file route; the links are as authorised as the files (the route decides).
 */
export function SustentoEvaluacion({ evidencias, base, numero }: { evidencias: readonly SustentoVisible[]; base: string; numero: string }) {
  if (!evidencias.length) return <p>No indicó el sustento de los requisitos del perfil.</p>;
  return (
    <ul className="sustento-lista">
      {evidencias.map((v) => (
        <li key={`${v.requisito}:${v.documentoId}`}>
          <strong>{REQUISITO_LABEL[v.requisito]}</strong>: {v.tipoNombre}: {v.filename} —{" "}
          {v.rangos.map((r, i) => (
            <span key={r.desde}>
              {i ? ", " : null}
              <a href={`${base}/${v.documentoId}#page=${r.desde}`}>
                {rangoLabel(r)}
                <span className="visually-hidden">
                  {" "}
                  de {v.filename} ({REQUISITO_LABEL[v.requisito]}, postulación {numero})
                </span>
              </a>
            </span>
          ))}
        </li>
      ))}
    </ul>
  );
}

/** What of an evidence the page needs (serialisable). */
export const sustentoVisible = (v: SustentoVisible): SustentoVisible => ({
  requisito: v.requisito,
  documentoId: v.documentoId,
  tipoNombre: v.tipoNombre,
  filename: v.filename,
  paginas: v.paginas,
  rangos: v.rangos,
});
