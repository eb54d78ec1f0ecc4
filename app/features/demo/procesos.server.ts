import { and, desc, eq, gt, inArray, like, lt, lte, ne, or } from "drizzle-orm";
import { archivos, convocatorias, cronogramaEtapas, documentos, outbox, postulaciones, postulantes, staff } from "~/db/schema";
import { DEMO_ADMIN, DEMO_POSTULANTES_PROCESOS, DEMO_STAFF } from "~/features/accounts/demo.server";
import { concludeConvocatoria } from "~/features/convocatorias/conclude-convocatoria.server";
import { perfilDeConvocatoria } from "~/features/convocatorias/convocatoria-datos.server";
import { assignEvaluadores } from "~/features/evaluacion/assign-evaluadores.server";
import { loadEvaluacion } from "~/features/evaluacion/load-evaluacion.server";
import { publishResultados } from "~/features/evaluacion/publish-resultados.server";
import { recordPuntaje } from "~/features/evaluacion/record-puntaje.server";
import { validateBonificacion } from "~/features/evaluacion/validate-bonificacion.server";
import { confirmDocumentos } from "~/features/postulacion/confirm-documento.server";
import { requisitosDelPerfil } from "~/features/postulacion/evidencias";
import { finalizePostulacion } from "~/features/postulacion/finalize-postulacion.server";
import { archivoKeys } from "~/features/postulacion/keys";
import { saveEvidencias } from "~/features/postulacion/save-evidencias.server";
import { startPostulacion } from "~/features/postulacion/start-postulacion.server";
import { loadConvocatoriaParaPostulante } from "~/features/postulacion/ventana.server";
import { audit } from "~/platform/audit.server";
import { fixedClock } from "~/platform/clock.server";
import { renderTextPdf, type TextBlock } from "~/platform/pdf/text-pdf.server";
import type { Services } from "~/platform/services.server";

/**
 * DEMO_DATA=1, after the accounts and the convocatorias: three selection processes with
 * applicants, made through the use cases an applicant and the HR office use ("POSTULAR",
 * confirmations, finalization with its number and constancia, evaluadores, scores,
 * bonificación, publications, conclusion; the documents as the upload records them, see
 * `postular`), each step with the clock
 * set to the moment it happens in the convocatoria's cronograma, so every window is respected.
 *
 * - ABIERTA: a convocatoria whose window is open: four registradas and one draft.
 * - EN EVALUACIÓN: window closed, five registradas, both demo evaluadores assigned to the
 *   evaluación curricular; Jorge Salazar scored all, Lucía Mendoza two; nothing closed or published.
 * - CONCLUIDA: one vacante; both stages scored and published, one bonificación (Licenciado
 *   FFAA) validated, the final list published (GANADOR, two ACCESITARIO, two NO APTO), concluded.
 *
 * No e-mail is left queued: the constancias and results of this invented past would go to
 * @cas.demo addresses at every fresh start (docs/demo.md).
 */

const MIN = 60_000;
const HOUR = 60 * MIN;
const DAY = 24 * HOUR;

type Dni = (typeof DEMO_POSTULANTES_PROCESOS)[number]["numeroDocumento"];

