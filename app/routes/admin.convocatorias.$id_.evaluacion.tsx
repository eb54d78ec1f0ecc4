import { and, asc, eq, inArray, isNull } from "drizzle-orm";
import { Form, Link, redirect } from "react-router";
import { bonificaciones, documentos, postulaciones, staff } from "~/db/schema";
import { assignEvaluadores } from "~/features/evaluacion/assign-evaluadores.server";
import type { TipoBonificacion } from "~/features/evaluacion/calculo";
import { loadEvaluacion } from "~/features/evaluacion/load-evaluacion.server";
import { closeEtapa } from "~/features/evaluacion/close-etapa.server";
import { configureEtapas } from "~/features/evaluacion/configure-etapas.server";
import { AppError } from "~/shared/app-error";
import { isUuid } from "~/shared/ids";
import {
  asignarSchema, bonificacionSchema, configurarSchema, desempateSchema, etapaSchema, publicarSchema,
} from "~/features/evaluacion/evaluacion.schema";
import { aNumeric, formatPuntaje } from "~/features/evaluacion/numeros";
import { publishResultados } from "~/features/evaluacion/publish-resultados.server";
import { recordDesempate } from "~/features/evaluacion/record-desempate.server";
import { avisoPostulacionSinTerminar } from "~/features/evaluacion/plazo";
import { answerError, asNotFound, notFound } from "~/web/answer-error.server";
import { getResultadosPublicados } from "~/features/evaluacion/resultados-publicados.server";
import { BONIFICACION_LABEL, CONDICION_LABEL, SUSTENTO_BONIFICACION } from "~/features/evaluacion/etiquetas";
import { validateBonificacion } from "~/features/evaluacion/validate-bonificacion.server";
import { formatLima } from "~/shared/lima";
import { requireStaff } from "~/web/auth.server";
import { invalid, parseForm, readForm, type FormErrors } from "~/web/forms.server";
import { CsrfInput, ErrorSummary, fieldId } from "~/ui/form";
import { cantidad } from "~/shared/format";
import type { Route } from "./+types/admin.convocatorias.$id_.evaluacion";

/** The gestor's evaluation page of a convocatoria (issue 5): stages, evaluadores, bonificaciones, results. */
export const meta: Route.MetaFunction = ({ data: d }) => [{ title: `Evaluación · ${d?.convocatoria.codigo ?? "Convocatoria"} · CAS Online` }];

const AVISOS: Record<string, string> = {
  configurada: "Configuración de la evaluación guardada.",
  asignados: "Evaluadores asignados.",
  cerrada: "Etapa cerrada.",
  publicada: "Resultados publicados. Los postulantes recibirán un correo.",
  bonificacion: "Bonificación registrada.",
  desempate: "Desempate registrado.",
};

const ESTADO_ETAPA = { abierta: "Abierta", cerrada: "Cerrada", publicada: "Publicada" } as const;
const BONO_TIPOS = Object.keys(SUSTENTO_BONIFICACION) as TipoBonificacion[];

