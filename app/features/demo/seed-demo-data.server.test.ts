import { createHash } from "node:crypto";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { and, eq, inArray, like, sql } from "drizzle-orm";
import { PDFDocument } from "pdf-lib";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  bonificaciones, convocatorias, documentos, etapaEvaluadores, evaluacionEtapas, outbox, postulaciones, postulantes, publicaciones, puntajes, staff,
} from "~/db/schema";
import { DEMO_POSTULANTE_PASSWORD, DEMO_POSTULANTES_PROCESOS } from "~/features/accounts/demo.server";
import { passwordProblem } from "~/features/accounts/password-policy.server";
import { ventanaAbierta } from "~/features/convocatorias/estado";
import { estadoEvaluacion, getResultadosPublicados } from "~/features/evaluacion/resultados-publicados.server";
import { buildFicha } from "~/features/postulacion/build-ficha.server";
import { listEvidencias } from "~/features/postulacion/evidencias.server";
import { uploadDocumento } from "~/features/postulacion/upload-documento.server";
import { listMisPostulaciones } from "~/features/postulacion/list-mis-postulaciones.server";
import { isDistrito } from "~/features/ubigeo/ubigeo.server";
import { createPostulante } from "../../../tests/support/accounts";
import { documentosDe } from "../../../tests/support/postulacion";
import { createTestServices, type TestServices } from "../../../tests/support/services";
import { seedDemoProcesos } from "./procesos.server";
import { seedDemoData } from "./seed-demo-data.server";

/**
 * DEMO_DATA=1 fills the HR office's screens and the public results (docs/demo.md): three
 * processes (open, en evaluación, concluida with published results) made through the use
 * cases, while María and Carlos, whom the end-to-end tests use to postulate, have none.
 */