/** What each applicant's documents say (the Ficha Curricular, the sustentos). */
const TRAYECTORIA: Record<Dni, { formacion: string; experiencia: [entidad: string, cargo: string, desde: string, hasta: string][] }> = {
  "42698130": { formacion: "Título profesional de Abogado, Universidad Nacional Mayor de San Marcos (2010). Colegiado en el CAL.", experiencia: [["Ministerio de Defensa", "Especialista legal en contrataciones", "2016", "2025"], ["Municipalidad Distrital de Breña", "Asistente legal", "2012", "2015"]] },
  "71348902": { formacion: "Título profesional de Abogada, Universidad Nacional de San Agustín de Arequipa (2015).", experiencia: [["Gobierno Regional de Arequipa", "Abogada de la Oficina de Abastecimiento", "2018", "2025"], ["Estudio Rivera & Asociados", "Asistente legal", "2015", "2017"]] },
  "41576309": { formacion: "Título profesional de Abogado, Universidad de San Martín de Porres (2008).", experiencia: [["Seguro Social de Salud – EsSalud", "Analista de contrataciones", "2014", "2024"]] },
  "46390214": { formacion: "Título profesional de Abogado, Universidad Nacional Federico Villarreal (2013).", experiencia: [["Superintendencia Nacional de Aduanas y de Administración Tributaria", "Asistente administrativo", "2016", "2025"]] },
  "72561834": { formacion: "Bachiller en Derecho, Universidad Nacional de San Antonio Abad del Cusco (2016).", experiencia: [["Municipalidad Provincial del Cusco", "Auxiliar de logística", "2018", "2025"]] },
  "44125978": { formacion: "Título profesional en Relaciones Internacionales, Universidad Nacional Federico Villarreal (2014).", experiencia: [["Ministerio de Relaciones Exteriores", "Analista consular", "2017", "2025"], ["Agencia de viajes Andes Tours", "Asesora de trámites", "2014", "2016"]] },
  "73895120": { formacion: "Título profesional de Abogada, Universidad Nacional de Piura (2017).", experiencia: [["Registro Nacional de Identificación y Estado Civil", "Orientadora legal", "2019", "2025"]] },
  "43807261": { formacion: "Título profesional en Administración, Universidad Nacional del Callao (2011).", experiencia: [["Ministerio del Interior", "Especialista administrativa", "2013", "2025"]] },
  "45129874": { formacion: "Bachiller en Derecho, Pontificia Universidad Católica del Perú (2015).", experiencia: [["Defensoría del Pueblo", "Asistente de atención al ciudadano", "2018", "2024"]] },
  "40213587": { formacion: "Técnica en Archivística, Instituto de Educación Superior Tecnológico Público José Pardo (2008).", experiencia: [["Archivo General de la Nación", "Técnica archivera", "2011", "2025"]] },
  "47752019": { formacion: "Técnica en Administración, SENATI (2014).", experiencia: [["Municipalidad Distrital de Pueblo Libre", "Auxiliar de trámite documentario", "2016", "2025"]] },
  "70124563": { formacion: "Técnico en Computación e Informática, IESTP Argentina (2016).", experiencia: [["Banco de la Nación", "Auxiliar de archivo", "2018", "2025"]] },
};

type Postular = {
  dni: Dni;
  /** Hours after the window opened when the applicant began (the uploads follow a few minutes apart). */
  horas: number;
  /** Extra (optional) types uploaded besides the required ones. */
  extra?: string[];
  /** A draft: only these required types uploaded, some confirmed; not finalized. */
  borrador?: true;
};

/** ABIERTA: who postulated while the window is open (the draft's owner began this morning). */
const ABIERTA: Postular[] = [
  { dni: "40213587", horas: 20 },
  { dni: "47752019", horas: 44, extra: ["CURSOS_CAPACITACIONES"] },
  { dni: "71348902", horas: 70 },
  { dni: "70124563", horas: 95 },
  { dni: "41576309", horas: 0, borrador: true },
];

/** EN EVALUACIÓN; scores [Jorge, Lucía] of the evaluación curricular (Lucía has not finished). */
const EN_EVALUACION: (Postular & { curricular: [string, string | null] })[] = [
  { dni: "44125978", horas: 30, curricular: ["42", "43,5"], extra: ["CURSOS_CAPACITACIONES"] },
  { dni: "73895120", horas: 52, curricular: ["38,5", "40"] },
  { dni: "43807261", horas: 75, curricular: ["45", null] },
  { dni: "72561834", horas: 100, curricular: ["33", null] },
  { dni: "45129874", horas: 140, curricular: ["36", null] },
];

/**
 * CONCLUIDA (one vacante): scores [Jorge, Lucía] per stage, chosen so the bonificación decides
 * the first place. Ccori 40,50 + 42,50 = 83,00 + 10 % (8,30) = 91,30 GANADOR; Gutiérrez
 * 44,50 + 41,50 = 86,00 ACCESITARIO; Espinoza 37,50 + 37,00 = 74,50 ACCESITARIO; Chávez NO
 * APTO in the entrevista (31,00); Huamaní NO APTO in the evaluación curricular (29,50).
 */