export async function loader({ request, context, params }: Route.LoaderArgs) {
  await requireStaff(request, context, "review:postulacion");
  if (!isUuid(params.id)) throw notFound("La convocatoria no existe.");
  const { db } = context.services;
  let ev;
  try {
    ev = await loadEvaluacion(db, params.id);
  } catch (error) {
    throw asNotFound(error, "La convocatoria no existe.");
  }
  const personal = await db
    .select({ id: staff.id, nombre: staff.nombre, role: staff.role })
    .from(staff)
    .where(and(isNull(staff.disabledAt), inArray(staff.role, ["evaluador", "gestor"])))
    .orderBy(asc(staff.nombre));
  const byId = new Map(ev.postulaciones.map((p) => [p.id, p]));
  const claims = await db
    .select({ postulacionId: documentos.postulacionId, tipo: documentos.tipo })
    .from(documentos)
    .innerJoin(postulaciones, eq(postulaciones.id, documentos.postulacionId))
    .where(and(eq(postulaciones.convocatoriaId, ev.convocatoria.id), eq(postulaciones.estado, "registrada"), inArray(documentos.tipo, Object.values(SUSTENTO_BONIFICACION))));
  const decididas = await db
    .select()
    .from(bonificaciones)
    .where(claims.length ? inArray(bonificaciones.postulacionId, [...new Set(claims.map((c) => c.postulacionId))]) : isNull(bonificaciones.postulacionId));
  const bonos = claims.map((c) => {
    const tipo = BONO_TIPOS.find((t) => SUSTENTO_BONIFICACION[t] === c.tipo)!;
    const d = decididas.find((x) => x.postulacionId === c.postulacionId && x.tipo === tipo);
    const p = byId.get(c.postulacionId)!;
    return { postulacionId: c.postulacionId, numero: p.numero, nombre: p.nombre, tipo, estado: d ? (d.validada ? "Validada" : "Rechazada") : "Pendiente", nivel: d?.nivel ?? null, observacion: d?.observacion ?? "" };
  });
  const final = ev.final;
  const aptos = final?.resultados.filter((r) => r.final != null) ?? [];
  const url = new URL(request.url);
  const aviso = url.searchParams.get("aviso");
  return {
    convocatoria: { id: ev.convocatoria.id, codigo: ev.convocatoria.codigo, puesto: ev.convocatoria.puesto, vacantes: ev.convocatoria.vacantes },
    config: { bonificacionesAcumulables: ev.config.bonificacionesAcumulables, publicarComo: ev.config.publicarComo },
    etapas: ev.calculadas.map((e) => ({
      id: e.id,
      tipo: e.tipo,
      nombre: e.nombre,
      peso: aNumeric(e.peso),
      maximo: aNumeric(e.maximo),
      minimo: aNumeric(e.minimo),
      estado: e.estado,
      evaluadores: e.evaluadores,
      bloqueada: e.bloqueada,
      total: e.resultados.length,
      faltantes: e.faltantes,
      aptos: e.resultados.filter((r) => r.apto).length,
    })),
    total: ev.postulaciones.length,
    personal,
    bonos,
    final: final
      ? {
          empates: final.empates.map((t) => ({
            puntaje: formatPuntaje(t.puntaje),
            resuelto: t.resuelto?.nota ?? null,
            postulaciones: t.postulaciones.map((id) => ({ id, numero: byId.get(id)!.numero, nombre: byId.get(id)!.nombre })),
          })),
          filas: aptos.slice(0, Math.max(50, ev.convocatoria.vacantes + 10)).map((r) => ({
            id: r.postulacionId,
            orden: r.orden,
            numero: byId.get(r.postulacionId)!.numero,
            nombre: byId.get(r.postulacionId)!.nombre,
            base: formatPuntaje(r.base),
            bonificacion: r.bonificacionPct ? `${r.bonificacionPct} % (${formatPuntaje(r.bonificacion)})` : "—",
            final: formatPuntaje(r.final),
            condicion: CONDICION_LABEL[r.condicion],
            empate: r.empate,
          })),
          aptos: aptos.length,
          noAptos: final.resultados.length - aptos.length,
        }
      : null,
    publicaciones: (await getResultadosPublicados(db, ev.convocatoria.id)).map((p) => ({
      id: p.id, alcance: p.alcance, titulo: p.titulo, version: p.version, publishedAt: formatLima(p.publishedAt), pdfUrl: p.pdfUrl,
    })),
    aviso: aviso && AVISOS[aviso] ? AVISOS[aviso] : null,
    plazo: avisoPostulacionSinTerminar(ev.convocatoria, context.services.clock.now()),
  };
}

