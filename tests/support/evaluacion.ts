import { execFile } from "node:child_process";
import { createHash } from "node:crypto";
import { asc, eq, inArray } from "drizzle-orm";
import { createWriteStream } from "node:fs";
import path from "node:path";
import { Readable } from "node:stream";
import { pipeline } from "node:stream/promises";
import { promisify } from "node:util";
import { PDFDocument, StandardFonts } from "pdf-lib";
import { convocatoriaDocumentos, convocatorias, etapaEvaluadores, evaluacionEtapas, postulaciones, postulantes, tiposDocumento } from "~/db/schema";
import { ensureEvaluacion } from "~/features/evaluacion/load-evaluacion.server";
import { recordPuntaje } from "~/features/evaluacion/record-puntaje.server";
import type { Services } from "~/platform/services.server";
import { newStorageKey } from "~/platform/storage.server";
import type { TestClient } from "./http";
import { insertDocumentos } from "./postulacion";

/**
 * Finalized postulaciones made straight in the database (no uploads), for the evaluation
 * tests: a published convocatoria, applicants, their postulaciones as "registrada" with a
 * number, and optionally documents (a small real PDF in storage) such as the bonus sustentos.
 */
let seq = 0;

export async function tinyPdf(text = "Documento de prueba"): Promise<Uint8Array> {
  const doc = await PDFDocument.create();
  const font = await doc.embedFont(StandardFonts.Helvetica);
  doc.addPage([300, 200]).drawText(text, { x: 20, y: 100, size: 12, font });
  return doc.save();
}

export async function createConvocatoria(
  services: Pick<Services, "db" | "clock">,
  overrides: Partial<typeof convocatorias.$inferInsert> = {},
) {
  const n = ++seq + Math.floor(Math.random() * 1e6);
  const now = services.clock.now();
  const [row] = await services.db
    .insert(convocatorias)
    .values({
      codigo: `CAS N° ${String(n).padStart(3, "0")}-2026-PRUEBA`,
      puesto: "Especialista en Recursos Humanos",
      unidadOrganica: "Oficina de Recursos Humanos",
      vacantes: 1,
      remuneracion: "4500.00",
      tipoContrato: "indeterminado",
      sede: "Sede Central",
      ubigeo: "150101",
      estado: "publicada",
      publishedAt: new Date(now.getTime() - 20 * 86_400_000),
      postulacionInicio: new Date(now.getTime() - 15 * 86_400_000),
      postulacionFin: new Date(now.getTime() - 5 * 86_400_000),
      ...overrides,
    })
    .returning();
  return row!;
}

export type PostulacionFixture = { id: string; numero: string; postulanteId: string; email: string; numeroDocumento: string; nombres: string; apellidoPaterno: string };

/** `count` finalized postulaciones (and one draft, which is only counted). Documents: tipo codes to attach to every one. */
export async function createPostulaciones(
  services: Pick<Services, "db" | "clock" | "storage">,
  convocatoriaId: string,
  count: number,
  options: { documentos?: string[]; borradores?: number; passwordHash?: string } = {},
): Promise<PostulacionFixture[]> {
  const now = services.clock.now();
  const out: PostulacionFixture[] = [];
  const pdf = options.documentos?.length ? await tinyPdf() : null;
  const stored = pdf ? await services.storage.put(newStorageKey("pruebas/documentos"), pdf) : null;
  // The convocatoria asks for the types its postulaciones carry, as the catalogue names them
  // (what a convocatoria saved by the HR office keeps in convocatoria_documentos).
  if (options.documentos?.length) {
    const tipos = await services.db.select().from(tiposDocumento).where(inArray(tiposDocumento.codigo, options.documentos));
    await services.db
      .insert(convocatoriaDocumentos)
      .values(tipos.map((t) => ({ convocatoriaId, tipo: t.codigo, requerido: !t.bonificacion, nombre: t.nombre, maxBytes: t.maxBytes, orden: t.orden })))
      .onConflictDoNothing();
  }
  const apellidos = ["Quispe", "Mamani", "Flores", "Rojas", "García", "Huamán", "Torres", "Vargas", "Ñahui", "Castillo"];
  for (let i = 0; i < count + (options.borradores ?? 0); i++) {
    const n = ++seq * 1000 + Math.floor(Math.random() * 1000);
    const borrador = i >= count;
    const [p] = await services.db
      .insert(postulantes)
      .values({
        nacionalidad: "PE",
        tipoDocumento: "DNI",
        numeroDocumento: String(10_000_000 + n).slice(-8),
        nombres: `Nombre${i + 1}`,
        apellidoPaterno: apellidos[i % apellidos.length]!,
        apellidoMaterno: "Prueba",
        fechaNacimiento: "1990-01-01",
        sexo: i % 2 ? "M" : "F",
        email: `eval${n}@correo.test`,
        emailVerifiedAt: now,
        celular: "987654321",
        direccion: "Jr. Prueba 123",
        ubigeo: "150101",
        passwordHash: options.passwordHash ?? "x",
        consentVersion: "2026-11-26",
        consentAt: now,
      })
      .returning();
    const numero = `2026-${String(n).padStart(6, "0")}`;
    const [post] = await services.db
      .insert(postulaciones)
      .values({
        convocatoriaId,
        postulanteId: p!.id,
        estado: borrador ? "en_registro" : "registrada",
        numero: borrador ? null : numero,
        finalizadaAt: borrador ? null : now,
        declaracionAt: borrador ? null : now,
      })
      .returning();
    if (stored && !borrador) {
      await insertDocumentos(services.db, { postulanteId: p!.id, postulacionId: post!.id, tipos: options.documentos!, stored, now, confirmado: true });
    }
    if (!borrador)
      out.push({ id: post!.id, numero, postulanteId: p!.id, email: p!.email, numeroDocumento: p!.numeroDocumento, nombres: p!.nombres, apellidoPaterno: p!.apellidoPaterno });
  }
  return out;
}