const CONCLUIDA: (Postular & { curricular: [string, string]; entrevista?: [string, string]; ffaa?: true })[] = [
  { dni: "42698130", horas: 26, curricular: ["41", "40"], entrevista: ["42", "43"], extra: ["LICENCIADO_FFAA"], ffaa: true },
  { dni: "71348902", horas: 49, curricular: ["44", "45"], entrevista: ["41", "42"], extra: ["CURSOS_CAPACITACIONES"] },
  { dni: "41576309", horas: 73, curricular: ["38", "37"], entrevista: ["36", "38"] },
  { dni: "46390214", horas: 98, curricular: ["36", "37"], entrevista: ["30", "32"] },
  { dni: "72561834", horas: 122, curricular: ["28", "31"] },
];

const OBSERVACIONES: Record<string, string> = {
  curricular: "Formación y experiencia verificadas con los sustentos del expediente.",
  entrevista: "Entrevista realizada según la guía del comité.",
};

type Ctx = {
  services: Services;
  postulanteId: Map<string, string>;
};

/**
 * Services with the clock at `when`. The use cases' kick of the mail worker does nothing
 * here: the messages they queue are removed at the end, unsent.
 */
function at(services: Services, when: Date) {
  return { ...services, clock: fixedClock(when), mailWorker: { ...services.mailWorker, kick: () => setImmediate(() => undefined) } };
}

async function documentoPdf(tipo: string, label: string, p: (typeof DEMO_POSTULANTES_PROCESOS)[number], codigo: string): Promise<{ bytes: Uint8Array; pages: number }> {
  const nombre = `${p.nombres} ${p.apellidoPaterno} ${p.apellidoMaterno}`;
  const t = TRAYECTORIA[p.numeroDocumento];
  const identidad: TextBlock = {
    fields: [
      ["Apellidos y nombres", `${p.apellidoPaterno} ${p.apellidoMaterno}, ${p.nombres}`],
      ["DNI", p.numeroDocumento],
    ],
  };
  const blocks: Record<string, TextBlock[]> = {
    DNI: [
      { title: "Documento Nacional de Identidad (copia simple)" },
      { fields: [["Primer apellido", p.apellidoPaterno], ["Segundo apellido", p.apellidoMaterno], ["Pre nombres", p.nombres], ["DNI", p.numeroDocumento], ["Fecha de nacimiento", p.fechaNacimiento.split("-").reverse().join("/")], ["Sexo", p.sexo === "F" ? "Femenino" : "Masculino"]] },
      { paragraph: `Copia presentada para la convocatoria ${codigo}. Documento de demostración: no es un DNI real.` },
    ],
    FICHA_CURRICULAR: [
      { title: "Ficha Curricular" },
      identidad,
      { fields: [["Correo electrónico", p.email], ["Celular", p.celular], ["Dirección", p.direccion]] },
      { heading: "Formación académica" },
      { paragraph: t.formacion },
      { heading: "Experiencia laboral" },
      { table: { columns: [{ header: "Entidad", width: 3 }, { header: "Cargo", width: 3 }, { header: "Desde", width: 1 }, { header: "Hasta", width: 1 }], rows: t.experiencia.map((e) => [...e]) } },
      { paragraph: `Declaro que la información consignada es verdadera. Convocatoria ${codigo}.` },
    ],
    FORMACION_ACADEMICA: [
      { title: "Sustento de formación académica" },
      identidad,
      { paragraph: `Copia del diploma: ${t.formacion}` },
      { paragraph: "Registrado en el Registro Nacional de Grados y Títulos de la SUNEDU." },
    ],
    CURSOS_CAPACITACIONES: [
      { title: "Certificados de cursos y capacitaciones" },
      identidad,
      { table: { columns: [{ header: "Curso", width: 4 }, { header: "Horas", width: 1, align: "right" }, { header: "Año", width: 1 }], rows: [["Gestión pública y Ley del Servicio Civil", "48", "2022"], ["Ofimática intermedia", "24", "2021"]] } },
    ],
    EXPERIENCIA: [
      { title: "Certificados y constancias de trabajo" },
      identidad,
      ...t.experiencia.map(([entidad, cargo, desde, hasta]): TextBlock => ({
        paragraph: `${entidad} certifica que ${nombre} laboró como ${cargo} desde ${desde} hasta ${hasta}, demostrando responsabilidad y eficiencia.`,
      })),
    ],
    LICENCIADO_FFAA: [
      { title: "Constancia de licenciamiento – Fuerzas Armadas" },
      identidad,
      { paragraph: `El Ejército del Perú hace constar que ${nombre} prestó servicio militar acuartelado y fue licenciado(a) en 2004.` },
    ],
    DECLARACIONES_JURADAS: [
      { title: "Declaraciones Juradas (Formatos N.° 1 a 5)" },
      identidad,
      { paragraph: "Formato N.° 1: los datos personales consignados en mi postulación son verdaderos." },
      { paragraph: "Formato N.° 2: no tengo impedimento para contratar con el Estado." },
      { paragraph: "Formato N.° 3: no registro antecedentes penales, policiales ni judiciales." },
      { paragraph: "Formato N.° 4: no estoy inscrito(a) en el REDAM." },
      { paragraph: "Formato N.° 5: no tengo parentesco con funcionarios de la entidad (Ley N.° 26771)." },
      { paragraph: `Firmado: ${nombre}.` },
    ],
  };
  return renderTextPdf(blocks[tipo] ?? [{ title: label }, identidad], { title: label });
}