export async function action({ request, context, params }: Route.ActionArgs) {
  const { staff: me } = await requireStaff(request, context, "review:postulacion");
  const formData = await readForm(request, context);
  if (!isUuid(params.id)) throw notFound("La convocatoria no existe.");
  const { services, logger } = context;
  const intent = formData.get("intent");
  const base = `/admin/convocatorias/${params.id}/evaluacion`;
  const fail = (errors: Record<string, string>) => {
    logger.info({ intent, fields: Object.keys(errors) }, "evaluacion: form invalid");
    return invalid(formData, errors);
  };
  try {
    if (intent === "configurar") {
      const parsed = parseForm(configurarSchema, formData);
      if (!parsed.ok) return fail(parsed.errors);
      await configureEtapas({ services, actorId: me.id, convocatoriaId: params.id, ...parsed.data });
      return redirect(`${base}?aviso=configurada`);
    }
    if (intent === "asignar") {
      const parsed = parseForm(asignarSchema.passthrough(), formData);
      if (!parsed.ok) return fail(parsed.errors);
      const ids = formData.getAll("evaluadores").map(String);
      if (!ids.every(isUuid)) return fail({ evaluadores: "Recargue la página e inténtelo de nuevo." });
      await assertEtapaDe(services.db, parsed.data.etapaId, params.id);
      await assignEvaluadores({ services, actorId: me.id, etapaId: parsed.data.etapaId, staffIds: ids });
      return redirect(`${base}?aviso=asignados`);
    }
    if (intent === "cerrar") {
      const parsed = parseForm(etapaSchema.passthrough(), formData);
      if (!parsed.ok) return fail(parsed.errors);
      await assertEtapaDe(services.db, parsed.data.etapaId, params.id);
      await closeEtapa({ services, actorId: me.id, etapaId: parsed.data.etapaId });
      return redirect(`${base}?aviso=cerrada`);
    }
    if (intent === "publicar") {
      const parsed = parseForm(publicarSchema.passthrough(), formData);
      if (!parsed.ok) return fail(parsed.errors);
      const { alcance, motivo } = parsed.data;
      const r = await publishResultados({
        services, actorId: me.id, convocatoriaId: params.id, alcance: alcance === "final" ? "final" : { etapaId: alcance }, motivo: motivo ?? null,
      });
      logger.info({ convocatoriaId: params.id, alcance, version: r.version, destinatarios: r.destinatarios }, "evaluacion: results published");
      return redirect(`${base}?aviso=publicada`);
    }
    if (intent === "bonificacion") {
      const parsed = parseForm(bonificacionSchema.passthrough(), formData);
      if (!parsed.ok) return fail(parsed.errors);
      const nivel = parsed.data.nivel ? Number(parsed.data.nivel) : null;
      await assertPostulacionDe(services.db, parsed.data.postulacionId, params.id);
      await validateBonificacion({
        services, actorId: me.id, postulacionId: parsed.data.postulacionId, tipo: parsed.data.tipo,
        validada: parsed.data.decision === "validar", nivel: Number.isInteger(nivel) ? nivel : null, observacion: parsed.data.observacion ?? "",
      });
      return redirect(`${base}?aviso=bonificacion`);
    }
    if (intent === "desempate") {
      const parsed = parseForm(desempateSchema.passthrough(), formData);
      if (!parsed.ok) return fail(parsed.errors);
      const puestos = [...formData.entries()]
        .filter(([k]) => k.startsWith("puesto_"))
        .map(([k, v]) => ({ id: k.slice("puesto_".length), puesto: Number(v) }));
      if (new Set(puestos.map((p) => p.puesto)).size !== puestos.length || puestos.some((p) => !Number.isInteger(p.puesto)))
        return fail({ orden: "Asigne un puesto distinto a cada postulación empatada." });
      const orden = puestos.sort((a, b) => a.puesto - b.puesto).map((p) => p.id);
      await recordDesempate({ services, actorId: me.id, convocatoriaId: params.id, orden, nota: parsed.data.nota });
      return redirect(`${base}?aviso=desempate`);
    }
    return invalid(formData, { form: "Acción desconocida. Recargue la página e inténtelo de nuevo." }, 400);
  } catch (error) {
    return answerError(error, formData, context, "evaluacion", { level: (e) => (e.fields ? "info" : "warn") });
  }
}

