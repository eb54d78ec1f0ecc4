import { randomBytes } from "node:crypto";
import { convocatoriaDocumentos, convocatorias } from "~/db/schema";
import { TIPOS_DOCUMENTO, type TipoDocumentoCode } from "~/features/convocatorias/documentos";
import { cookieName } from "~/platform/cookies.server";
import type { Services } from "~/platform/services.server";
import { createSession } from "~/platform/session.server";
import type { TestClient } from "./http";

/**
 * Fixtures for the postulación tests: a published convocatoria whose window is open at
 * the test clock, a signed-in no-JS client, and multipart uploads built as a browser does.
 */
export const HOUR = 3600_000;

/** Required: DNI/Carnet, Ficha Curricular, Declaraciones Juradas; the rest accepted and optional unless `requeridos` says. */
export async function createConvocatoriaAbierta(
  services: Pick<Services, "db" | "clock">,
  options: { requeridos?: TipoDocumentoCode[]; inicio?: Date; fin?: Date; codigo?: string } = {},
) {
  const now = services.clock.now();
  const requeridos = options.requeridos ?? ["DNI", "CARNET_EXTRANJERIA", "FICHA_CURRICULAR", "DECLARACIONES_JURADAS"];
  const [c] = await services.db
    .insert(convocatorias)
    .values({
      codigo: options.codigo ?? `CAS N° ${randomBytes(3).toString("hex").toUpperCase()}-2026-MIGRACIONES`,
      puesto: "Analista de Gestión Documental",
      unidadOrganica: "Oficina de Recursos Humanos",
      vacantes: 1,
      remuneracion: "4500.00",
      tipoContrato: "necesidad_transitoria",
      sede: "Sede Central",
      ubigeo: "150101",
      estado: "publicada",
      publishedAt: new Date(now.getTime() - 48 * HOUR),
      postulacionInicio: options.inicio ?? new Date(now.getTime() - 24 * HOUR),
      postulacionFin: options.fin ?? new Date(now.getTime() + 24 * HOUR),
    })
    .returning();
  await services.db
    .insert(convocatoriaDocumentos)
    .values(TIPOS_DOCUMENTO.map((t) => ({ convocatoriaId: c!.id, tipo: t.code, requerido: requeridos.includes(t.code) })));
  return c!;
}

/** A no-JS browser signed in as `who` (a session made directly, as the login page would). */
export async function signIn(services: Pick<Services, "db" | "clock" | "config">, client: TestClient, who: { id: string }) {
  const token = await createSession(services.db, { postulanteId: who.id }, services.clock.now());
  client.cookies.set(cookieName("cas_session", services.config.secureCookies), token);
  return client;
}

/** Posts the upload form as a browser does: multipart with the CSRF token, the type and the file. */
export async function upload(
  client: TestClient,
  path: string,
  tipo: string,
  bytes: Uint8Array,
  options: { filename?: string; csrf?: string | null; headers?: Record<string, string> } = {},
) {
  const form = new FormData();
  const csrf = options.csrf === undefined ? client.csrf : options.csrf;
  if (csrf !== null) form.append("csrf", csrf);
  form.append("tipo", tipo);
  form.append("archivo", new Blob([bytes as BlobPart], { type: "application/pdf" }), options.filename ?? "documento.pdf");
  return client.send(path, form, options.headers);
}

export const REQUERIDOS_PE = ["DNI", "FICHA_CURRICULAR", "DECLARACIONES_JURADAS"] as const;

/** Uploads straight through the use case (no HTTP): the bytes go to a temp file first, as the route does. */
export async function uploadDirect(
  services: Services,
  postulanteId: string,
  convocatoriaId: string,
  tipo: string,
  bytes: Uint8Array,
) {
  const { writeFile } = await import("node:fs/promises");
  const { tmpdir } = await import("node:os");
  const path = await import("node:path");
  const { uploadDocumento } = await import("~/features/postulacion/upload-documento.server");
  const file = path.join(tmpdir(), `cas-test-upload-${randomBytes(8).toString("hex")}`);
  await writeFile(file, bytes);
  return uploadDocumento({ services, postulanteId, convocatoriaId, tipo, file: { path: file, filename: `${tipo}.pdf`, size: bytes.length } });
}

/** A draft with the three required documents of a Peruvian applicant, all confirmed. */
export async function readyToFinalize(services: Services, postulanteId: string, convocatoriaId: string, pdf: Uint8Array) {
  const { confirmDocumentos } = await import("~/features/postulacion/confirm-documento.server");
  let postulacionId = "";
  for (const tipo of REQUERIDOS_PE) {
    ({ postulacionId } = await uploadDirect(services, postulanteId, convocatoriaId, tipo, pdf));
  }
  const { documentos } = await import("~/db/schema");
  const { eq } = await import("drizzle-orm");
  const ids = (await services.db.select({ id: documentos.id }).from(documentos).where(eq(documentos.postulacionId, postulacionId))).map(
    (d) => d.id,
  );
  await confirmDocumentos({ db: services.db, postulanteId, postulacionId, confirmados: ids, now: services.clock.now() });
  return postulacionId;
}
