import { Link } from "react-router";
import { FASE_LABEL } from "./estado";
import { formatSoles } from "./format";
import { formatLima } from "./lima";
import type { ConvocatoriaResumen } from "./list-convocatorias.server";

/** "Quedan N días" / "Último día" while the window is open. */
export function DiasRestantes({ dias }: { dias: number | null }) {
  if (dias === null) return null;
  return <span className="badge badge--plazo">{dias <= 0 ? "Último día" : dias === 1 ? "Queda 1 día" : `Quedan ${dias} días`}</span>;
}

export function Ventana({ c }: { c: Pick<ConvocatoriaResumen, "postulacionInicio" | "postulacionFin"> }) {
  if (!c.postulacionInicio || !c.postulacionFin) return <>Por definir</>;
  return (
    <>
      del <time dateTime={c.postulacionInicio}>{formatLima(c.postulacionInicio)}</time> al{" "}
      <time dateTime={c.postulacionFin}>{formatLima(c.postulacionFin)}</time> (hora de Lima)
    </>
  );
}

/** The links every listing offers: Ver bases, the detail, and POSTULAR while the window is open. */
export function AccionesConvocatoria({ c, detalle = true }: { c: ConvocatoriaResumen; detalle?: boolean }) {
  return (
    <div className="actions">
      {c.fase === "en_postulacion" ? (
        <Link to={`/postulacion/${c.id}`} className="button">
          POSTULAR<span className="visually-hidden"> a {c.codigo}</span>
        </Link>
      ) : null}
      {c.hasBases ? (
        <a href={`/convocatorias/${c.id}/bases`} download>
          Ver bases<span className="visually-hidden"> de {c.codigo}</span> (PDF)
        </a>
      ) : null}
      {detalle ? (
        <Link to={`/convocatorias/${c.id}`}>
          Ver detalle<span className="visually-hidden"> de {c.codigo}</span>
        </Link>
      ) : null}
    </div>
  );
}

export function ConvocatoriaCard({ c }: { c: ConvocatoriaResumen }) {
  return (
    <article className="convocatoria" aria-labelledby={`conv-${c.id}`}>
      <h2 id={`conv-${c.id}`}>
        <Link to={`/convocatorias/${c.id}`}>{c.codigo}</Link>
      </h2>
      <p className="convocatoria-puesto">{c.puesto}</p>
      <p>
        <span className={`badge badge--${c.fase}`}>{FASE_LABEL[c.fase]}</span> <DiasRestantes dias={c.diasRestantes} />
      </p>
      <dl className="summary">
        <dt>Unidad orgánica</dt>
        <dd>{c.unidadOrganica}</dd>
        <dt>Vacantes</dt>
        <dd>{c.vacantes}</dd>
        <dt>Remuneración mensual</dt>
        <dd>{formatSoles(c.remuneracion)}</dd>
        <dt>Postulación</dt>
        <dd>
          <Ventana c={c} />
        </dd>
      </dl>
      <AccionesConvocatoria c={c} />
    </article>
  );
}
