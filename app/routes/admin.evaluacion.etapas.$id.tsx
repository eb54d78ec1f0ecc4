import { and, eq, inArray } from "drizzle-orm";
import { Form, Link, redirect } from "react-router";
import { etapaEvaluadores, staff } from "~/db/schema";
import { loadEvaluacion } from "~/features/evaluacion/load-evaluacion.server";
import { correctPuntaje } from "~/features/evaluacion/correct-puntaje.server";
import { etapaOr404 } from "~/features/evaluacion/etapa.server";
import { corregirSchema } from "~/features/evaluacion/evaluacion.schema";
import { aNumeric, formatPuntaje } from "~/features/evaluacion/numeros";
import { OBSERVACION_MAX } from "~/features/evaluacion/etiquetas";
import { recordPuntaje } from "~/features/evaluacion/record-puntaje.server";
import { answerError, asNotFound } from "~/web/answer-error.server";
import { AppError } from "~/shared/app-error";
import { can } from "~/shared/permissions";
import { forbidden, requireStaff } from "~/web/auth.server";
import { invalid, parseForm, readForm, type FormErrors } from "~/web/forms.server";
import { CsrfInput, ErrorSummary, fieldId } from "~/ui/form";
import { cantidad } from "~/shared/format";
import type { Route } from "./+types/admin.evaluacion.etapas.$id";

/**
 * One evaluation stage. An assigned evaluador enters a score and an observación per
 * postulación (a row at a time or the whole page). A gestor sees every evaluador's scores
 * and may correct one with a recorded reason.
 */
export const meta: Route.MetaFunction = ({ data: d }) => [{ title: `${d?.etapa.nombre ?? "Etapa"} · Evaluación · CAS Online` }];

const POR_PAGINA = 100;

async function access(request: Request, context: Route.LoaderArgs["context"], etapaId: string) {
  const { staff: me } = await requireStaff(request, context, "score:evaluacion");
  let etapa;
  try {
    etapa = await etapaOr404(context.services.db, etapaId);
  } catch (error) {
    throw asNotFound(error);
  }
  const asignado = !!(await context.services.db.query.etapaEvaluadores.findFirst({
    where: and(eq(etapaEvaluadores.etapaId, etapa.id), eq(etapaEvaluadores.staffId, me.id)),
  }));
  const gestiona = can(me.role, "review:postulacion");
  if (!asignado && !gestiona) {
    context.logger.warn({ etapaId: etapa.id }, "evaluacion/etapa: not assigned");
    throw forbidden();
  }
  return { me, etapa, asignado, gestiona };
}

export async function loader({ request, context, params }: Route.LoaderArgs) {
  const { me, etapa, asignado, gestiona } = await access(request, context, params.id);
  const { db } = context.services;
  const ev = await loadEvaluacion(db, etapa.convocatoriaId);
  const calc = ev.calculadas.find((e) => e.id === etapa.id)!;
  const byId = new Map(ev.postulaciones.map((p) => [p.id, p]));
  const url = new URL(request.url);
  const paginas = Math.max(1, Math.ceil(calc.resultados.length / POR_PAGINA));
  const pagina = Math.min(paginas, Math.max(1, Number(url.searchParams.get("pagina")) || 1));
  const mine = new Map(ev.puntajes.filter((p) => p.etapaId === etapa.id && p.evaluadorId === me.id).map((p) => [p.postulacionId, p]));
  const evaluadores = calc.evaluadores.length
    ? await db.select({ id: staff.id, nombre: staff.nombre }).from(staff).where(inArray(staff.id, calc.evaluadores))
    : [];
  const filas = calc.resultados
    .map((r) => ({ r, p: byId.get(r.postulacionId)! }))
    .sort((a, b) => a.p.numero.localeCompare(b.p.numero))
    .slice((pagina - 1) * POR_PAGINA, pagina * POR_PAGINA)
    .map(({ r, p }) => ({
      id: p.id,
      numero: p.numero,
      nombre: p.nombre,
      miPuntaje: mine.has(p.id) ? aNumeric(mine.get(p.id)!.puntaje) : "",
      miObservacion: mine.get(p.id)?.observacion ?? "",
      puntajes: gestiona ? evaluadores.map((e) => ({ id: e.id, puntaje: formatPuntaje(r.puntajes.find((x) => x.evaluadorId === e.id)?.puntaje) })) : [],
      promedio: gestiona ? formatPuntaje(r.promedio) : null,
      resultado: gestiona && r.apto != null ? (r.apto ? "APTO" : "NO APTO") : null,
    }));
  return {
    etapa: { id: etapa.id, nombre: etapa.nombre, estado: etapa.estado, maximo: formatPuntaje(Number(etapa.maximo) * 100), minimo: formatPuntaje(Number(etapa.minimo) * 100) },
    convocatoria: { id: ev.convocatoria.id, codigo: ev.convocatoria.codigo, puesto: ev.convocatoria.puesto },
    bloqueada: calc.bloqueada,
    asignado,
    gestiona,
    evaluadores,
    filas,
    total: calc.resultados.length,
    faltantes: calc.faltantes,
    pagina,
    paginas,
    aviso: url.searchParams.get("guardado") ? `Puntajes guardados (${Number(url.searchParams.get("guardado"))}).` : url.searchParams.has("corregido") ? "Puntaje corregido." : null,
  };
}

