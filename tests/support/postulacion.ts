import { createHash, randomBytes } from "node:crypto";
import { eq } from "drizzle-orm";
import { PDFDocument } from "pdf-lib";
import { expect, vi } from "vitest";
import { convocatoriaDocumentos, convocatorias, documentos, postulaciones } from "~/db/schema";
import type { TipoDocumentoCode } from "~/features/convocatorias/documentos";
import { listTiposDocumento } from "~/features/convocatorias/convocatoria-datos.server";
import { cookieName } from "~/web/cookies.server";
import type { Services } from "~/platform/services.server";
import { createSession } from "~/platform/session.server";
import { createPostulante } from "./accounts";
import type { TestClient } from "./http";
import { pdfText } from "./pdf-text";
import { normalPdf } from "./pdfs";

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
  // Every active type of the catalogue, with its name, limit and order as a saved convocatoria keeps them.
  const catalogo = (await listTiposDocumento(services.db)).filter((t) => t.activo);
  await services.db.insert(convocatoriaDocumentos).values(
    catalogo.map((t) => ({
      convocatoriaId: c!.id,
      tipo: t.codigo,
      requerido: (requeridos as string[]).includes(t.codigo),
      nombre: t.nombre,
      maxBytes: t.maxBytes,
      orden: t.orden,
    })),
  );
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

/**
 * A stored object recorded as the applicant's file (Mis documentos, once per content) and used
 * by the postulación as each of `tipos` — rows as the upload use case writes them, without it.
 */
export async function insertDocumentos(
  db: Services["db"],
  options: { postulanteId: string; postulacionId: string; tipos: readonly string[]; stored: { key: string; size: number; sha256: string }; pages?: number; now: Date; confirmado?: boolean },
) {
  const { archivos, documentos } = await import("~/db/schema");
  const { and, eq } = await import("drizzle-orm");
  const { stored, now } = options;
  await db
    .insert(archivos)
    .values({
      postulanteId: options.postulanteId,
      tipo: options.tipos[0]!,
      filename: `${options.tipos[0]!.toLowerCase()}.pdf`,
      size: stored.size,
      sha256: stored.sha256,
      pages: options.pages ?? 1,
      originalKey: stored.key,
      sanitizedKey: stored.key,
      sanitizedSize: stored.size,
      uploadedAt: now,
      lastUsedAt: now,
    })
    .onConflictDoNothing();
  const [archivo] = await db.select().from(archivos).where(and(eq(archivos.postulanteId, options.postulanteId), eq(archivos.sha256, stored.sha256)));
  return db
    .insert(documentos)
    .values(options.tipos.map((tipo) => ({ postulacionId: options.postulacionId, tipo, archivoId: archivo!.id, confirmadoAt: options.confirmado ? now : null })))
    .returning();
}

/** A postulación's files (or every one's) as the expediente reads them: each link with its stored file's columns, in the ficha's order. */
export async function documentosDe(db: Services["db"], postulacionId?: string) {
  const { loadExpediente } = await import("~/features/postulacion/expediente.server");
  // Without an id: every postulación's.
  const ids = postulacionId ? [postulacionId] : [...new Set((await db.select({ id: documentos.postulacionId }).from(documentos)).map((r) => r.id))];
  return (await Promise.all(ids.map((id) => loadExpediente(db, id)))).flatMap((e) => e?.documentos ?? []);
}

/** GET as the signed-in client, the body as bytes (for PDFs and originals). */
export async function fetchBytes(client: TestClient, url: string) {
  const response = await fetch(client.baseUrl + url, {
    headers: { cookie: [...client.cookies].map(([k, v]) => `${k}=${v}`).join("; ") },
    redirect: "manual",
  });
  return { status: response.status, headers: response.headers, bytes: Buffer.from(await response.arrayBuffer()) };
}

export type StorageJourney = {
  services: Services;
  app: { client(): TestClient };
  smtp: { messages: Array<{ subject?: string; attachments: Array<{ contentType: string; filename?: string; content: Buffer }> }> };
  /** An object read straight from the storage backend (the directory or the bucket), not through the app; null when absent. */
  readStored(key: string): Promise<Buffer | null>;
};

const sha256 = (bytes: Uint8Array) => createHash("sha256").update(bytes).digest("hex");

/**
 * Upload → "Ver" → ficha → finalization with the e-mailed constancia, over real HTTP with
 * real PDFs and SMTP, checking at each step that the bytes are in the storage backend under
 * server-generated keys. Run by postulacion.test.ts (local directory) and
 * postulacion-s3.test.ts (s3rver), so both storages pass the same journey.
 */
