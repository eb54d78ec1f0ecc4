import { randomUUID } from "node:crypto";
import { mkdir, writeFile } from "node:fs/promises";
import path from "node:path";
import { PDFDocument, StandardFonts } from "pdf-lib";
import { cookieName } from "~/web/cookies.server";
import { discardUpload } from "~/web/upload.server";
import { createSession } from "~/platform/session.server";
import type { Services } from "~/platform/services.server";
import type { UploadedFile } from "~/shared/uploaded-file";
import { createConvocatoria } from "~/features/convocatorias/create-convocatoria.server";
import { convocatoriaSchema } from "~/features/convocatorias/convocatoria.schema";
import { dateToLima } from "~/shared/lima";
import { previewConvocatoriaPublication, publishConvocatoria } from "~/features/convocatorias/publish-convocatoria.server";
import { ETAPAS_POR_DEFECTO } from "~/features/convocatorias/cronograma";
import { verifyStaffSessionForTests } from "./accounts";
import type { TestClient } from "./http";

/** Signs the no-JS client in as a staff member or postulante by creating the session row directly. */
export async function signIn(
  services: Services,
  client: TestClient,
  owner: { staffId: string } | { postulanteId: string },
) {
  const token = await createSession(services.db, owner, services.clock.now());
  // Staff: past the second factor too (issue 5), as after /admin/segundo-factor.
  if ("staffId" in owner) await verifyStaffSessionForTests(services, token);
  client.cookies.set(cookieName("cas_session", services.config.secureCookies), token);
}

/** A real one-page PDF with some text. */
export async function basesPdf(text = "Bases de la convocatoria CAS"): Promise<Uint8Array> {
  const doc = await PDFDocument.create();
  const font = await doc.embedFont(StandardFonts.Helvetica);
  doc.addPage([595, 842]).drawText(text, { x: 50, y: 780, size: 14, font });
  return doc.save();
}

/** Bases as the upload reader hands them to a use case: a real PDF in a temp file under DATA_DIR/tmp. */
export async function basesUpload(services: Pick<Services, "config">, filename = "bases.pdf"): Promise<UploadedFile> {
  const bytes = await basesPdf();
  const dir = path.join(services.config.dataDir, "tmp");
  await mkdir(dir, { recursive: true });
  const file = path.join(dir, `${randomUUID()}.upload`);
  await writeFile(file, bytes);
  return { path: file, size: bytes.length, filename };
}

/** A PDF whose trailer names an /Encrypt dictionary: readers ask for a password. */
export async function encryptedPdf(): Promise<Uint8Array> {
  const doc = await PDFDocument.load(await basesPdf());
  // A classic trailer (no cross-reference stream), so the /Encrypt entry can be written into it.
  const bytes = Buffer.from(await doc.save({ useObjectStreams: false }));
  const text = bytes.toString("latin1").replace(/trailer\s*<</, "trailer\n<<\n/Encrypt << /Filter /Standard /V 1 /R 2 /O (x) /U (y) /P -4 >>");
  return Buffer.from(text, "latin1");
}

const DAY = 86_400_000;

/**
 * The fields of a valid convocatoria form: the seven default stages one after another,
 * the Postulación window open from `opensInDays` for `days` days (relative to `now`).
 */
export function convocatoriaFields(
  now: Date,
  overrides: Record<string, string> = {},
  window: { opensInDays?: number; days?: number } = {},
): Record<string, string> {
  const opens = window.opensInDays ?? -1;
  const days = window.days ?? 10;
  const fields: Record<string, string> = {
    codigo: `CAS N° ${String(Math.floor(Math.random() * 1e6)).padStart(6, "0")}-2026-PRUEBA`,
    puesto: "Especialista en Gestión Migratoria",
    unidadOrganica: "Dirección de Inmigración",
    vacantes: "2",
    remuneracion: "4500.00",
    tipoContrato: "necesidad_transitoria",
    sede: "Sede central – Av. España 734, Breña",
    ubigeo: "150105",
    formacionAcademica: "Título profesional en Derecho o Administración.",
    experienciaGeneral: "Tres (3) años en el sector público o privado.",
    experienciaEspecifica: "Un (1) año en puestos similares.",
    cursosEspecializacion: "Curso en gestión pública (mínimo 60 horas).",
    conocimientos: "Ley N.° 27444; Ofimática a nivel intermedio.",
    competencias: "Orientación a resultados; trabajo en equipo.",
  };
  // Publicación ends where Postulación starts; each later stage lasts two days.
  const start = new Date(now.getTime() + opens * DAY);
  const stages: [Date, Date][] = [[new Date(start.getTime() - 3 * DAY), start]];
  stages.push([start, new Date(start.getTime() + days * DAY)]);
  for (let i = 2; i < ETAPAS_POR_DEFECTO.length; i++) {
    const prev = stages[i - 1]![1];
    stages.push([new Date(prev.getTime() + 60_000 * 60), new Date(prev.getTime() + 2 * DAY)]);
  }
  ETAPAS_POR_DEFECTO.forEach((nombre, i) => {
    const [a, b] = stages[i]!;
    const ia = dateToLima(a);
    const ib = dateToLima(b);
    fields[`etapa-${i}-nombre`] = nombre;
    fields[`etapa-${i}-inicioFecha`] = ia.fecha;
    fields[`etapa-${i}-inicioHora`] = ia.hora;
    fields[`etapa-${i}-finFecha`] = ib.fecha;
    fields[`etapa-${i}-finHora`] = ib.hora;
  });
  return { ...fields, ...overrides };
}

/** A multipart body as a browser sends it: the csrf field first, then the fields, then the file. */
export function multipart(
  csrf: string,
  fields: Record<string, string>,
  file?: { field: string; filename: string; bytes: Uint8Array; type?: string },
): FormData {
  const form = new FormData();
  form.append("csrf", csrf);
  for (const [k, v] of Object.entries(fields)) form.append(k, v);
  if (file) form.append(file.field, new Blob([Buffer.from(file.bytes)], { type: file.type ?? "application/pdf" }), file.filename);
  return form;
}

/** Creates (and optionally publishes) a convocatoria through the use cases, bypassing HTTP. */
export async function makeConvocatoria(
  services: Services,
  actorId: string,
  options: { overrides?: Record<string, string>; window?: { opensInDays?: number; days?: number }; publish?: boolean } = {},
) {
  const fields = convocatoriaFields(services.clock.now(), options.overrides, options.window);
  const input = convocatoriaSchema.parse(fields);
  const form = new FormData();
  for (const [k, v] of Object.entries(fields)) form.append(k, v);
  const { cronogramaInput, documentosInput } = await import("~/features/convocatorias/convocatoria.schema");
  const actor = { type: "staff" as const, id: actorId };
  const bases = await basesUpload(services);
  const { id } = await createConvocatoria({
    services,
    actor,
    input,
    cronograma: cronogramaInput(form),
    documentos: documentosInput(form),
    bases,
  }).finally(() => discardUpload(bases));
  if (options.publish !== false) {
    const { version } = await previewConvocatoriaPublication({ services, id });
    await publishConvocatoria({ services, actor, id, version });
  }
  return { id, fields };
}
