import { eq, sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { auditLog, convocatorias } from "~/db/schema";
import { cancelConvocatoria } from "~/features/convocatorias/cancel-convocatoria.server";
import { concludeConvocatoria } from "~/features/convocatorias/conclude-convocatoria.server";
import { convocatoriaSchema, cronogramaInput, documentosInput } from "~/features/convocatorias/convocatoria.schema";
import { createConvocatoria } from "~/features/convocatorias/create-convocatoria.server";
import { deleteConvocatoria } from "~/features/convocatorias/delete-convocatoria.server";
import { tiposParaPostulante } from "~/features/convocatorias/documentos";
import { extendVentana } from "~/features/convocatorias/extend-ventana.server";
import { dateToLima } from "~/shared/lima";
import { listConvocatoriasPublicas } from "~/features/convocatorias/list-convocatorias.server";
import { normalizeSearch } from "~/features/convocatorias/normalize";
import { previewConvocatoriaPublication, publishConvocatoria } from "~/features/convocatorias/publish-convocatoria.server";
import { AppError, type AppErrorCode } from "~/shared/app-error";
import { discardUpload } from "~/web/upload.server";
import { createStaff } from "../support/accounts";
import { basesUpload, convocatoriaFields, makeConvocatoria } from "../support/convocatorias";
import { createTestServices, type TestServices } from "../support/services";

const DAY = 86_400_000;

describe("convocatoria state rules (use cases)", () => {
  let s: TestServices;
  let actor: { type: "staff"; id: string };
  beforeAll(async () => {
    s = await createTestServices();
    actor = { type: "staff", id: (await createStaff(s, "gestor")).id };
  });
  afterAll(async () => {
    await s.close();
  });

  const fail = async (p: Promise<unknown>, code: AppErrorCode) => {
    const error = await p.then(() => null, (e: unknown) => e);
    expect(error).toBeInstanceOf(AppError);
    expect((error as AppError).code).toBe(code);
    return error as AppError;
  };

  async function draft(overrides: Record<string, string> = {}, withBases = false) {
    const fields = convocatoriaFields(s.clock.now(), overrides);
    const form = new FormData();
    for (const [k, v] of Object.entries(fields)) form.append(k, v);
    const bases = withBases ? await basesUpload(s, "b.pdf") : undefined;
    return createConvocatoria({
      services: s,
      actor,
      input: convocatoriaSchema.parse(fields),
      cronograma: cronogramaInput(form),
      documentos: documentosInput(form),
      bases,
    }).finally(() => discardUpload(bases));
  }

  /** "Publicar" as the HR office does it: the preview, then the confirmation with its version. */
  async function publish(id: string) {
    const { version } = await previewConvocatoriaPublication({ services: s, id });
    return publishConvocatoria({ services: s, actor, id, version });
  }

  it("cannot publish without bases", async () => {
    const { id } = await draft();
    const e = await fail(publish(id), "convocatoria.publicar_incompleta");
    expect(e.message).toContain("las bases");
    expect((await s.db.query.convocatorias.findFirst({ where: eq(convocatorias.id, id) }))!.estado).toBe("borrador");
  });

  it("cannot publish without a required document", async () => {
    const overrides = Object.fromEntries(
      ["IDENTIDAD", "FICHA_CURRICULAR", "FORMACION_ACADEMICA", "CURSOS_CAPACITACIONES", "EXPERIENCIA", "LICENCIADO_FFAA",
        "DISCAPACIDAD_CONADIS", "DEPORTISTA_ALTO_NIVEL", "DECLARACIONES_JURADAS"].map((k) => [`doc-${k}`, "opcional"]),
    );
    const { id } = await draft(overrides, true);
    const e = await fail(publish(id), "convocatoria.publicar_incompleta");
    expect(e.message).toContain("documentos");
  });

  it("cannot publish once its window has already ended", async () => {
    const { id } = await draft({}, true);
    s.clock.advance(40 * DAY);
    try {
      const e = await fail(publish(id), "convocatoria.publicar_plazo_terminado");
      expect(e.message).toContain("ya terminó");
    } finally {
      s.clock.advance(-40 * DAY);
    }
  });

  it("previews a borrador as the public will see it, says what stops it, and e-mails nobody", async () => {
    const incomplete = await draft();
    const preview = await previewConvocatoriaPublication({ services: s, id: incomplete.id });
    expect(preview.impedimentos.join(" ")).toContain("las bases (PDF)");
    expect(preview.convocatoria.estado).toBe("publicada");
    expect(preview.convocatoria.publishedAt).toBe(s.clock.now().toISOString());
    expect(preview.correos).toBe(0);
    const complete = await draft({}, true);
    expect((await previewConvocatoriaPublication({ services: s, id: complete.id })).impedimentos).toEqual([]);
  });

  it("refuses a confirmation whose preview is older than the convocatoria's last change (409), and publishes nothing", async () => {
    const { id } = await draft({}, true);
    const { version } = await previewConvocatoriaPublication({ services: s, id });
    await s.db.update(convocatorias).set({ updatedAt: new Date(Date.parse(version) + 1000) }).where(eq(convocatorias.id, id));
    const e = await fail(publishConvocatoria({ services: s, actor, id, version }), "convocatoria.cambio_tras_vista_previa");
    expect(e.status).toBe(409);
    expect((await s.db.query.convocatorias.findFirst({ where: eq(convocatorias.id, id) }))!.estado).toBe("borrador");
    await publish(id);
    expect((await s.db.query.convocatorias.findFirst({ where: eq(convocatorias.id, id) }))!.estado).toBe("publicada");
  });

  it("publishes a complete borrador once, and audits it", async () => {
    const { id } = await draft({}, true);
    await publish(id);
    const e = await fail(publish(id), "convocatoria.publicar_no_borrador");
    expect(e.status).toBe(409);
    const events = await s.db.select().from(auditLog).where(eq(auditLog.entityId, id));
    expect(events.map((x) => x.event)).toEqual(["convocatoria.creada", "convocatoria.publicada"]);
    expect(events[1]!.actorId).toBe(actor.id);
  });

  it("extends a published window only to a later end, with the reason audited", async () => {
    const { id } = await makeConvocatoria(s, actor.id);
    const c = (await s.db.query.convocatorias.findFirst({ where: eq(convocatorias.id, id) }))!;
    const earlier = dateToLima(new Date(c.postulacionFin!.getTime() - DAY));
    const e = await fail(extendVentana({ services: s, actor, id, finFecha: earlier.fecha, finHora: earlier.hora, motivo: "Falla del sistema reportada" }), "convocatoria.ampliar_fecha_no_posterior");
    expect(e.message).toContain("posterior");
    const later = dateToLima(new Date(c.postulacionFin!.getTime() + 30 * 60_000));
    await extendVentana({ services: s, actor, id, finFecha: later.fecha, finHora: later.hora, motivo: "Falla del sistema reportada" });
    const after = (await s.db.query.convocatorias.findFirst({ where: eq(convocatorias.id, id) }))!;
    expect(after.postulacionFin!.getTime()).toBe(c.postulacionFin!.getTime() + 30 * 60_000);
    const etapa = await s.db.query.cronogramaEtapas.findFirst({ where: (t, { and, eq: e2 }) => and(e2(t.convocatoriaId, id), e2(t.esPostulacion, true)) });
    expect(etapa!.fin.getTime()).toBe(after.postulacionFin!.getTime());
    const [log] = await s.db.select().from(auditLog).where(sql`${auditLog.entityId} = ${id} and ${auditLog.event} = 'convocatoria.ventana_ampliada'`);
    expect(log!.details).toMatchObject({ motivo: "Falla del sistema reportada", finAnterior: c.postulacionFin!.toISOString() });
  });

  it("refuses an extension that runs into the next stage", async () => {
    const { id } = await makeConvocatoria(s, actor.id);
    const c = (await s.db.query.convocatorias.findFirst({ where: eq(convocatorias.id, id) }))!;
    const tooLate = dateToLima(new Date(c.postulacionFin!.getTime() + 5 * DAY));
    const e = await fail(extendVentana({ services: s, actor, id, finFecha: tooLate.fecha, finHora: tooLate.hora, motivo: "Ampliación solicitada" }), "convocatoria.ampliar_superpone_etapa");
    expect(e.message).toContain("se superpone");
  });

  it("deletes only a borrador", async () => {
    const { id: published } = await makeConvocatoria(s, actor.id);
    expect((await fail(deleteConvocatoria({ services: s, actor, id: published }), "convocatoria.eliminar_no_borrador")).status).toBe(409);
    const { id } = await draft();
    await deleteConvocatoria({ services: s, actor, id });
    expect(await s.db.query.convocatorias.findFirst({ where: eq(convocatorias.id, id) })).toBeUndefined();
  });

  it("declares desierta only after the window, cancels a published one with its reason, never a borrador", async () => {
    const { id } = await makeConvocatoria(s, actor.id);
    expect((await fail(cancelConvocatoria({ services: s, actor, id, estado: "desierta", motivo: "Nadie aprobó" }), "convocatoria.desierta_plazo_abierto")).status).toBe(409);
    await cancelConvocatoria({ services: s, actor, id, estado: "cancelada", motivo: "Restricción presupuestal" });
    const c = (await s.db.query.convocatorias.findFirst({ where: eq(convocatorias.id, id) }))!;
    expect([c.estado, c.motivo]).toEqual(["cancelada", "Restricción presupuestal"]);
    const { id: borrador } = await draft();
    expect((await fail(cancelConvocatoria({ services: s, actor, id: borrador, estado: "cancelada", motivo: "x".repeat(12) }), "convocatoria.cancelar_no_permitido")).status).toBe(409);
  });

  it("concludes only after the window has closed", async () => {
    const { id } = await makeConvocatoria(s, actor.id);
    expect((await fail(concludeConvocatoria({ services: s, actor, id }), "convocatoria.concluir_plazo_abierto")).status).toBe(409);
    s.clock.advance(12 * DAY);
    try {
      await concludeConvocatoria({ services: s, actor, id });
      await cancelConvocatoria({ services: s, actor, id, estado: "desierta", motivo: "tarde" }).catch(() => {});
      expect((await s.db.query.convocatorias.findFirst({ where: eq(convocatorias.id, id) }))!.estado).toBe("concluida");
    } finally {
      s.clock.advance(-12 * DAY);
    }
  });

  it("derives en postulación / en evaluación from the clock, in SQL", async () => {
    const { id } = await makeConvocatoria(s, actor.id, { overrides: { puesto: "Fase de reloj única" } });
    const find = async (estado: "en_postulacion" | "en_evaluacion") =>
      (await listConvocatoriasPublicas(s.db, s.clock.now(), { q: "reloj unica", estado })).items.map((i) => i.id);
    expect(await find("en_postulacion")).toEqual([id]);
    expect(await find("en_evaluacion")).toEqual([]);
    s.clock.advance(10 * DAY);
    try {
      expect(await find("en_postulacion")).toEqual([]);
      expect(await find("en_evaluacion")).toEqual([id]);
    } finally {
      s.clock.advance(-10 * DAY);
    }
  });

  it("shows a Peruvian the DNI and a foreigner the Carnet de extranjería / otro", () => {
    const fila = (tipo: string, orden: number, identidad: "peruano" | "extranjero" | null) =>
      ({ tipo, requerido: true, nombre: tipo, maxBytes: 5 * 1024 * 1024, orden, identidad });
    // Given out of order: the convocatoria's own order decides.
    const docs = [fila("EXPERIENCIA", 6, null), fila("CARNET_EXTRANJERIA", 2, "extranjero"), fila("DNI", 1, "peruano")];
    expect(tiposParaPostulante(docs, "PE").map((t) => t.code)).toEqual(["DNI", "EXPERIENCIA"]);
    expect(tiposParaPostulante(docs, "VE").map((t) => t.code)).toEqual(["CARNET_EXTRANJERIA", "EXPERIENCIA"]);
  });

  it("normalizes search text: case and accents do not matter", () => {
    expect(normalizeSearch("  Técnico   en ARCHIVO Ñuñoa ")).toBe("tecnico en archivo nunoa");
  });

  it("seeds demo data: 30+ convocatorias in every state and 5+ unidades, 3+ open for 30 days, with real bases and DJ formats", async () => {
    const demo = await createTestServices();
    try {
      const { seedDemoConvocatorias } = await import("~/features/convocatorias/demo.server");
      await seedDemoConvocatorias(demo);
      const now = demo.clock.now();
      const rows = await demo.db.select().from(convocatorias);
      expect(rows.length).toBeGreaterThanOrEqual(30);
      const { faseDe } = await import("~/features/convocatorias/estado");
      const fases = new Set(rows.map((r) => faseDe(r, now)));
      for (const f of ["borrador", "proxima", "en_postulacion", "en_evaluacion", "concluida", "cancelada", "desierta"]) expect(fases).toContain(f);
      expect(new Set(rows.map((r) => r.unidadOrganica)).size).toBeGreaterThanOrEqual(5);
      const open30 = rows.filter((r) => faseDe(r, now) === "en_postulacion" && r.postulacionFin!.getTime() - now.getTime() >= 30 * DAY - 60_000);
      expect(open30.length).toBeGreaterThanOrEqual(3);
      const { PDFDocument } = await import("pdf-lib");
      const pdf = await PDFDocument.load(await demo.storage.getBuffer(rows[0]!.basesKey!));
      expect(pdf.getPageCount()).toBeGreaterThanOrEqual(1);
      const formatos = await demo.db.query.declaracionesJuradasFormatos.findMany();
      expect(formatos.map((f) => f.titulo)).toContain("Formato N.° 1 – Declaración jurada de datos personales");
    } finally {
      await demo.close();
    }
  });
});