const ARCHIVO: Record<string, string> = {
  DNI: "dni.pdf",
  FICHA_CURRICULAR: "ficha-curricular.pdf",
  FORMACION_ACADEMICA: "titulo-profesional.pdf",
  CURSOS_CAPACITACIONES: "certificados-cursos.pdf",
  EXPERIENCIA: "certificados-de-trabajo.pdf",
  LICENCIADO_FFAA: "constancia-licenciamiento.pdf",
  DECLARACIONES_JURADAS: "declaraciones-juradas-firmadas.pdf",
};

type Convocatoria = typeof convocatorias.$inferSelect;

/**
 * One applicant's postulación, as they make it: "POSTULAR" (the draft, inside the window),
 * each document "CARGAR"-ed a few minutes apart, the boxes "CONFIRMAR DOCUMENTO CARGADO"
 * checked, then "Guardar y Finalizar Postulación" and "Aceptar" — or left as a draft with
 * its last document not confirmed. Returns the postulación's id.
 *
 * The documents are stored and recorded as the upload use case records a clean PDF (same
 * columns, sizes and SHA-256 from storage, pages from the generator, the file its own
 * sanitised copy, the "documento.cargado" audit row and the version bump) but without its
 * PDF inspection: that is a child process per file, and for these seventy-odd files of our
 * own making it made the seeding several times slower (docs/demo.md, "Start time").
 * Everything else goes through the use cases, which check the window and the required types.
 */