export async function action({ request, context, params }: Route.ActionArgs) {
  const { me, etapa, asignado, gestiona } = await access(request, context, params.id);
  const formData = await readForm(request, context);
  const { services } = context;
  const intent = formData.get("intent");
  const pagina = Number(formData.get("pagina")) || 1;
  try {
    if (intent === "guardar") {
      if (!asignado) throw new AppError("evaluacion.no_asignado", "Usted no está asignado(a) como evaluador(a) de esta etapa.", { status: 403, logCause: "not assigned" });
      const fila = formData.get("fila");
      const ids = [...formData.keys()].filter((k) => k.startsWith("puntaje_")).map((k) => k.slice("puntaje_".length));
      const filas = (typeof fila === "string" && fila ? [fila] : ids).map((id) => ({
        postulacionId: id,
        puntaje: String(formData.get(`puntaje_${id}`) ?? ""),
        observacion: String(formData.get(`observacion_${id}`) ?? ""),
      }));
      const { guardados } = await recordPuntaje({ services, actorId: me.id, etapaId: etapa.id, filas });
      context.logger.info({ etapaId: etapa.id, guardados }, "evaluacion/etapa: scores saved");
      return redirect(`/admin/evaluacion/etapas/${etapa.id}?pagina=${pagina}&guardado=${guardados}`);
    }
    if (intent === "corregir") {
      if (!gestiona) throw new AppError("evaluacion.solo_gestor", "Solo la Oficina de Recursos Humanos corrige puntajes.", { status: 403, logCause: "not gestor" });
      const parsed = parseForm(corregirSchema.passthrough(), formData);
      if (!parsed.ok) return invalid(formData, parsed.errors);
      const r = await correctPuntaje({ services, actorId: me.id, etapaId: etapa.id, ...parsed.data });
      context.logger.info({ etapaId: etapa.id, republicadas: r.republicadas }, "evaluacion/etapa: score corrected");
      return redirect(`/admin/evaluacion/etapas/${etapa.id}?pagina=${pagina}&corregido=1`);
    }
    return invalid(formData, { form: "Acción desconocida. Recargue la página e inténtelo de nuevo." }, 400);
  } catch (error) {
    return answerError(error, formData, context, "evaluacion/etapa", { level: (e) => (e.fields ? "info" : "warn") });
  }
}