export async function uploadFichaDownloadJourney(ctx: StorageJourney) {
  const { services } = ctx;
  const c = await createConvocatoriaAbierta(services);
  const p = await createPostulante(services);
  const client = await signIn(services, ctx.app.client(), p);
  const originals: Record<string, Uint8Array> = {
    DNI: await normalPdf(2, "DNI"),
    FICHA_CURRICULAR: await normalPdf(1, "Ficha"),
    DECLARACIONES_JURADAS: await normalPdf(4, "DJ"),
  };
  await client.get(`/postulacion/${c.id}`);
  for (const [tipo, bytes] of Object.entries(originals)) {
    const res = await upload(client, `/postulacion/${c.id}`, tipo, bytes, { filename: `${tipo.toLowerCase()}.pdf` });
    expect(res.status, `${tipo}: ${res.html.slice(0, 300)}`).toBe(302);
    await client.get(`/postulacion/${c.id}`);
  }
  const [draft] = await services.db.select().from(postulaciones).where(eq(postulaciones.postulanteId, p.id));
  const docs = await documentosDe(services.db, draft!.id);
  expect(docs.map((d) => d.tipo).sort()).toEqual(Object.keys(originals).sort());

  // Each original kept as received under a server-generated key, its SHA-256 recorded; "Ver" serves those bytes.
  for (const d of docs) {
    const sent = originals[d.tipo]!;
    expect(d.originalKey).toMatch(new RegExp(`^postulantes/${p.id}/archivos/[0-9a-f-]{36}-original$`));
    expect(d.sha256).toBe(sha256(sent));
    const stored = await ctx.readStored(d.originalKey);
    expect(stored && sha256(stored), `${d.tipo} in storage`).toBe(sha256(sent));
    expect(await ctx.readStored(d.sanitizedKey), `${d.tipo} sanitised copy`).not.toBeNull();
    const ver = await fetchBytes(client, `/postulacion/documentos/${d.id}`);
    expect(ver.status).toBe(200);
    expect(ver.headers.get("content-type")).toBe("application/pdf");
    expect(sha256(ver.bytes), `${d.tipo} served`).toBe(sha256(sent));
  }

  // The ficha: built, stored, served from storage.
  const ficha = await fetchBytes(client, `/postulacion/${draft!.id}/ficha.pdf`);
  expect(ficha.status).toBe(200);
  expect((await PDFDocument.load(ficha.bytes)).getPageCount()).toBe(1 + 3 + 2 + 5);
  const withFicha = (await services.db.select().from(postulaciones).where(eq(postulaciones.id, draft!.id)))[0]!;
  expect(withFicha.fichaKey).toMatch(new RegExp(`^postulaciones/${draft!.id}/ficha/`));
  expect(sha256((await ctx.readStored(withFicha.fichaKey!)) ?? Buffer.alloc(0))).toBe(sha256(ficha.bytes));
  const again = await fetchBytes(client, `/postulacion/${draft!.id}/ficha.pdf`);
  expect(sha256(again.bytes)).toBe(sha256(ficha.bytes));

  // Finalization: the constancia stored, read back from storage for the e-mail and for the download.
  const ids = docs.map((d) => d.id);
  let res = await client.post(`/postulacion/${c.id}`, { postulacionId: draft!.id, intent: "finalizar", declaracion: "on", confirmar: ids });
  expect(res.status, res.html.slice(0, 500)).toBe(302);
  await client.get(`/postulacion/${c.id}/finalizar`);
  res = await client.post(`/postulacion/${c.id}/finalizar`, { declaracion: "on", acepto: "on" });
  expect(res.status, res.html.slice(0, 500)).toBe(302);
  const row = (await services.db.select().from(postulaciones).where(eq(postulaciones.id, draft!.id)))[0]!;
  expect(row.estado).toBe("registrada");
  expect(row.constanciaKey).toMatch(new RegExp(`^postulaciones/${draft!.id}/constancia/`));
  const storedConstancia = await ctx.readStored(row.constanciaKey!);
  expect(storedConstancia?.subarray(0, 5).toString()).toBe("%PDF-");
  const mail = await vi.waitFor(
    () => {
      const found = ctx.smtp.messages.find((m) => m.subject?.includes(row.numero!));
      if (!found) throw new Error("confirmation e-mail not received yet");
      return found;
    },
    { timeout: 10_000, interval: 100 },
  );
  const attachment = mail.attachments.find((a) => a.contentType === "application/pdf");
  expect(attachment?.filename).toBe(`constancia-${row.numero}.pdf`);
  expect(sha256(attachment!.content)).toBe(sha256(storedConstancia!));
  const constancia = await fetchBytes(client, `/postulacion/${row.id}/constancia.pdf`);
  expect(constancia.status).toBe(200);
  expect(sha256(constancia.bytes)).toBe(sha256(storedConstancia!));

  // After "Aceptar" the ficha is the registered one, never the draft built above (issue 12).
  const final = await fetchBytes(client, `/postulacion/${row.id}/ficha.pdf`);
  expect(final.status).toBe(200);
  expect(sha256(final.bytes)).not.toBe(sha256(ficha.bytes));
  const text = await pdfText(final.bytes);
  expect(text).toContain("Registrada");
  expect(text).toContain(row.numero!);
  expect(text).not.toContain("En registro");
  const registered = (await services.db.select().from(postulaciones).where(eq(postulaciones.id, draft!.id)))[0]!;
  expect(registered.fichaRegistrada).toBe(true);
  expect(sha256((await ctx.readStored(registered.fichaKey!)) ?? Buffer.alloc(0))).toBe(sha256(final.bytes));
  expect(await ctx.readStored(withFicha.fichaKey!), "the draft's file deleted").toBeNull();
  return { postulacion: registered, documentos: docs };
}