async function postular(ctx: Ctx, c: Convocatoria, plan: Postular): Promise<string> {
  const postulanteId = ctx.postulanteId.get(plan.dni)!;
  const persona = DEMO_POSTULANTES_PROCESOS.find((p) => p.numeroDocumento === plan.dni)!;
  const s = at(ctx.services, new Date(c.postulacionInicio!.getTime() + plan.horas * HOUR));
  const { db, storage } = s;
  const { postulacion } = await startPostulacion({ db, postulanteId, convocatoriaId: c.id, now: s.clock.now() });
  const { tipos } = await loadConvocatoriaParaPostulante(db, c.id, postulanteId);
  let codes = [...tipos.filter((t) => t.requerido).map((t) => t.code), ...(plan.extra ?? [])];
  if (plan.borrador) codes = codes.slice(0, 3);
  const rows: (typeof archivos.$inferInsert & { originalKey: string })[] = [];
  const sobrantes: string[] = [];
  for (const tipo of codes) {
    s.clock.advance(3 * MIN);
    const pdf = await documentoPdf(tipo, tipos.find((t) => t.code === tipo)?.label ?? tipo, persona, c.codigo);
    const stored = await storage.put(archivoKeys(postulanteId).original, pdf.bytes);
    rows.push({
      postulanteId,
      tipo,
      filename: ARCHIVO[tipo] ?? `${tipo.toLowerCase()}.pdf`,
      size: stored.size,
      sha256: stored.sha256,
      pages: pdf.pages,
      originalKey: stored.key,
      sanitizedKey: stored.key,
      sanitizedSize: stored.size,
      uploadedAt: s.clock.now(),
      lastUsedAt: s.clock.now(),
    });
  }
  const ids = await db.transaction(async (tx) => {
    await tx
      .update(postulaciones)
      .set({ documentosVersion: rows.length, updatedAt: s.clock.now() })
      .where(and(eq(postulaciones.id, postulacion.id), eq(postulaciones.estado, "en_registro")));
    // Each file kept in the applicant's Mis documentos, then used by the postulación (one per type).
    // Bytes already there (a document that names no convocatoria, generated again within the same
    // second for another of this applicant's postulaciones) are that file, as CARGAR would find it.
    const nuevos = await tx.insert(archivos).values(rows).onConflictDoNothing().returning({ id: archivos.id, originalKey: archivos.originalKey });
    const guardados = await tx
      .select({ id: archivos.id, sha256: archivos.sha256, originalKey: archivos.originalKey })
      .from(archivos)
      .where(and(eq(archivos.postulanteId, postulanteId), inArray(archivos.sha256, rows.map((r) => r.sha256))));
    const archivoDe = (row: (typeof rows)[number]) => guardados.find((g) => g.sha256 === row.sha256)!;
    sobrantes.push(...rows.map((r) => r.originalKey).filter((key) => !nuevos.some((n) => n.originalKey === key)));
    const inserted = await tx
      .insert(documentos)
      .values(rows.map((row) => ({ postulacionId: postulacion.id, tipo: row.tipo, archivoId: archivoDe(row).id })))
      .returning({ id: documentos.id });
    for (const [k, row] of rows.entries()) {
      await audit(tx, { type: "postulante", id: postulanteId }, "documento.cargado", { type: "postulacion", id: postulacion.id }, {
        tipo: row.tipo,
        documentoId: inserted[k]!.id,
        archivoId: archivoDe(row).id,
        sha256: row.sha256,
        size: row.size,
        pages: row.pages,
        reutilizado: archivoDe(row).originalKey !== row.originalKey,
        documentosVersion: k + 1,
      });
    }
    return inserted.map((d) => d.id);
  });
  // The copies of bytes that were already kept: no row lists them.
  for (const key of sobrantes) await storage.delete(key);
  s.clock.advance(2 * MIN);
  const confirmados = plan.borrador ? ids.slice(0, -1) : ids;
  await confirmDocumentos({ db, postulanteId, postulacionId: postulacion.id, confirmados, now: s.clock.now() });
  if (!plan.borrador) {
    // "Sustento de requisitos del perfil" (issue 17): the Ficha Curricular's first page lists
    // formación and experiencia, so the evaluador's links in the demo open a page that says it.
    const ficha = ids[codes.indexOf("FICHA_CURRICULAR")];
    if (ficha) {
      const requisitos = requisitosDelPerfil(await perfilDeConvocatoria(db, c.id));
      const filas = requisitos.map((r) => ({ requisito: r.requisito, fila: 0, documentoId: ficha, paginas: "1" }));
      if (filas.length) await saveEvidencias({ services: s, postulanteId, convocatoriaId: c.id, filas });
    }
    s.clock.advance(2 * MIN);
    await finalizePostulacion({ services: s, postulanteId, convocatoriaId: c.id, declaracion: true, acepto: true });
  }
  return postulacion.id;
}

/**
 * The postulaciones of the three processes in the order they happened (so the numbers
 * follow the times). The fichas are built when first opened, as always. Returns the
 * postulación ids by convocatoria and DNI.
 */
async function postularTodos(ctx: Ctx, procesos: [Convocatoria, Postular[]][]): Promise<Map<string, Map<Dni, string>>> {
  const todas = procesos
    .flatMap(([c, planes]) => planes.map((plan) => ({ c, plan, desde: c.postulacionInicio!.getTime() + plan.horas * HOUR })))
    .sort((x, y) => x.desde - y.desde);
  const ids = new Map<string, Map<Dni, string>>();
  for (const { c, plan } of todas) {
    const id = await postular(ctx, c, plan);
    ids.set(c.id, (ids.get(c.id) ?? new Map<Dni, string>()).set(plan.dni, id));
  }
  return ids;
}