export default function EtapaEvaluacion({ loaderData, actionData }: Route.ComponentProps) {
  const { etapa, convocatoria, bloqueada, asignado, gestiona, evaluadores, filas, total, faltantes, pagina, paginas, aviso } = loaderData;
  const result = actionData as FormErrors | undefined;
  const errors = result?.errors;
  const v = result?.values ?? {};
  const puedeCalificar = asignado && etapa.estado === "abierta";
  return (
    <>
      <p>
        <Link to="/admin/evaluacion">← Mis evaluaciones</Link>
        {gestiona ? (
          <>
            {" "}
            · <Link to={`/admin/convocatorias/${convocatoria.id}/evaluacion`}>Evaluación de {convocatoria.codigo}</Link>
          </>
        ) : null}
      </p>
      <h1>
        {etapa.nombre}: {convocatoria.codigo}
      </h1>
      <p>
        {convocatoria.puesto} · Puntaje de 0 a {etapa.maximo}; aprueba con {etapa.minimo} · {cantidad(total, "postulación", "postulaciones")} · {faltantes} por calificar ·{" "}
        <span className="badge">{etapa.estado === "abierta" ? "Abierta" : etapa.estado === "cerrada" ? "Cerrada" : "Publicada"}</span>
      </p>
      {aviso ? (
        <div className="notice notice--success" role="status">
          <p>{aviso}</p>
        </div>
      ) : null}
      <ErrorSummary errors={errors} />
      {bloqueada ? <p className="notice">Esta etapa mostrará a quienes aprueben la etapa anterior cuando esta se cierre.</p> : null}
      {asignado && etapa.estado !== "abierta" ? <p className="notice">La etapa está cerrada: sus puntajes ya no se pueden cambiar.</p> : null}

      {filas.length ? (
        <Form method="post">
          <CsrfInput />
          <input type="hidden" name="pagina" value={pagina} />
          <input type="hidden" name="intent" value="guardar" />
          {/* Enter in a field submits the first button of the form: make it "save all", not the first row's. */}
          {puedeCalificar ? (
            <button type="submit" className="visually-hidden" tabIndex={-1} aria-hidden="true">
              Guardar todos
            </button>
          ) : null}
          <div className="table-wrap">
            <table>
              <thead>
                <tr>
                  <th scope="col">Postulación</th>
                  <th scope="col">Postulante</th>
                  {asignado ? (
                    <>
                      <th scope="col">Mi puntaje (0 a {etapa.maximo})</th>
                      <th scope="col">Observación</th>
                    </>
                  ) : null}
                  {gestiona ? (
                    <>
                      {evaluadores.map((e) => (
                        <th scope="col" key={e.id}>
                          {e.nombre}
                        </th>
                      ))}
                      <th scope="col">Promedio</th>
                      <th scope="col">Resultado</th>
                    </>
                  ) : null}
                  {puedeCalificar ? <th scope="col">Guardar</th> : null}
                </tr>
              </thead>
              <tbody>
                {filas.map((f) => {
                  const pn = `puntaje_${f.id}`;
                  const on = `observacion_${f.id}`;
                  return (
                    <tr key={f.id}>
                      <td data-label="Postulación">
                        <Link to={`/admin/postulaciones/${f.id}`}>{f.numero}</Link>
                      </td>
                      <td data-label="Postulante">{f.nombre}</td>
                      {asignado ? (
                        <>
                          <td data-label={`Mi puntaje (0 a ${etapa.maximo})`} className={errors?.[pn] ? "field--error" : undefined}>
                            <label htmlFor={fieldId(pn)} className="visually-hidden">
                              Puntaje de {f.numero}
                            </label>
                            {errors?.[pn] ? (
                              <p className="field-error" id={`${fieldId(pn)}-error`}>
                                {errors[pn]}
                              </p>
                            ) : null}
                            <input
                              // A new saved value (after "Guardar", with JavaScript) shows as stored ("44" → "44.00");
                              // a refused save keeps what was typed (nothing was stored: the key does not change).
                              key={`${pn}:${f.miPuntaje ?? ""}`}
                              id={fieldId(pn)}
                              name={pn}
                              inputMode="decimal"
                              size={6}
                              defaultValue={v[pn] ?? f.miPuntaje}
                              readOnly={!puedeCalificar}
                              aria-invalid={errors?.[pn] ? true : undefined}
                              aria-describedby={errors?.[pn] ? `${fieldId(pn)}-error` : undefined}
                            />
                          </td>
                          <td data-label="Observación">
                            <label htmlFor={fieldId(on)} className="visually-hidden">
                              Observación de {f.numero}
                            </label>
                            {errors?.[on] ? <p className="field-error">{errors[on]}</p> : null}
                            <textarea key={`${on}:${f.miObservacion ?? ""}`} id={fieldId(on)} name={on} rows={1} maxLength={OBSERVACION_MAX} defaultValue={v[on] ?? f.miObservacion} readOnly={!puedeCalificar} />
                          </td>
                        </>
                      ) : null}
                      {gestiona ? (
                        <>
                          {f.puntajes.map((p, i) => (
                            <td key={p.id} data-label={evaluadores[i]?.nombre}>
                              {p.puntaje}
                            </td>
                          ))}
                          <td data-label="Promedio">{f.promedio}</td>
                          <td data-label="Resultado">{f.resultado ?? "—"}</td>
                        </>
                      ) : null}
                      {puedeCalificar ? (
                        <td>
                          <button type="submit" name="fila" value={f.id} className="button button--secondary">
                            Guardar<span className="visually-hidden"> {f.numero}</span>
                          </button>
                        </td>
                      ) : null}
                    </tr>
                  );
                })}
              </tbody>
            </table>
          </div>
          {puedeCalificar ? (
            <div className="actions">
              <button type="submit" className="button">
                Guardar todos los puntajes de esta página
              </button>
            </div>
          ) : null}
        </Form>
      ) : (
        <p>No hay postulaciones en esta etapa por ahora.</p>
      )}
      {paginas > 1 ? (
        <nav aria-label="Páginas" className="actions">
          {pagina > 1 ? <Link to={`?pagina=${pagina - 1}`}>Anterior</Link> : null}
          <span>
            Página {pagina} de {paginas}
          </span>
          {pagina < paginas ? <Link to={`?pagina=${pagina + 1}`}>Siguiente</Link> : null}
        </nav>
      ) : null}

      {gestiona && filas.length && evaluadores.length ? (
        <section aria-labelledby="corregir-titulo" className="panel">
          <h2 id="corregir-titulo">Corregir un puntaje</h2>
          <p>La corrección queda registrada con su motivo. Si la lista ya fue publicada, se publica de nuevo y se avisa a los postulantes.</p>
          <Form method="post">
            <CsrfInput />
            <input type="hidden" name="pagina" value={pagina} />
            <div className="field">
              <label htmlFor={fieldId("postulacionId")}>Postulación</label>
              <select id={fieldId("postulacionId")} name="postulacionId" defaultValue={v.postulacionId}>
                {filas.map((f) => (
                  <option key={f.id} value={f.id}>
                    {f.numero} · {f.nombre}
                  </option>
                ))}
              </select>
            </div>
            <div className="field">
              <label htmlFor={fieldId("evaluadorId")}>Evaluador(a)</label>
              <select id={fieldId("evaluadorId")} name="evaluadorId" defaultValue={v.evaluadorId}>
                {evaluadores.map((e) => (
                  <option key={e.id} value={e.id}>
                    {e.nombre}
                  </option>
                ))}
              </select>
            </div>
            <div className={`field${errors?.puntaje ? " field--error" : ""}`}>
              <label htmlFor={fieldId("puntaje")}>Puntaje corregido</label>
              {errors?.puntaje ? <p className="field-error">{errors.puntaje}</p> : null}
              <input id={fieldId("puntaje")} name="puntaje" inputMode="decimal" defaultValue={v.puntaje} />
            </div>
            <div className={`field${errors?.motivo ? " field--error" : ""}`}>
              <label htmlFor={fieldId("motivo")}>Motivo</label>
              {errors?.motivo ? <p className="field-error">{errors.motivo}</p> : null}
              <textarea id={fieldId("motivo")} name="motivo" rows={2} maxLength={1000} defaultValue={v.motivo} />
            </div>
            <button type="submit" name="intent" value="corregir" className="button">
              Corregir puntaje
            </button>
          </Form>
        </section>
      ) : null}
    </>
  );
}
