import { and, asc, eq, inArray } from "drizzle-orm";
import type { Db } from "~/db/client.server";
import {
  bonificaciones, convocatorias, desempates, etapaEvaluadores, evaluacionConfig, evaluacionEtapas, postulaciones, postulantes, puntajes,
} from "~/db/schema";
import { calcularEtapas, calcularFinal, type EtapaDef } from "./calculo";
import { convocatoriaNoEncontrada } from "./errors";
import { centesimos } from "./numeros";

/** The default stages of the common CAS bases, created the first time a convocatoria's evaluation is opened. */
export const ETAPAS_POR_DEFECTO = [
  { orden: 1, tipo: "curricular", nombre: "Evaluación curricular", peso: "50", maximo: "50", minimo: "35" },
  { orden: 3, tipo: "entrevista", nombre: "Entrevista personal", peso: "50", maximo: "50", minimo: "35" },
] as const;

export const NOMBRE_ETAPA = { curricular: "Evaluación curricular", tecnica: "Evaluación técnica", entrevista: "Entrevista personal" } as const;

/** Creates the settings row and the default stages when missing (idempotent, safe under concurrency). */
export async function ensureEvaluacion(db: Db, convocatoriaId: string): Promise<void> {
  await db.insert(evaluacionConfig).values({ convocatoriaId }).onConflictDoNothing();
  const existing = await db.select({ id: evaluacionEtapas.id }).from(evaluacionEtapas).where(eq(evaluacionEtapas.convocatoriaId, convocatoriaId)).limit(1);
  if (existing.length) return;
  await db
    .insert(evaluacionEtapas)
    .values(ETAPAS_POR_DEFECTO.map((e) => ({ ...e, convocatoriaId })))
    .onConflictDoNothing();
}

export async function loadEtapas(db: Db, convocatoriaId: string): Promise<(EtapaDef & { row: typeof evaluacionEtapas.$inferSelect })[]> {
  const rows = await db.select().from(evaluacionEtapas).where(eq(evaluacionEtapas.convocatoriaId, convocatoriaId)).orderBy(asc(evaluacionEtapas.orden));
  const asign = rows.length
    ? await db.select().from(etapaEvaluadores).where(inArray(etapaEvaluadores.etapaId, rows.map((r) => r.id)))
    : [];
  return rows.map((r) => ({
    id: r.id,
    orden: r.orden,
    tipo: r.tipo,
    nombre: r.nombre,
    peso: centesimos(r.peso),
    maximo: centesimos(r.maximo),
    minimo: centesimos(r.minimo),
    estado: r.estado,
    evaluadores: asign.filter((a) => a.etapaId === r.id).map((a) => a.staffId),
    row: r,
  }));
}

/** "Quispe Prueba, Ana" (as lists sort) → "Ana Quispe Prueba" (as a sentence names a person). */
export const nombreNatural = (nombre: string) => {
  const i = nombre.lastIndexOf(", ");
  return i < 0 ? nombre : `${nombre.slice(i + 2)} ${nombre.slice(0, i)}`;
};

/** "Apellidos, Nombres", as the HR office's lists sort and show an applicant. */
export const apellidosNombres = (p: { nombres: string; apellidoPaterno: string; apellidoMaterno: string | null }) =>
  `${[p.apellidoPaterno, p.apellidoMaterno].filter(Boolean).join(" ")}, ${p.nombres}`;

export type PostulacionEvaluada = {
  id: string;
  numero: string;
  postulanteId: string;
  nombre: string;
  tipoDocumento: string;
  numeroDocumento: string;
  email: string;
  finalizadaAt: Date;
};

/**
 * A convocatoria's postulaciones in one estado, by number, each with its applicant ("Apellidos,
 * Nombres", document, e-mail) and its dates: the registradas are what loadEvaluacion evaluates,
 * the desistidas are listed apart (desistidas.server.ts).
 */