async function assertEtapaDe(db: import("~/db/client.server").Db, etapaId: string, convocatoriaId: string) {
  const row = await db.query.evaluacionEtapas.findFirst({ where: (t, { eq: e }) => e(t.id, etapaId) });
  if (!row || row.convocatoriaId !== convocatoriaId) throw new AppError("evaluacion.etapa_no_encontrada", "No encontramos la etapa de evaluación.", { status: 404, logCause: "stage of another convocatoria" });
}

async function assertPostulacionDe(db: import("~/db/client.server").Db, postulacionId: string, convocatoriaId: string) {
  const row = await db.query.postulaciones.findFirst({ where: (t, { eq: e }) => e(t.id, postulacionId) });
  if (!row || row.convocatoriaId !== convocatoriaId) throw new AppError("evaluacion.postulacion_no_encontrada", "No encontramos la postulación.", { status: 404, logCause: "postulación of another convocatoria" });
}

export default function EvaluacionConvocatoria({ loaderData, actionData }: Route.ComponentProps) {
  const { convocatoria: c, config, etapas, personal, bonos, final, publicaciones, aviso, plazo, total } = loaderData;
  const result = actionData as FormErrors | undefined;
  const errors = result?.errors;
  const v = result?.values ?? {};
  const posted = (intent: string) => v.intent === intent;
  const tecnica = etapas.find((e) => e.tipo === "tecnica");
  const valor = (tipo: string, campo: "peso" | "maximo" | "minimo") =>
    posted("configurar") ? (v[`${campo}_${tipo}`] ?? "") : (etapas.find((e) => e.tipo === tipo)?.[campo] ?? "");
  const bloqueada = etapas.some((e) => e.estado !== "abierta");
  return (
    <>
      <p>
        <Link to={`/admin/convocatorias/${c.id}`}>← {c.codigo}</Link> · <Link to={`/admin/convocatorias/${c.id}/postulaciones`}>Postulaciones</Link>
      </p>
      <h1>Evaluación: {c.codigo}</h1>
      <p>
        {c.puesto} · {cantidad(total, "postulación registrada", "postulaciones registradas")} · {cantidad(c.vacantes, "vacante", "vacantes")}
      </p>
      {aviso ? (
        <div className="notice notice--success" role="status">
          <p>{aviso}</p>
        </div>
      ) : null}
      <ErrorSummary errors={errors} />
      {plazo ? <p className="notice">{plazo} Ya puede asignar evaluadores y calificar las postulaciones registradas.</p> : null}

      <section aria-labelledby="etapas-titulo">
        <h2 id="etapas-titulo">Etapas</h2>
        <div className="table-wrap">
          <table>
            <thead>
              <tr>
                <th scope="col">Etapa</th>
                <th scope="col">Peso</th>
                <th scope="col">Máximo</th>
                <th scope="col">Mínimo</th>
                <th scope="col">Estado</th>
                <th scope="col">Avance</th>
                <th scope="col">Acciones</th>
              </tr>
            </thead>
            <tbody>
              {etapas.map((e) => (
                <tr key={e.id}>
                  <th scope="row">
                    <Link to={`/admin/evaluacion/etapas/${e.id}`}>{e.nombre}</Link>
                  </th>
                  <td data-label="Peso">{e.peso} %</td>
                  <td data-label="Máximo">{e.maximo}</td>
                  <td data-label="Mínimo">{e.minimo}</td>
                  <td data-label="Estado">
                    <span className="badge">{ESTADO_ETAPA[e.estado]}</span>
                  </td>
                  <td data-label="Avance">
                    {e.bloqueada
                      ? "Espera el cierre de la etapa anterior"
                      : `${e.total - e.faltantes} de ${e.total} calificadas · ${e.aptos} aptos`}
                  </td>
                  <td data-label="Acciones">
                    <div className="actions">
                      {e.estado === "abierta" ? (
                        <Form method="post">
                          <CsrfInput />
                          <input type="hidden" name="etapaId" value={e.id} />
                          <button type="submit" name="intent" value="cerrar" className="button button--secondary">
                            Cerrar etapa<span className="visually-hidden"> {e.nombre}</span>
                          </button>
                        </Form>
                      ) : null}
                      <Form method="post">
                        <CsrfInput />
                        <input type="hidden" name="alcance" value={e.id} />
                        {e.estado === "publicada" ? (
                          <>
                            <label htmlFor={`motivo-${e.id}`}>Motivo de la nueva publicación</label>
                            <input id={`motivo-${e.id}`} name="motivo" maxLength={1000} />
                          </>
                        ) : null}
                        <button type="submit" name="intent" value="publicar" className="button">
                          {e.estado === "publicada" ? "Publicar de nuevo" : "Publicar resultados"}
                          <span className="visually-hidden"> de {e.nombre}</span>
                        </button>
                      </Form>
                    </div>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>

        <h3>Evaluadores por etapa</h3>
        {etapas.map((e) => (
          <Form method="post" key={e.id} className="panel">
            <CsrfInput />
            <input type="hidden" name="etapaId" value={e.id} />
            <fieldset id={posted("asignar") && v.etapaId === e.id ? fieldId("evaluadores") : undefined}>
              <legend>{e.nombre}</legend>
              {personal.length ? (
                personal.map((m) => (
                  <div className="field field--checkbox" key={m.id}>
                    <input type="checkbox" id={`ev-${e.id}-${m.id}`} name="evaluadores" value={m.id} defaultChecked={e.evaluadores.includes(m.id)} disabled={e.estado !== "abierta"} />
                    <label htmlFor={`ev-${e.id}-${m.id}`}>
                      {m.nombre} ({m.role === "gestor" ? "Gestor" : "Evaluador"})
                    </label>
                  </div>
                ))
              ) : (
                <p>No hay personal con rol de evaluador. Créelo en Personal.</p>
              )}
            </fieldset>
            {e.estado === "abierta" ? (
              <button type="submit" name="intent" value="asignar" className="button button--secondary">
                Guardar evaluadores<span className="visually-hidden"> de {e.nombre}</span>
              </button>
            ) : null}
          </Form>
        ))}
      </section>

      <section aria-labelledby="config-titulo">
        <h2 id="config-titulo">Configuración</h2>
        {bloqueada ? <p className="notice">Una etapa ya fue cerrada: la configuración no puede cambiar.</p> : null}
        <Form method="post" className="panel">
          <CsrfInput />
          {(["curricular", "tecnica", "entrevista"] as const).map((tipo) => (
            <fieldset key={tipo}>
              <legend>{tipo === "curricular" ? "Evaluación curricular" : tipo === "tecnica" ? "Evaluación técnica (opcional)" : "Entrevista personal"}</legend>
              {tipo === "tecnica" ? (
                <div className="field field--checkbox">
                  <input type="checkbox" id={fieldId("incluir_tecnica")} name="incluir_tecnica" defaultChecked={posted("configurar") ? v.incluir_tecnica === "on" : !!tecnica} />
                  <label htmlFor={fieldId("incluir_tecnica")}>Incluir la evaluación técnica</label>
                </div>
              ) : null}
              <div className="grid-3">
                {(["peso", "maximo", "minimo"] as const).map((campo) => {
                  const name = `${campo}_${tipo}`;
                  return (
                    <div className={`field${errors?.[name] ? " field--error" : ""}`} key={campo}>
                      <label htmlFor={fieldId(name)}>{campo === "peso" ? "Peso (%)" : campo === "maximo" ? "Puntaje máximo" : "Puntaje mínimo aprobatorio"}</label>
                      {errors?.[name] ? <p className="field-error" id={`${fieldId(name)}-error`}>{errors[name]}</p> : null}
                      <input id={fieldId(name)} name={name} inputMode="decimal" defaultValue={valor(tipo, campo)} aria-invalid={errors?.[name] ? true : undefined} aria-describedby={errors?.[name] ? `${fieldId(name)}-error` : undefined} />
                    </div>
                  );
                })}
              </div>
            </fieldset>
          ))}
          <fieldset className="field">
            <legend>Bonificaciones</legend>
            <label className="radio">
              <input type="radio" name="bonificacionesAcumulables" value="si" defaultChecked={config.bonificacionesAcumulables} /> Se suman (por defecto)
            </label>
            <label className="radio">
              <input type="radio" name="bonificacionesAcumulables" value="no" defaultChecked={!config.bonificacionesAcumulables} /> Solo cuenta la mayor
            </label>
          </fieldset>
          <fieldset className="field">
            <legend>En las listas publicadas, identificar a los postulantes por</legend>
            <label className="radio">
              <input type="radio" name="publicarComo" value="nombres" defaultChecked={config.publicarComo === "nombres"} /> Apellidos y nombres
            </label>
            <label className="radio">
              <input type="radio" name="publicarComo" value="documento_enmascarado" defaultChecked={config.publicarComo === "documento_enmascarado"} /> Número de documento parcialmente oculto (****1234)
            </label>
          </fieldset>
          <button type="submit" name="intent" value="configurar" className="button" disabled={bloqueada}>
            Guardar configuración
          </button>
        </Form>
      </section>

      <section aria-labelledby="bonos-titulo">
        <h2 id="bonos-titulo">Bonificaciones</h2>
        <p>Se aplican al puntaje final de quienes aprueban la última etapa, solo si el sustento fue validado.</p>
        {bonos.length ? (
          <div className="table-wrap">
            <table>
              <thead>
                <tr>
                  <th scope="col">Postulación</th>
                  <th scope="col">Bonificación</th>
                  <th scope="col">Estado</th>
                  <th scope="col">Decisión</th>
                </tr>
              </thead>
              <tbody>
                {bonos.map((b) => {
                  const key = `${b.postulacionId}-${b.tipo}`;
                  return (
                    <tr key={key}>
                      <td data-label="Postulación">
                        <Link to={`/admin/postulaciones/${b.postulacionId}`}>{b.numero}</Link> · {b.nombre}
                      </td>
                      <td data-label="Bonificación">{BONIFICACION_LABEL[b.tipo]}</td>
                      <td data-label="Estado">
                        {b.estado}
                        {b.nivel && b.tipo === "deportista" ? ` (nivel ${b.nivel})` : ""}
                        {b.observacion ? ` · ${b.observacion}` : ""}
                      </td>
                      <td data-label="Decisión">
                        <Form method="post" className="inline-form">
                          <CsrfInput />
                          <input type="hidden" name="postulacionId" value={b.postulacionId} />
                          <input type="hidden" name="tipo" value={b.tipo} />
                          {b.tipo === "deportista" ? (
                            <>
                              <label htmlFor={`nivel-${key}`}>Nivel</label>
                              <select id={`nivel-${key}`} name="nivel" defaultValue={b.nivel ?? ""}>
                                <option value="">Elija</option>
                                {[1, 2, 3, 4, 5].map((n) => (
                                  <option key={n} value={n}>
                                    {n} ({[20, 16, 12, 8, 4][n - 1]} %)
                                  </option>
                                ))}
                              </select>
                            </>
                          ) : null}
                          <label htmlFor={`obs-${key}`}>Observación</label>
                          <input id={`obs-${key}`} name="observacion" maxLength={1000} defaultValue={b.observacion} />
                          <input type="hidden" name="intent" value="bonificacion" />
                          <button type="submit" name="decision" value="validar" className="button button--secondary">
                            Validar
                          </button>
                          <button type="submit" name="decision" value="rechazar" className="button button--secondary">
                            Rechazar
                          </button>
                        </Form>
                      </td>
                    </tr>
                  );
                })}
              </tbody>
            </table>
          </div>
        ) : (
          <p>Ninguna postulación presentó sustentos de bonificación.</p>
        )}
      </section>

      <section aria-labelledby="final-titulo">
        <h2 id="final-titulo">Resultado final</h2>
        {!final ? (
          <p>El resultado final se calcula cuando todas las etapas están cerradas.</p>
        ) : (
          <>
            <p>
              Puntaje final = Σ (puntaje de la etapa × peso ÷ máximo de la etapa) + bonificaciones. {final.aptos} aprobaron todas las
              etapas; {final.noAptos} no aptos.
            </p>
            {final.empates.map((t) => (
              <div className="notice notice--warning" key={t.puntaje}>
                <h3>Empate en el límite de las vacantes ({t.puntaje})</h3>
                {t.resuelto ? <p>Resuelto: {t.resuelto}</p> : <p>El comité debe resolverlo antes de publicar el resultado final.</p>}
                <Form method="post">
                  <CsrfInput />
                  <fieldset id={fieldId("orden")}>
                    <legend>Orden elegido por el comité</legend>
                    {t.postulaciones.map((p) => (
                      <div className="field" key={p.id}>
                        <label htmlFor={`puesto-${p.id}`}>
                          Puesto de {p.numero} · {p.nombre}
                        </label>
                        <select id={`puesto-${p.id}`} name={`puesto_${p.id}`} defaultValue={String(t.postulaciones.indexOf(p) + 1)}>
                          {t.postulaciones.map((_, i) => (
                            <option key={i} value={i + 1}>
                              {i + 1}
                            </option>
                          ))}
                        </select>
                      </div>
                    ))}
                  </fieldset>
                  <div className={`field${errors?.nota ? " field--error" : ""}`}>
                    <label htmlFor={fieldId("nota")}>Cómo se resolvió (criterio de las bases, acta)</label>
                    {errors?.nota ? <p className="field-error">{errors.nota}</p> : null}
                    <textarea id={fieldId("nota")} name="nota" rows={3} maxLength={2000} defaultValue={posted("desempate") ? v.nota : (t.resuelto ?? "")} />
                  </div>
                  <button type="submit" name="intent" value="desempate" className="button button--secondary">
                    Registrar desempate
                  </button>
                </Form>
              </div>
            ))}
            <div className="table-wrap">
              <table>
                <caption>Orden de mérito (vista previa)</caption>
                <thead>
                  <tr>
                    <th scope="col">Orden</th>
                    <th scope="col">Postulación</th>
                    <th scope="col">Postulante</th>
                    <th scope="col">Puntaje</th>
                    <th scope="col">Bonificación</th>
                    <th scope="col">Final</th>
                    <th scope="col">Condición</th>
                  </tr>
                </thead>
                <tbody>
                  {final.filas.map((f) => (
                    <tr key={f.id}>
                      <td data-label="Orden">{f.orden}</td>
                      <td data-label="Postulación">
                        <Link to={`/admin/postulaciones/${f.id}`}>{f.numero}</Link>
                      </td>
                      <td data-label="Postulante">{f.nombre}</td>
                      <td data-label="Puntaje">{f.base}</td>
                      <td data-label="Bonificación">{f.bonificacion}</td>
                      <td data-label="Final">{f.final}</td>
                      <td data-label="Condición">
                        {f.condicion}
                        {f.empate ? <span className="badge">Empate</span> : null}
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
            <Form method="post" className="panel">
              <CsrfInput />
              <input type="hidden" name="alcance" value="final" />
              {publicaciones.some((p) => p.alcance === "final") ? (
                <div className="field">
                  <label htmlFor={fieldId("motivo")}>Motivo de la nueva publicación</label>
                  <input id={fieldId("motivo")} name="motivo" maxLength={1000} />
                </div>
              ) : null}
              <button type="submit" name="intent" value="publicar" className="button">
                Publicar resultado final
              </button>
            </Form>
          </>
        )}
      </section>

      <section aria-labelledby="pub-titulo">
        <h2 id="pub-titulo">Publicaciones</h2>
        {publicaciones.length ? (
          <ul>
            {publicaciones.map((p) => (
              <li key={p.id}>
                {p.titulo} · versión {p.version} · {p.publishedAt}
                {p.pdfUrl ? (
                  <>
                    {" "}
                    · <a href={p.pdfUrl}>PDF</a>
                  </>
                ) : null}
              </li>
            ))}
          </ul>
        ) : (
          <p>Aún no se publicó ningún resultado.</p>
        )}
      </section>
    </>
  );
}

