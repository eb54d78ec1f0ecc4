import { and, asc, eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { auditLog, convocatoriaDocumentos } from "~/db/schema";
import { cronogramaInput, convocatoriaSchema, documentosInput } from "~/features/convocatorias/convocatoria.schema";
import { filasDelFormulario, listTiposDocumento } from "~/features/convocatorias/convocatoria-datos.server";
import { getConvocatoria } from "~/features/convocatorias/get-convocatoria.server";
import { updateConvocatoria } from "~/features/convocatorias/update-convocatoria.server";
import { MB } from "~/features/convocatorias/documentos";
import { createPostulante, createStaff } from "../../../tests/support/accounts";
import { makeConvocatoria } from "../../../tests/support/convocatorias";
import { expectRefusal } from "../../../tests/support/errors";
import { createTestServices, type TestServices } from "../../../tests/support/services";
import { loadConvocatoriaParaPostulante } from "~/features/postulacion/ventana.server";
import { tipoDocumentoSchema } from "./tipo-documento.schema";
import {
  codigoDe, createTipoDocumento, getTipoDocumento, moveTipoDocumento, setTipoDocumentoActivo, updateTipoDocumento,
} from "./tipos-documento.server";

describe("the catalogue of document types", () => {
  let s: TestServices;
  let actor: { type: "staff"; id: string };
  const input = (nombre: string, tamanoMb: number, obligatorio = false) => ({ nombre, tamanoMb, obligatorio });
  const eventos = async (codigo: string) =>
    (
      await s.db
        .select({ event: auditLog.event, actorId: auditLog.actorId, details: auditLog.details })
        .from(auditLog)
        .where(and(eq(auditLog.entityType, "tipo_documento"), eq(auditLog.entityId, codigo)))
        .orderBy(asc(auditLog.at))
    );
  beforeAll(async () => {
    s = await createTestServices();
    actor = { type: "staff", id: (await createStaff(s, "administrador")).id };
  });
  afterAll(async () => s?.close());

  it("starts as the seed's manual lists it, word for word and in its order", async () => {
    const tipos = await listTiposDocumento(s.db);
    expect(tipos.map((t) => [t.codigo, t.nombre, t.maxBytes / MB, t.requeridoPorDefecto])).toEqual([
      ["DNI", "DNI", 5, true],
      ["CARNET_EXTRANJERIA", "Carnet de extranjería / otro", 5, true],
      ["FICHA_CURRICULAR", "Ficha Curricular", 5, true],
      ["FORMACION_ACADEMICA", "Sustentos de formación académica", 10, true],
      ["CURSOS_CAPACITACIONES", "Sustentos de cursos y capacitaciones", 10, false],
      ["EXPERIENCIA", "Sustentos de experiencia", 10, true],
      ["LICENCIADO_FFAA", "Sustento de Personal licenciado(a) de las Fuerzas Armadas", 5, false],
      ["DISCAPACIDAD_CONADIS", "Sustento de Persona con Discapacidad (CONADIS)", 5, false],
      ["DEPORTISTA_ALTO_NIVEL", "Sustento de Deportista Calificado de Alto Nivel", 5, false],
      ["DECLARACIONES_JURADAS", "Declaraciones Juradas", 5, true],
    ]);
    expect(tipos.filter((t) => t.identidad).map((t) => [t.codigo, t.identidad])).toEqual([["DNI", "peruano"], ["CARNET_EXTRANJERIA", "extranjero"]]);
    expect(tipos.filter((t) => t.bonificacion).map((t) => t.codigo)).toEqual(["LICENCIADO_FFAA", "DISCAPACIDAD_CONADIS", "DEPORTISTA_ALTO_NIVEL"]);
    // The new convocatoria's form: the identity pair one row, named as before.
    const filas = await filasDelFormulario(s.db);
    expect(filas[0]).toMatchObject({
      key: "IDENTIDAD",
      label: "Documento de identidad (DNI para peruanos; Carnet de extranjería / otro para extranjeros)",
      codes: ["DNI", "CARNET_EXTRANJERIA"],
      defaultExigencia: "obligatorio",
    });
  });

  it("refuses a size limit outside 1–20 MB and a name too short, in the form and in the use case", async () => {
    const form = (fields: Record<string, string>) => {
      const fd = new FormData();
      for (const [k, v] of Object.entries(fields)) fd.append(k, v);
      return tipoDocumentoSchema.safeParse(Object.fromEntries(fd));
    };
    expect(form({ nombre: "Sustento de colegiatura", tamanoMb: "21" }).success).toBe(false);
    expect(form({ nombre: "Sustento de colegiatura", tamanoMb: "0" }).success).toBe(false);
    expect(form({ nombre: "Sustento de colegiatura", tamanoMb: "2.5" }).success).toBe(false);
    expect(form({ nombre: "Sustento de colegiatura", tamanoMb: "20", obligatorio: "on" }).data).toEqual({ nombre: "Sustento de colegiatura", tamanoMb: 20, obligatorio: true });
    await expectRefusal(updateTipoDocumento({ services: s, actor, codigo: "FICHA_CURRICULAR", input: input("Ficha Curricular", 21) }), "tipo_documento.datos_invalidos", 422, /de 1 a 20/);
    await expectRefusal(createTipoDocumento({ services: s, actor, input: input("Constancia", 0) }), "tipo_documento.datos_invalidos", 422, /de 1 a 20/);
    await expectRefusal(createTipoDocumento({ services: s, actor, input: input("  ab ", 5) }), "tipo_documento.datos_invalidos", 422, /nombre/);
    expect((await getTipoDocumento(s.db, "FICHA_CURRICULAR")).maxBytes).toBe(5 * MB);
    expect(await eventos("FICHA_CURRICULAR")).toEqual([]);
  });

  it("adds a type at the end with a code made from its name, audited; a repeated name is refused", async () => {
    const { codigo } = await createTipoDocumento({ services: s, actor, input: input("Sustento de colegiatura", 2, true) });
    expect(codigo).toBe("SUSTENTO_DE_COLEGIATURA");
    const tipos = await listTiposDocumento(s.db);
    expect(tipos.at(-1)).toMatchObject({ codigo, nombre: "Sustento de colegiatura", maxBytes: 2 * MB, requeridoPorDefecto: true, activo: true, identidad: null, bonificacion: false, orden: 11 });
    expect(await eventos(codigo)).toEqual([
      { event: "tipo_documento.creado", actorId: actor.id, details: { codigo, nombre: "Sustento de colegiatura", maxBytes: 2 * MB, requeridoPorDefecto: true } },
    ]);
    await expectRefusal(createTipoDocumento({ services: s, actor, input: input("SUSTENTO DE COLEGIATURA", 5) }), "tipo_documento.nombre_repetido", 409, /Ya existe/);
    await expectRefusal(updateTipoDocumento({ services: s, actor, codigo: "EXPERIENCIA", input: input("Sustento de colegiatura", 5) }), "tipo_documento.nombre_repetido", 409, /Ya existe/);
    expect(codigoDe("Título de Técnico — colegiatura 2°")).toBe("TITULO_DE_TECNICO_COLEGIATURA_2");
  });

  it("renames a type and changes its limit and default, audited with before and after; the domain's traits stay fixed", async () => {
    await updateTipoDocumento({ services: s, actor, codigo: "CURSOS_CAPACITACIONES", input: input("Sustentos de cursos", 8, true) });
    expect(await getTipoDocumento(s.db, "CURSOS_CAPACITACIONES")).toMatchObject({ nombre: "Sustentos de cursos", maxBytes: 8 * MB, requeridoPorDefecto: true });
    expect((await eventos("CURSOS_CAPACITACIONES")).at(-1)).toEqual({
      event: "tipo_documento.actualizado",
      actorId: actor.id,
      details: {
        codigo: "CURSOS_CAPACITACIONES",
        campos: ["nombre", "maxBytes", "requeridoPorDefecto"],
        antes: { nombre: "Sustentos de cursos y capacitaciones", maxBytes: 10 * MB, requeridoPorDefecto: false },
        despues: { nombre: "Sustentos de cursos", maxBytes: 8 * MB, requeridoPorDefecto: true },
      },
    });
    // Fixed: the identity pair is obligatorio by default, a bonificación's sustento never is.
    await updateTipoDocumento({ services: s, actor, codigo: "DNI", input: input("DNI", 4, false) });
    await updateTipoDocumento({ services: s, actor, codigo: "LICENCIADO_FFAA", input: input("Sustento de Personal licenciado(a) de las Fuerzas Armadas", 5, true) });
    expect(await getTipoDocumento(s.db, "DNI")).toMatchObject({ requeridoPorDefecto: true, maxBytes: 4 * MB, identidad: "peruano" });
    expect(await getTipoDocumento(s.db, "LICENCIADO_FFAA")).toMatchObject({ requeridoPorDefecto: false, bonificacion: true });
    expect(await eventos("LICENCIADO_FFAA")).toEqual([]);
    await updateTipoDocumento({ services: s, actor, codigo: "DNI", input: input("DNI", 5, true) });
  });

  it("moves a type up and down, the identity pair as one row; audited", async () => {
    const orden = async () => (await listTiposDocumento(s.db)).map((t) => t.codigo);
    await moveTipoDocumento({ services: s, actor, codigo: "FICHA_CURRICULAR", direccion: "subir" });
    expect((await orden()).slice(0, 4)).toEqual(["FICHA_CURRICULAR", "DNI", "CARNET_EXTRANJERIA", "FORMACION_ACADEMICA"]);
    await moveTipoDocumento({ services: s, actor, codigo: "CARNET_EXTRANJERIA", direccion: "subir" });
    expect((await orden()).slice(0, 4)).toEqual(["DNI", "CARNET_EXTRANJERIA", "FICHA_CURRICULAR", "FORMACION_ACADEMICA"]);
    await moveTipoDocumento({ services: s, actor, codigo: "DNI", direccion: "subir" }); // already first: nothing
    expect((await listTiposDocumento(s.db)).map((t) => t.orden)).toEqual([...(await orden()).keys()].map((k) => k + 1));
    expect((await eventos("FICHA_CURRICULAR")).map((e) => e.details)).toEqual([{ codigo: "FICHA_CURRICULAR", direccion: "subir" }]);
    expect((await eventos("CARNET_EXTRANJERIA")).map((e) => e.event)).toEqual(["tipo_documento.reordenado"]);
    expect(await eventos("DNI")).toHaveLength(2); // the two saves above; the no-op move wrote nothing
    await expectRefusal(moveTipoDocumento({ services: s, actor, codigo: "NO_EXISTE", direccion: "bajar" }), "tipo_documento.no_encontrado", 404, /no existe/);
  });

  it("retires a type (no longer offered to new convocatorias) and takes it back; identity and bonificación types stay", async () => {
    await setTipoDocumentoActivo({ services: s, actor, codigo: "SUSTENTO_DE_COLEGIATURA", activo: false });
    expect((await filasDelFormulario(s.db)).map((f) => f.key)).not.toContain("SUSTENTO_DE_COLEGIATURA");
    await setTipoDocumentoActivo({ services: s, actor, codigo: "SUSTENTO_DE_COLEGIATURA", activo: true });
    expect((await filasDelFormulario(s.db)).map((f) => f.key)).toContain("SUSTENTO_DE_COLEGIATURA");
    expect((await eventos("SUSTENTO_DE_COLEGIATURA")).map((e) => e.event)).toEqual(["tipo_documento.creado", "tipo_documento.retirado", "tipo_documento.reactivado"]);
    await expectRefusal(setTipoDocumentoActivo({ services: s, actor, codigo: "CARNET_EXTRANJERIA", activo: false }), "tipo_documento.no_retirable", 409, /identidad/);
    await expectRefusal(setTipoDocumentoActivo({ services: s, actor, codigo: "DISCAPACIDAD_CONADIS", activo: false }), "tipo_documento.no_retirable", 409, /bonificación/);
    expect((await getTipoDocumento(s.db, "DISCAPACIDAD_CONADIS")).activo).toBe(true);
  });

  it("a published convocatoria keeps the name, limit and order it picked; a borrador and a new one take the catalogue's", async () => {
    const { id: publicada, fields } = await makeConvocatoria(s, actor.id);
    const { id: borrador, fields: fieldsBorrador } = await makeConvocatoria(s, actor.id, { publish: false });
    const postulante = await createPostulante(s);
    const antes = await loadConvocatoriaParaPostulante(s.db, publicada, postulante.id);
    expect(antes.tipos.find((t) => t.code === "EXPERIENCIA")).toMatchObject({ label: "Sustentos de experiencia", maxBytes: 10 * MB });

    await updateTipoDocumento({ services: s, actor, codigo: "EXPERIENCIA", input: input("Sustentos de experiencia laboral", 3, true) });
    await moveTipoDocumento({ services: s, actor, codigo: "EXPERIENCIA", direccion: "subir" });
    await setTipoDocumentoActivo({ services: s, actor, codigo: "CURSOS_CAPACITACIONES", activo: false });

    // The published call: what the applicant sees and the limit that applies are unchanged…
    const despues = await loadConvocatoriaParaPostulante(s.db, publicada, postulante.id);
    expect(despues.tipos).toEqual(antes.tipos);
    // …also after the gestor saves it again (the retired type it asks for is still offered and kept).
    const save = async (id: string, f: Record<string, string>) => {
      const form = new FormData();
      for (const [k, v] of Object.entries(f)) form.append(k, v);
      await updateConvocatoria({ services: s, actor, id, input: convocatoriaSchema.parse(f), cronograma: cronogramaInput(form), documentos: documentosInput(form) });
    };
    await save(publicada, fields);
    expect((await loadConvocatoriaParaPostulante(s.db, publicada, postulante.id)).tipos).toEqual(antes.tipos);
    const detalle = (await getConvocatoria(s.db, publicada, s.clock.now()))!;
    expect(detalle.documentos.find((d) => d.tipo === "EXPERIENCIA")).toMatchObject({ nombre: "Sustentos de experiencia", maxBytes: 10 * MB });
    expect((await filasDelFormulario(s.db, detalle)).find((f) => f.key === "EXPERIENCIA")?.label).toBe("Sustentos de experiencia");
    expect((await filasDelFormulario(s.db, detalle)).map((f) => f.key)).toContain("CURSOS_CAPACITACIONES");

    // The borrador takes the catalogue as it is when saved; a retired type it already asks for stays until the gestor drops it.
    await save(borrador, fieldsBorrador);
    const rows = await s.db.select().from(convocatoriaDocumentos).where(eq(convocatoriaDocumentos.convocatoriaId, borrador));
    expect(rows.find((r) => r.tipo === "EXPERIENCIA")).toMatchObject({ nombre: "Sustentos de experiencia laboral", maxBytes: 3 * MB });
    expect(rows.find((r) => r.tipo === "CURSOS_CAPACITACIONES")).toMatchObject({ nombre: "Sustentos de cursos", maxBytes: 8 * MB });

    // A new convocatoria's form: the active types in the catalogue's order, with the new name.
    const filas = await filasDelFormulario(s.db);
    expect(filas.map((f) => f.label).slice(0, 4)).toEqual([
      "Documento de identidad (DNI para peruanos; Carnet de extranjería / otro para extranjeros)",
      "Ficha Curricular",
      "Sustentos de formación académica",
      "Sustentos de experiencia laboral",
    ]);
    expect(filas.map((f) => f.key)).not.toContain("CURSOS_CAPACITACIONES");
  });
});