export async function listPostulacionesEnEstado(db: Db, convocatoriaId: string, estado: "registrada" | "desistida") {
  const rows = await db
    .select({
      id: postulaciones.id,
      numero: postulaciones.numero,
      postulanteId: postulaciones.postulanteId,
      nombres: postulantes.nombres,
      apellidoPaterno: postulantes.apellidoPaterno,
      apellidoMaterno: postulantes.apellidoMaterno,
      tipoDocumento: postulantes.tipoDocumento,
      numeroDocumento: postulantes.numeroDocumento,
      email: postulantes.email,
      finalizadaAt: postulaciones.finalizadaAt,
      desistidaAt: postulaciones.desistidaAt,
      motivo: postulaciones.motivoDesistimiento,
    })
    .from(postulaciones)
    .innerJoin(postulantes, eq(postulantes.id, postulaciones.postulanteId))
    .where(and(eq(postulaciones.convocatoriaId, convocatoriaId), eq(postulaciones.estado, estado)))
    .orderBy(asc(postulaciones.numero));
  // Both estados come from finalizing, which gives the number and the date.
  return rows.map((r) => ({
    id: r.id,
    numero: r.numero!,
    postulanteId: r.postulanteId,
    nombre: apellidosNombres(r),
    tipoDocumento: r.tipoDocumento,
    numeroDocumento: r.numeroDocumento,
    email: r.email,
    finalizadaAt: r.finalizadaAt!,
    desistidaAt: r.desistidaAt,
    motivo: r.motivo,
  }));
}

/** Everything the evaluation of a convocatoria depends on, and its computed state. */
export async function loadEvaluacion(db: Db, convocatoriaId: string) {
  const convocatoria = await db.query.convocatorias.findFirst({ where: eq(convocatorias.id, convocatoriaId) });
  if (!convocatoria) throw convocatoriaNoEncontrada();
  await ensureEvaluacion(db, convocatoriaId);
  const config = (await db.query.evaluacionConfig.findFirst({ where: eq(evaluacionConfig.convocatoriaId, convocatoriaId) }))!;
  const etapas = await loadEtapas(db, convocatoriaId);
  // What the evaluation works on: the registradas (a desistida is out of it, issue 17).
  const lista: PostulacionEvaluada[] = (await listPostulacionesEnEstado(db, convocatoriaId, "registrada")).map(
    ({ desistidaAt: _desistidaAt, motivo: _motivo, ...p }) => p,
  );
  const etapaIds = etapas.map((e) => e.id);
  const scores = etapaIds.length
    ? (
        await db
          .select({ etapaId: puntajes.etapaId, postulacionId: puntajes.postulacionId, evaluadorId: puntajes.evaluadorId, puntaje: puntajes.puntaje, observacion: puntajes.observacion })
          .from(puntajes)
          .where(inArray(puntajes.etapaId, etapaIds))
      ).map((r) => ({ ...r, puntaje: centesimos(r.puntaje) }))
    : [];
  const bonos = (
    await db
      .select({ postulacionId: bonificaciones.postulacionId, tipo: bonificaciones.tipo, nivel: bonificaciones.nivel, validada: bonificaciones.validada, observacion: bonificaciones.observacion })
      .from(bonificaciones)
      .innerJoin(postulaciones, eq(postulaciones.id, bonificaciones.postulacionId))
      .where(eq(postulaciones.convocatoriaId, convocatoriaId))
  );
  const ties = (await db.select().from(desempates).where(eq(desempates.convocatoriaId, convocatoriaId))).map((d) => ({
    puntaje: centesimos(d.puntaje),
    orden: d.orden,
    nota: d.nota,
  }));
  const calculadas = calcularEtapas(etapas, lista, scores);
  const todasCerradas = etapas.length > 0 && etapas.every((e) => e.estado !== "abierta");
  const final = todasCerradas
    ? calcularFinal({
        etapas: calculadas,
        postulaciones: lista,
        bonificaciones: bonos,
        acumulables: config.bonificacionesAcumulables,
        vacantes: convocatoria.vacantes,
        desempates: ties,
      })
    : null;
  return { convocatoria, config, etapas, postulaciones: lista, puntajes: scores, bonificaciones: bonos, calculadas, final };
}

export type EvaluacionCargada = Awaited<ReturnType<typeof loadEvaluacion>>;
