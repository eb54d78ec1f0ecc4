import { Link } from "react-router";
import { formatLima } from "~/shared/lima";
import type { PostulacionAbierta } from "./open-postulacion.server";

/** "Proceso CAS" and "Datos del postulante" (read-only) of the Postulación page (seed 2.1.4). */
export function DatosPostulacion({ convocatoria: c, postulante }: Pick<PostulacionAbierta, "convocatoria" | "postulante">) {
  return (
    <>
      <section className="panel" aria-labelledby="proceso-titulo">
        <h2 id="proceso-titulo">Proceso CAS</h2>
        <dl className="summary">
          <dt>Convocatoria</dt>
          <dd>{c.codigo}</dd>
          <dt>Puesto</dt>
          <dd>{c.puesto}</dd>
          <dt>Unidad orgánica</dt>
          <dd>{c.unidadOrganica}</dd>
          {c.postulacionInicio && c.postulacionFin ? (
            <>
              <dt>Plazo de postulación (hora de Lima)</dt>
              <dd>
                Del {formatLima(c.postulacionInicio)} al {formatLima(c.postulacionFin)}
              </dd>
            </>
          ) : null}
        </dl>
      </section>

      <section className="panel" aria-labelledby="datos-titulo">
        <h2 id="datos-titulo">Datos del postulante</h2>
        <dl className="summary">
          <dt>Nombres</dt>
          <dd>{postulante.nombres}</dd>
          <dt>Apellidos</dt>
          <dd>{postulante.apellidos}</dd>
          <dt>Documento de identidad</dt>
          <dd>{postulante.documento}</dd>
          <dt>Correo electrónico</dt>
          <dd>{postulante.email}</dd>
          <dt>Celular</dt>
          <dd>{postulante.celular}</dd>
          <dt>Dirección</dt>
          <dd>{postulante.direccion}</dd>
        </dl>
        <p>
          Si algún dato no es correcto, corríjalo en <Link to="/mi-perfil">Mi Perfil</Link> antes de finalizar.
        </p>
      </section>
    </>
  );
}

/**
 * Where the postulación stands, above the page: registrada (with its constancia and ficha, and
 * "Desistir de la postulación" while the window is open), desistida (what stays, and that it
 * cannot be applied to again), or the window closed (or not open yet), a draft being kept.
 */
export function EstadoPostulacion({ convocatoria: c, postulacion }: Pick<PostulacionAbierta, "convocatoria" | "postulacion">) {
  const cierre = c.postulacionFin ? formatLima(c.postulacionFin) : null;
  if (postulacion?.estado === "registrada") {
    return (
      <div className="notice notice--success" role="status">
        <p>
          <strong>Ya postuló a esta convocatoria.</strong> Su postulación N° {postulacion.numero} fue registrada el{" "}
          {formatLima(postulacion.finalizadaAt!)} (hora de Lima) y ya no admite cambios.
        </p>
        <p>
          <a href={`/postulacion/${postulacion.id}/constancia.pdf`}>Descargar constancia</a> ·{" "}
          <a href={`/postulacion/${postulacion.id}/ficha.pdf`}>Ver Ficha de Postulación</a>
        </p>
        {c.abierta ? (
          <p>
            <Link to={`/postulacion/${c.id}/desistir`} className="button button--secondary">
              Desistir de la postulación
            </Link>
          </p>
        ) : null}
      </div>
    );
  }
  if (postulacion?.estado === "desistida") {
    return (
      <div className="notice notice--warning" role="status">
        <p>
          <strong>Usted desistió de esta postulación.</strong> No es posible volver a postular a esta convocatoria.
        </p>
        <DesistidaResumen convocatoria={c} postulacion={postulacion} />
        <p>
          <a href={`/postulacion/${postulacion.id}/desistimiento.pdf`}>Descargar constancia de desistimiento</a> ·{" "}
          <a href={`/postulacion/${postulacion.id}/constancia.pdf`}>Descargar constancia de postulación</a> ·{" "}
          <a href={`/postulacion/${postulacion.id}/ficha.pdf`}>Ver Ficha de Postulación</a>
        </p>
      </div>
    );
  }
  return !c.abierta ? (
    <p className="notice notice--warning" role="status">
      {c.cerrada && cierre
        ? `El plazo de postulación terminó el ${cierre} (hora de Lima). Ya no se pueden cargar documentos ni finalizar la postulación.`
        : "Esta convocatoria no está recibiendo postulaciones en este momento."}
      {postulacion ? " Su borrador se conserva y puede consultarlo." : ""}
    </p>
  ) : null;
}

type Postulacion = NonNullable<PostulacionAbierta["postulacion"]>;

/** A desistida postulación's facts: number, convocatoria, registration and desistimiento (Lima), the reason, and what stays. */
export function DesistidaResumen({ convocatoria: c, postulacion: p }: { convocatoria: Pick<PostulacionAbierta["convocatoria"], "codigo" | "puesto">; postulacion: Postulacion }) {
  return (
    <>
      <dl className="summary panel">
        <dt>Número de postulación</dt>
        <dd>{p.numero}</dd>
        <dt>Convocatoria</dt>
        <dd>
          {c.codigo} — {c.puesto}
        </dd>
        <dt>Fecha y hora de registro (hora de Lima)</dt>
        <dd>{formatLima(p.finalizadaAt!)}</dd>
        <dt>Fecha y hora de desistimiento (hora de Lima)</dt>
        <dd>{formatLima(p.desistidaAt!)}</dd>
        <dt>Motivo</dt>
        <dd>{p.motivoDesistimiento ?? "No indicó un motivo."}</dd>
      </dl>
      <p>
        Su postulación no fue eliminada: sus documentos, la Ficha de Postulación, la constancia de postulación y el historial se
        conservan como registro.
      </p>
    </>
  );
}
