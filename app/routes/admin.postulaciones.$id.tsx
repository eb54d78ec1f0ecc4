import { Link } from "react-router";
import { formatBytes, formatFecha } from "~/shared/format";
import { formatLima } from "~/shared/lima";
import { expedienteParaStaff } from "~/features/evaluacion/acceso-expediente.server";
import { historialExpediente } from "~/features/evaluacion/historial-expediente.server";
import { auditar } from "~/features/evaluacion/auditoria.server";
import { loadEvaluacion } from "~/features/evaluacion/load-evaluacion.server";
import { formatPuntaje } from "~/features/evaluacion/numeros";
import { SustentoEvaluacion, sustentoVisible } from "~/features/evaluacion/sustento-evaluacion";
import { notFound } from "~/web/answer-error.server";
import { requireStaff } from "~/web/auth.server";
import { FileName } from "~/ui/file-name";
import type { Route } from "./+types/admin.postulaciones.$id";

/** A staff member's view of an expediente (issue 5); every view is audited. */
export const meta: Route.MetaFunction = ({ data: d }) => [{ title: `Expediente ${d?.numero ?? ""} · CAS Online` }];

export async function loader({ request, context, params }: Route.LoaderArgs) {
  const { staff: me } = await requireStaff(request, context, "score:evaluacion");
  const { db } = context.services;
  const exp = await expedienteParaStaff(db, me, params.id);
  if (!exp) {
    context.logger.warn({ postulacionId: params.id }, "expediente: not found or not visible");
    throw notFound("No encontramos ese expediente.");
  }
  await auditar(db, me.id, "expediente.visto", { type: "postulacion", id: exp.postulacion.id });
  const p = exp.postulante;
  const ev = exp.gestiona ? await loadEvaluacion(db, exp.convocatoria.id) : null;
  const etapas = ev
    ? ev.calculadas.map((e) => {
        const r = e.resultados.find((x) => x.postulacionId === exp.postulacion.id);
        return { nombre: e.nombre, promedio: r ? formatPuntaje(r.promedio) : "—", resultado: r ? (r.apto == null ? "Por calificar" : r.apto ? "APTO" : "NO APTO") : "No participa" };
      })
    : [];
  // The history names staff, scores and every document (the disability sustento too): the HR office only.
  const historial = exp.gestiona ? await historialExpediente(db, exp.postulacion.id) : null;
  const base = `/admin/postulaciones/${exp.postulacion.id}/archivo`;
  return {
    numero: exp.postulacion.numero,
    finalizadaAt: exp.postulacion.finalizadaAt ? formatLima(exp.postulacion.finalizadaAt) : null,
    desistimiento: exp.postulacion.desistidaAt
      ? { at: formatLima(exp.postulacion.desistidaAt), motivo: exp.postulacion.motivoDesistimiento, constancia: `${base}/desistimiento` }
      : null,
    convocatoria: { id: exp.convocatoria.id, codigo: exp.convocatoria.codigo, puesto: exp.convocatoria.puesto },
    gestiona: exp.gestiona,
    postulante: {
      nombre: exp.nombreCompleto,
      documento: exp.documentoIdentidad,
      fechaNacimiento: formatFecha(p.fechaNacimiento),
      email: p.email,
      celular: p.celular,
      direccion: p.direccion,
    },
    sustento: exp.evidencias.map(sustentoVisible),
    documentos: exp.documentos.map((d) => ({ id: d.id, tipo: d.tipoNombre, filename: d.filename, pages: d.pages, size: formatBytes(d.size), sha256: d.sha256, url: `${base}/${d.id}` })),
    // The ficha and the constancia include the disability sustento: gestor and administrador only.
    archivos: base,
    ficha: exp.gestiona ? `${base}/ficha` : null,
    constancia: exp.gestiona && exp.postulacion.constanciaKey ? `${base}/constancia` : null,
    etapas,
    historial,
  };
}

