import { Link } from "react-router";
import { ESTADO_POSTULACION_LABEL, type EstadoPostulacion } from "~/features/postulacion/estado";
import { FASE_LABEL } from "./estado";
import { formatSoles } from "~/shared/format";
import { formatLima } from "~/shared/lima";
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

/**
 * The signed-in applicant's way to their own postulación, instead of POSTULAR: "Continuar
 * postulación" for a draft while the window is open, "Ver mi postulación" for a registrada or
 * desistida one (never POSTULAR again: one postulación per call) and for a draft after the
 * window, which the page shows read-only.
 */
function MiPostulacionLink({ c, mia }: { c: ConvocatoriaResumen; mia: EstadoPostulacion }) {
  const texto = mia === "en_registro" && c.fase === "en_postulacion" ? "Continuar postulación" : "Ver mi postulación";
  return (
    <Link to={`/postulacion/${c.id}`} className="button">
      {texto}
      <span className="visually-hidden"> a {c.codigo}</span>
    </Link>
  );
}

/** "Su postulación: …" on a card or a detail the signed-in applicant has applied to. */
export function MiPostulacionBadge({ mia }: { mia?: EstadoPostulacion }) {
  if (!mia) return null;
  return <span className="badge badge--mia">Su postulación: {ESTADO_POSTULACION_LABEL[mia]}</span>;
}

/**
 * The links every listing offers: Ver bases, the detail, and POSTULAR while the window is open
 * (or the applicant's own postulación, `mia`, when they have one).
 */
export function AccionesConvocatoria({ c, detalle = true, mia }: { c: ConvocatoriaResumen; detalle?: boolean; mia?: EstadoPostulacion }) {
  return (
    <div className="actions">
      {mia ? (
        <MiPostulacionLink c={c} mia={mia} />
      ) : c.fase === "en_postulacion" ? (
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

export function ConvocatoriaCard({ c, mia }: { c: ConvocatoriaResumen; mia?: EstadoPostulacion }) {
  return (
    <article className={`convocatoria${mia ? " convocatoria--mia" : ""}`} aria-labelledby={`conv-${c.id}`}>
      <h2 id={`conv-${c.id}`}>
        <Link to={`/convocatorias/${c.id}`}>{c.codigo}</Link>
      </h2>
      <p className="convocatoria-puesto">{c.puesto}</p>
      <p>
        <span className={`badge badge--${c.fase}`}>{FASE_LABEL[c.fase]}</span> <DiasRestantes dias={c.diasRestantes} />{" "}
        <MiPostulacionBadge mia={mia} />
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
      <AccionesConvocatoria c={c} mia={mia} />
    </article>
  );
}