describe("demo data: the selection processes", () => {
  let s: TestServices;
  let ms: Record<string, number> | null = null;
  beforeAll(async () => {
    s = await createTestServices();
    ms = await seedDemoData(s);
  }, 180_000);
  afterAll(async () => {
    await s?.close();
  });

  const byDni = async (dni: string) => (await s.db.query.postulantes.findFirst({ where: eq(postulantes.numeroDocumento, dni) }))!;
  const postulacionesDe = (convocatoriaId: string) => s.db.select().from(postulaciones).where(eq(postulaciones.convocatoriaId, convocatoriaId));
  const codigoDe = async (id: string) => (await s.db.query.convocatorias.findFirst({ where: eq(convocatorias.id, id) }))!;

  /** The three convocatorias with postulaciones, told apart by what happened to them. */
  async function procesos() {
    const rows = await s.db
      .select({ id: postulaciones.convocatoriaId, n: sql<number>`count(*)::int` })
      .from(postulaciones)
      .groupBy(postulaciones.convocatoriaId);
    const conv = await Promise.all(rows.map((r) => codigoDe(r.id)));
    const now = s.clock.now();
    return {
      count: rows.length,
      abierta: conv.find((c) => ventanaAbierta(c, now))!,
      concluida: conv.find((c) => c.estado === "concluida")!,
      enEvaluacion: conv.find((c) => c.estado === "publicada" && !ventanaAbierta(c, now))!,
    };
  }

  it("seeds twelve more postulantes with DNI, verified e-mails @cas.demo, valid districts and the documented password", async () => {
    expect(Object.keys(ms ?? {})).toEqual(expect.arrayContaining(["cuentas", "convocatorias", "procesos"]));
    expect(await s.db.select().from(postulantes)).toHaveLength(2 + DEMO_POSTULANTES_PROCESOS.length);
    expect(DEMO_POSTULANTES_PROCESOS.length).toBeGreaterThanOrEqual(10);
    for (const d of DEMO_POSTULANTES_PROCESOS) {
      const p = await byDni(d.numeroDocumento);
      expect(p).toMatchObject({ tipoDocumento: "DNI", nacionalidad: "PE" });
      expect(p.numeroDocumento).toMatch(/^\d{8}$/);
      expect(p.email).toMatch(/@cas\.demo$/);
      expect(p.emailVerifiedAt).not.toBeNull();
      expect(isDistrito(p.ubigeo!)).toBe(true);
      expect(passwordProblem(DEMO_POSTULANTE_PASSWORD, p)).toBeNull();
    }
    // One shared hash for the process applicants: check it once.
    expect(await s.hasher.verify((await byDni("42698130")).passwordHash, DEMO_POSTULANTE_PASSWORD)).toBe(true);
    // Each of them has at least one postulación ("Mis postulaciones" is never empty for them).
    const conPostulacion = await s.db.selectDistinct({ id: postulaciones.postulanteId }).from(postulaciones);
    expect(conPostulacion).toHaveLength(DEMO_POSTULANTES_PROCESOS.length);
  });

  it("leaves María and Carlos without any postulación (the end-to-end tests postulate with them)", async () => {
    for (const dni of ["45871236", "001234567"]) {
      const p = await byDni(dni);
      expect(await s.db.select().from(postulaciones).where(eq(postulaciones.postulanteId, p.id))).toEqual([]);
    }
  });

  it("an open convocatoria: four registradas and one draft; real documents, numbers and constancias; the ficha builds from them", async () => {
    const { count, abierta } = await procesos();
    expect(count).toBe(3);
    const rows = await postulacionesDe(abierta.id);
    expect(rows.filter((r) => r.estado === "registrada")).toHaveLength(4);
    const [draft] = rows.filter((r) => r.estado === "en_registro");
    expect(draft).toBeDefined();
    expect(draft!.numero).toBeNull();
    const draftDocs = await s.db.select().from(documentos).where(eq(documentos.postulacionId, draft!.id));
    expect(draftDocs.length).toBeGreaterThan(0);
    expect(draftDocs.some((d) => d.confirmadoAt == null)).toBe(true);

    const registradas = await s.db.select().from(postulaciones).where(eq(postulaciones.estado, "registrada"));
    expect(registradas).toHaveLength(14);
    for (const p of registradas) {
      expect(p.numero).toMatch(/^\d{4}-\d{6}$/);
      expect(p.finalizadaAt!.getTime()).toBeLessThan(s.clock.now().getTime());
      const c = await codigoDe(p.convocatoriaId);
      // Finalized inside the window, by the server's clock.
      expect(p.finalizadaAt! >= c.postulacionInicio! && p.finalizadaAt! < c.postulacionFin!).toBe(true);
      expect(await s.storage.getBuffer(p.constanciaKey!)).toBeInstanceOf(Buffer);
      const docs = await documentosDe(s.db, p.id);
      expect(docs.length).toBeGreaterThanOrEqual(5);
      for (const d of docs) {
        expect(d.confirmadoAt).not.toBeNull();
        const bytes = await s.storage.getBuffer(d.originalKey);
        expect(bytes.length).toBe(d.size);
        expect(createHash("sha256").update(bytes).digest("hex")).toBe(d.sha256);
        expect((await PDFDocument.load(bytes)).getPageCount()).toBe(d.pages);
      }
    }
    // Each registered one points the perfil's requirements to its Ficha Curricular's first page (issue 17).
    const evidencias = await listEvidencias(s.db, registradas.map((p) => p.id));
    expect(new Set(evidencias.map((v) => v.postulacionId)).size).toBe(registradas.length);
    expect(evidencias.every((v) => v.tipo === "FICHA_CURRICULAR" && v.paginas === "1")).toBe(true);
    // The ficha, built when first opened: a cover and every document's pages.
    const [una] = registradas;
    const ficha = await buildFicha({ services: s, postulacionId: una!.id, actorId: una!.postulanteId });
    const paginas = (await documentosDe(s.db, una!.id)).reduce((n, d) => n + d.pages, 0);
    expect(ficha.pages).toBeGreaterThan(paginas);
    expect((await PDFDocument.load(await s.storage.getBuffer(ficha.key))).getPageCount()).toBe(ficha.pages);
    // The numbers follow the finalization times.
    const ordered = [...registradas].sort((a, b) => a.finalizadaAt!.getTime() - b.finalizadaAt!.getTime()).map((p) => p.numero);
    expect(ordered).toEqual([...ordered].sort());
  });

  it("a convocatoria en evaluación: both evaluadores assigned to the evaluación curricular, some scores, nothing closed or published", async () => {
    const { enEvaluacion } = await procesos();
    expect(await postulacionesDe(enEvaluacion.id)).toHaveLength(5);
    const etapas = await s.db.select().from(evaluacionEtapas).where(eq(evaluacionEtapas.convocatoriaId, enEvaluacion.id));
    expect(etapas.map((e) => e.estado)).toEqual(["abierta", "abierta"]);
    const curricular = etapas.find((e) => e.tipo === "curricular")!;
    const asignados = await s.db
      .select({ email: staff.email })
      .from(etapaEvaluadores)
      .innerJoin(staff, eq(staff.id, etapaEvaluadores.staffId))
      .where(eq(etapaEvaluadores.etapaId, curricular.id));
    expect(asignados.map((a) => a.email).sort()).toEqual(["evaluador@cas.demo", "evaluadora2@cas.demo"]);
    const scores = await s.db.select().from(puntajes).where(eq(puntajes.etapaId, curricular.id));
    expect(scores.length).toBeGreaterThan(0);
    expect(scores.length).toBeLessThan(10); // not every postulación has both scores yet
    expect(await s.db.select().from(publicaciones).where(eq(publicaciones.convocatoriaId, enEvaluacion.id))).toEqual([]);
  });

  it("a concluida convocatoria: every stage scored and published, one bonificación validated, the final list public (GANADOR, ACCESITARIO, NO APTO) with its PDF, and each applicant's state in Mis postulaciones", async () => {
    const { concluida } = await procesos();
    expect(concluida.estado).toBe("concluida");
    const rows = await postulacionesDe(concluida.id);
    expect(rows).toHaveLength(5);
    const etapas = await s.db.select().from(evaluacionEtapas).where(eq(evaluacionEtapas.convocatoriaId, concluida.id));
    expect(etapas.map((e) => e.estado)).toEqual(["publicada", "publicada"]);
    const bonos = await s.db.select().from(bonificaciones).where(inArray(bonificaciones.postulacionId, rows.map((r) => r.id)));
    expect(bonos).toMatchObject([{ tipo: "ffaa", validada: true }]);

    const listas = await getResultadosPublicados(s.db, concluida.id);
    expect(listas.map((l) => l.titulo)).toEqual(expect.arrayContaining(["Resultado final", "Resultados de Evaluación curricular", "Resultados de Entrevista personal"]));
    const final = listas.find((l) => l.titulo === "Resultado final")!;
    expect(final.filas.map((f) => [f.identificacion, f.puntaje, f.resultado])).toEqual([
      ["Ccori Huallpa, José Luis", 9130, "GANADOR"],
      ["Gutiérrez Rojas, Ana Cecilia", 8600, "ACCESITARIO"],
      ["Espinoza Mendoza, Percy Raúl", 7450, "ACCESITARIO"],
      ["Chávez Ramos, Luis Alberto", null, "NO APTO"],
      ["Huamaní Quispe, Wilmer", null, "NO APTO"],
    ]);
    const [pub] = await s.db.select().from(publicaciones).where(and(eq(publicaciones.convocatoriaId, concluida.id), eq(publicaciones.alcance, "final")));
    const pdf = await s.storage.getBuffer(pub!.pdfKey!);
    expect(pdf.subarray(0, 5).toString("latin1")).toBe("%PDF-");
    expect(createHash("sha256").update(pdf).digest("hex")).toBe(pub!.pdfSha256);
    // Published, then concluded, all in the past of the seeding.
    expect(pub!.publishedAt.getTime()).toBeLessThan(concluida.closedAt!.getTime());
    expect(concluida.closedAt!.getTime()).toBeLessThan(s.clock.now().getTime());

    // "Mis postulaciones": Ana Cecilia Gutiérrez applied to the concluida (ACCESITARIO) and to the open one.
    const ana = await byDni("71348902");
    const mias = await listMisPostulaciones(s.db, ana.id, s.clock.now());
    expect(mias).toHaveLength(2);
    const estados = await estadoEvaluacion(s.db, mias.map((m) => m.id));
    expect(Object.values(estados)).toMatchObject([{ titulo: "Resultado final", resultado: "ACCESITARIO", puntaje: 8600 }]);
  });

  it("leaves no e-mail queued for the seeded past", async () => {
    expect(await s.db.select().from(outbox).where(like(outbox.to, "%@cas.demo"))).toEqual([]);
  });

  it("seeds nothing on a database that is not empty", async () => {
    const before = (await s.db.select().from(postulaciones)).length;
    await seedDemoData(s);
    expect(await s.db.select().from(postulaciones)).toHaveLength(before);
    expect(await s.db.select().from(postulantes)).toHaveLength(2 + DEMO_POSTULANTES_PROCESOS.length);
  });

  // Last: it adds an applicant of its own.
  it("records each document as the upload use case records the same file (size, SHA-256, pages)", async () => {
    const { abierta } = await procesos();
    const [registrada] = (await postulacionesDe(abierta.id)).filter((p) => p.estado === "registrada");
    const seeded = await documentosDe(s.db, registrada!.id);
    const otra = await createPostulante(s, { numeroDocumento: "10293847", email: "otra.postulante@correo.test" });
    const dir = await mkdtemp(path.join(tmpdir(), "demo-doc-"));
    try {
      for (const d of seeded.filter((x) => ["DNI", "FICHA_CURRICULAR"].includes(x.tipo))) {
        const file = path.join(dir, `${d.tipo}.pdf`);
        await writeFile(file, await s.storage.getBuffer(d.originalKey));
        const r = await uploadDocumento({ services: s, postulanteId: otra.id, convocatoriaId: abierta.id, tipo: d.tipo, file: { path: file, filename: d.filename, size: d.size } });
        const row = (await documentosDe(s.db, r.postulacionId)).find((x) => x.id === r.documentoId);
        expect({ size: row!.size, sha256: row!.sha256, pages: row!.pages }).toEqual({ size: d.size, sha256: d.sha256, pages: d.pages });
      }
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});

describe("demo processes without the demo convocatorias", () => {
  it("skip quietly", async () => {
    const s = await createTestServices();
    try {
      expect(await seedDemoProcesos(s)).toBeNull();
      expect(await s.db.select().from(postulaciones)).toEqual([]);
    } finally {
      await s.close();
    }
  });
});