export default function Expediente({ loaderData: d }: Route.ComponentProps) {
  return (
    <>
      <p>
        {d.gestiona ? <Link to={`/admin/convocatorias/${d.convocatoria.id}/postulaciones`}>← Postulaciones de {d.convocatoria.codigo}</Link> : <Link to="/admin/evaluacion">← Mis evaluaciones</Link>}
      </p>
      <h1>Expediente {d.numero}</h1>
      <p>
        {d.convocatoria.codigo} · {d.convocatoria.puesto} · registrada el {d.finalizadaAt} (hora de Lima)
      </p>
      {d.desistimiento ? (
        <div className="notice notice--warning" role="status">
          <p>
            <strong>Desistida</strong> el {d.desistimiento.at} (hora de Lima): el postulante desistió de esta postulación y no participa
            en la evaluación. Sus documentos y su historial se conservan.
          </p>
          <p>Motivo: {d.desistimiento.motivo ?? "no indicó un motivo."}</p>
          <p>
            <a href={d.desistimiento.constancia}>Constancia de desistimiento (PDF)</a>
          </p>
        </div>
      ) : null}
      <section aria-labelledby="datos">
        <h2 id="datos">Datos del postulante</h2>
        <dl className="summary">
          <dt>Nombre</dt>
          <dd>{d.postulante.nombre}</dd>
          <dt>Documento</dt>
          <dd>{d.postulante.documento}</dd>
          <dt>Fecha de nacimiento</dt>
          <dd>{d.postulante.fechaNacimiento}</dd>
          <dt>Correo electrónico</dt>
          <dd>{d.postulante.email}</dd>
          <dt>Celular</dt>
          <dd>{d.postulante.celular}</dd>
          <dt>Dirección</dt>
          <dd>{d.postulante.direccion}</dd>
        </dl>
      </section>
      <section aria-labelledby="docs">
        <h2 id="docs">Documentos</h2>
        {d.ficha ? (
          <p>
            <a href={d.ficha}>Ficha de Postulación (PDF)</a>
            {d.constancia ? (
              <>
                {" · "}
                <a href={d.constancia}>Constancia (PDF)</a>
              </>
            ) : null}
          </p>
        ) : null}
        <div className="table-wrap">
          <table>
            <thead>
              <tr>
                <th scope="col">Tipo</th>
                <th scope="col">Archivo</th>
                <th scope="col">Páginas</th>
                <th scope="col">Tamaño</th>
                <th scope="col">SHA-256</th>
              </tr>
            </thead>
            <tbody>
              {d.documentos.map((doc) => (
                <tr key={doc.id}>
                  <td data-label="Tipo">{doc.tipo}</td>
                  <td data-label="Archivo">
                    <a href={doc.url}>
                      <FileName name={doc.filename} />
                    </a>
                  </td>
                  <td data-label="Páginas">{doc.pages}</td>
                  <td data-label="Tamaño">{doc.size}</td>
                  <td data-label="SHA-256">
                    <code className="hash">{doc.sha256.slice(0, 16)}…</code>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      </section>
      <section aria-labelledby="sustento">
        <h2 id="sustento">Sustento de requisitos del perfil</h2>
        <p>Indicado por el postulante. Cada enlace abre el documento en esa página.</p>
        <SustentoEvaluacion evidencias={d.sustento} base={d.archivos} numero={d.numero ?? ""} />
      </section>
      {d.etapas.length ? (
        <section aria-labelledby="eval">
          <h2 id="eval">Evaluación</h2>
          <ul>
            {d.etapas.map((e) => (
              <li key={e.nombre}>
                {e.nombre}: {e.promedio} · {e.resultado}
              </li>
            ))}
          </ul>
        </section>
      ) : null}
      {d.historial ? (
        <section aria-labelledby="hist">
          <h2 id="hist">Historial</h2>
          <p>Fechas y horas de Lima.</p>
          <ol>
            {d.historial.map((h, i) => (
              <li key={i}>
                {h.at} · {h.que} · {h.quien}
              </li>
            ))}
          </ol>
        </section>
      ) : null}
    </>
  );
}