/** The start of a cronograma stage (by its name), plus `offset`. */
async function momento(services: Services, convocatoriaId: string, nombre: string, offset = 0): Promise<Date> {
  const [row] = await services.db
    .select({ inicio: cronogramaEtapas.inicio })
    .from(cronogramaEtapas)
    .where(and(eq(cronogramaEtapas.convocatoriaId, convocatoriaId), eq(cronogramaEtapas.nombre, nombre)));
  if (!row) throw new Error(`demo: the convocatoria has no "${nombre}" stage`);
  return new Date(row.inicio.getTime() + offset);
}

/** Each evaluador enters their scores of a stage, one table at a time. */
async function calificar(services: Services, when: Date, etapaId: string, evaluadorId: string, filas: [postulacionId: string, puntaje: string | null][], tipo: string) {
  const conPuntaje = filas.filter((f): f is [string, string] => f[1] != null);
  if (!conPuntaje.length) return;
  await recordPuntaje({
    services: at(services, when),
    actorId: evaluadorId,
    etapaId,
    filas: conPuntaje.map(([postulacionId, puntaje]) => ({ postulacionId, puntaje, observacion: OBSERVACIONES[tipo]! })),
  });
}

export type DemoProcesos = {
  postulaciones: number;
  convocatorias: { abierta: string; enEvaluacion: string; concluida: string };
  /** How long each phase took (the log line of the seeding). */
  ms: Record<string, number>;
} | null;