export async function assignDirect(services: Pick<Services, "db">, etapaId: string, staffIds: string[]) {
  await services.db.insert(etapaEvaluadores).values(staffIds.map((staffId) => ({ etapaId, staffId })));
}

export const sha256 = (b: Uint8Array) => createHash("sha256").update(b).digest("hex");

/**
 * A convocatoria ready to evaluate: `count` registered postulaciones (and one draft, unless
 * `borradores` says otherwise) and its default stages, curricular then entrevista.
 */
export async function setupEvaluacion(
  services: Pick<Services, "db" | "clock" | "storage">,
  count: number,
  options: { vacantes?: number; documentos?: string[]; borradores?: number; convocatoria?: Partial<typeof convocatorias.$inferInsert> } = {},
) {
  const conv = await createConvocatoria(services, { vacantes: options.vacantes ?? 1, ...options.convocatoria });
  const ps = await createPostulaciones(services, conv.id, count, { documentos: options.documentos, borradores: options.borradores ?? 1 });
  await ensureEvaluacion(services.db, conv.id);
  const etapas = await services.db.select().from(evaluacionEtapas).where(eq(evaluacionEtapas.convocatoriaId, conv.id)).orderBy(asc(evaluacionEtapas.orden));
  return { conv, ps, curricular: etapas[0]!, entrevista: etapas[1]! };
}

/** `actor` records the given scores ("38,5") of a stage, with no observación. */
export const score = (services: Pick<Services, "db" | "clock">, actor: { id: string }, etapaId: string, rows: [PostulacionFixture, string][]) =>
  recordPuntaje({ services, actorId: actor.id, etapaId, filas: rows.map(([p, puntaje]) => ({ postulacionId: p.id, puntaje, observacion: "" })) });

/**
 * "Descargar fichas (ZIP)" as staff does it without JavaScript: the page's button (a POST),
 * then the status page reloaded until it offers the ZIP, which is saved to `dir`. Returns
 * the ZIP's path, the export's id and the status pages seen on the way.
 */
export async function prepareFichasZip(client: TestClient, convocatoriaId: string, dir: string, timeoutMs = 120_000) {
  const base = `/admin/convocatorias/${convocatoriaId}/postulaciones/fichas`;
  await client.get(base);
  const asked = await client.post(base, {});
  if (asked.status !== 302) throw new Error(`POST ${base}: ${asked.status}`);
  const statusUrl = asked.headers.get("location")!;
  const exportacionId = statusUrl.split("/").at(-1)!;
  const pages: string[] = [];
  const end = Date.now() + timeoutMs;
  for (;;) {
    const page = await client.get(statusUrl);
    pages.push(page.html);
    if (page.html.includes(`${statusUrl}/zip`)) break;
    if (Date.now() > end) throw new Error(`the ZIP was not ready in ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 100));
  }
  const res = await fetch(`${client.baseUrl}${statusUrl}/zip`, { headers: { cookie: [...client.cookies].map(([k, v]) => `${k}=${v}`).join("; ") } });
  if (res.status !== 200) throw new Error(`GET zip: ${res.status}`);
  const file = path.join(dir, `${exportacionId}.zip`);
  await pipeline(Readable.fromWeb(res.body as never), createWriteStream(file));
  return { file, exportacionId, statusUrl, pages, headers: res.headers };
}

/** The entries of a ZIP file (Info-ZIP's `unzip`), and one entry's bytes. */
export async function zipEntries(file: string): Promise<string[]> {
  const { stdout } = await promisify(execFile)("unzip", ["-Z1", file]);
  return stdout.split("\n").filter(Boolean);
}
export async function zipEntry(file: string, name: string): Promise<Buffer> {
  const { stdout } = await promisify(execFile)("unzip", ["-p", file, name], { encoding: "buffer", maxBuffer: 256 * 1024 * 1024 });
  return stdout;
}