export async function seedDemoProcesos(services: Services): Promise<DemoProcesos> {
  const { db } = services;
  const now = services.clock.now();

  const people = await db
    .select({ id: postulantes.id, numeroDocumento: postulantes.numeroDocumento })
    .from(postulantes)
    .where(and(eq(postulantes.tipoDocumento, "DNI"), inArray(postulantes.numeroDocumento, DEMO_POSTULANTES_PROCESOS.map((p) => p.numeroDocumento))));
  const members = await db
    .select({ id: staff.id, email: staff.email })
    .from(staff)
    .where(inArray(staff.email, [...DEMO_STAFF.map((m) => m.email), DEMO_ADMIN.email]));
  const staffId = (email: string) => members.find((m) => m.email === email)?.id;
  const gestor = staffId("gestor@cas.demo");
  const jorge = staffId("evaluador@cas.demo");
  const lucia = staffId("evaluadora2@cas.demo");
  if (people.length !== DEMO_POSTULANTES_PROCESOS.length || !gestor || !jorge || !lucia) {
    services.logger.warn("demo processes skipped: the demo accounts are not all there");
    return null;
  }
  const ctx: Ctx = { services, postulanteId: new Map(people.map((p) => [p.numeroDocumento, p.id])) };

  // The convocatorias of the demo plan (app/features/convocatorias/demo.server.ts):
  // ABIERTA: open for days already, closing last; EN EVALUACIÓN: the window closed most
  // recently; CONCLUIDA: another closed one with a single vacante, concluded at the end.
  const [abierta] = await db
    .select()
    .from(convocatorias)
    .where(and(eq(convocatorias.estado, "publicada"), lte(convocatorias.postulacionInicio, new Date(now.getTime() - 6 * DAY)), gt(convocatorias.postulacionFin, now)))
    .orderBy(desc(convocatorias.postulacionFin))
    .limit(1);
  const cerradas = await db
    .select()
    .from(convocatorias)
    .where(and(eq(convocatorias.estado, "publicada"), lt(convocatorias.postulacionFin, new Date(now.getTime() - 15 * DAY))))
    .orderBy(desc(convocatorias.postulacionFin));
  const enEvaluacion = cerradas[0];
  const concluida = cerradas.find((c) => c.vacantes === 1 && c.id !== enEvaluacion?.id);
  if (!abierta || !enEvaluacion || !concluida) {
    services.logger.warn("demo processes skipped: the demo convocatorias are not there");
    return null;
  }

  // The draft was begun a few hours before the seeding; the others days ago.
  const planesA = ABIERTA.map((p) => (p.borrador ? { ...p, horas: (now.getTime() - abierta.postulacionInicio!.getTime()) / HOUR - 3 } : p));
  const ms: Record<string, number> = {};
  let t = performance.now();
  const ids = await postularTodos(ctx, [[concluida, CONCLUIDA], [enEvaluacion, EN_EVALUACION], [abierta, planesA]]);
  ms.postulaciones = Math.round(performance.now() - t);
  t = performance.now();

  // ---------------------------------------------------------------- CONCLUIDA
  const c = concluida;
  const idsC = ids.get(c.id)!;
  const evC = await loadEvaluacion(db, c.id);
  const [curricularC, entrevistaC] = [evC.etapas.find((e) => e.tipo === "curricular")!, evC.etapas.find((e) => e.tipo === "entrevista")!];
  const asignar = await momento(services, c.id, "Evaluación curricular");
  for (const etapa of [curricularC, entrevistaC]) {
    await assignEvaluadores({ services: at(services, asignar), actorId: gestor, convocatoriaId: c.id, etapaId: etapa.id, staffIds: [jorge, lucia] });
  }
  for (const [k, evaluador] of [jorge, lucia].entries()) {
    const cuando = await momento(services, c.id, "Evaluación curricular", (4 + 20 * k) * HOUR);
    await calificar(services, cuando, curricularC.id, evaluador, CONCLUIDA.map((p) => [idsC.get(p.dni)!, p.curricular[k]!]), "curricular");
  }
  const publicar = async (when: Date, alcance: { etapaId: string } | "final") =>
    publishResultados({ services: at(services, when), actorId: gestor, convocatoriaId: c.id, alcance, motivo: null });
  await publicar(await momento(services, c.id, "Resultados de la evaluación curricular", 2 * HOUR), { etapaId: curricularC.id });
  for (const [k, evaluador] of [jorge, lucia].entries()) {
    const cuando = await momento(services, c.id, "Entrevista personal", (6 + k) * HOUR);
    await calificar(services, cuando, entrevistaC.id, evaluador, CONCLUIDA.filter((p) => p.entrevista).map((p) => [idsC.get(p.dni)!, p.entrevista![k]!]), "entrevista");
  }
  const final = await momento(services, c.id, "Resultado final");
  await publicar(final, { etapaId: entrevistaC.id });
  for (const p of CONCLUIDA.filter((x) => x.ffaa)) {
    await validateBonificacion({
      services: at(services, new Date(final.getTime() + HOUR)),
      actorId: gestor,
      convocatoriaId: c.id,
      postulacionId: idsC.get(p.dni)!,
      tipo: "ffaa",
      validada: true,
      nivel: null,
      observacion: "Constancia de licenciamiento verificada con el Ejército del Perú.",
    });
  }
  await publicar(new Date(final.getTime() + 2 * HOUR), "final");
  await concludeConvocatoria({
    services: at(services, await momento(services, c.id, "Suscripción del contrato", DAY)),
    actor: { type: "staff", id: gestor },
    id: c.id,
  });

  // ---------------------------------------------------------------- EN EVALUACIÓN
  const e = enEvaluacion;
  const idsE = ids.get(e.id)!;
  const curricularE = (await loadEvaluacion(db, e.id)).etapas.find((x) => x.tipo === "curricular")!;
  await assignEvaluadores({ services: at(services, await momento(services, e.id, "Evaluación curricular")), actorId: gestor, convocatoriaId: e.id, etapaId: curricularE.id, staffIds: [jorge, lucia] });
  for (const [k, evaluador] of [jorge, lucia].entries()) {
    const cuando = await momento(services, e.id, "Evaluación curricular", (5 + 22 * k) * HOUR);
    await calificar(services, cuando, curricularE.id, evaluador, EN_EVALUACION.map((p) => [idsE.get(p.dni)!, p.curricular[k] ?? null]), "curricular");
  }

  // The seeded past queued a constancia per postulación and a result per list and applicant:
  // none of them is sent (docs/demo.md).
  const demoMail = or(like(outbox.causeKey, "postulacion-registrada:%"), like(outbox.causeKey, "resultados:%"));
  await db.delete(outbox).where(and(demoMail, like(outbox.to, "%@cas.demo"), ne(outbox.status, "enviado")));
  ms.evaluacion = Math.round(performance.now() - t);
  return {
    postulaciones: CONCLUIDA.length + EN_EVALUACION.length + ABIERTA.length,
    convocatorias: { abierta: abierta.id, enEvaluacion: e.id, concluida: c.id },
    ms,
  };
}

export const DEMO_PROCESOS = { ABIERTA, EN_EVALUACION, CONCLUIDA };
