import { eq } from "drizzle-orm";
import type { Db } from "~/db/client.server";
import { entidadSettings } from "~/db/schema";
import { keptValue, type KeptValue } from "./kept-value.server";
import type { PdfImage } from "./pdf/text-pdf.server";
import type { Storage } from "./storage.server";

/**
 * The entity's settings as every page, e-mail and PDF reads them (docs/administracion.md,
 * "Datos de la entidad"): the one stored row (app/features/entidad/), or, when none is
 * stored, ENTITY_NAME (config.entityName) with nothing else.
 *
 * Each process keeps what it read for ENTITY_SETTINGS_TTL_MS: the page header and footer read
 * it on every request, and a single-row read per request is cheap but not free. The process
 * that saves a change drops its copy at once (`invalidate`); the other processes (several app
 * servers, issue 16) show the change within the TTL.
 */
export const ENTITY_SETTINGS_TTL_MS = 5_000;

export type MesaDeAyuda = { email: string | null; telefono: string | null; horario: string | null };

export type EntityLogo = { key: string; contentType: "image/png" | "image/jpeg"; sha256: string; size: number };

export type EntitySettings = {
  nombre: string;
  siglas: string | null;
  ruc: string | null;
  logo: EntityLogo | null;
  mesaDeAyuda: MesaDeAyuda;
  /** null: nothing stored yet (the defaults). */
  updatedAt: Date | null;
};

/** The current settings (at most ENTITY_SETTINGS_TTL_MS old); `invalidate` after a save. */
export type EntitySettingsSource = KeptValue<EntitySettings>;

/** The settings stored in the database, or the defaults (read now, never cached). */
export async function readEntitySettings(db: Db, defaultName: string): Promise<EntitySettings> {
  const row = await db.query.entidadSettings.findFirst({ where: eq(entidadSettings.id, 1) });
  if (!row) {
    return { nombre: defaultName, siglas: null, ruc: null, logo: null, mesaDeAyuda: { email: null, telefono: null, horario: null }, updatedAt: null };
  }
  return {
    nombre: row.nombre,
    siglas: row.siglas,
    ruc: row.ruc,
    logo:
      row.logoKey && row.logoContentType && row.logoSha256 && row.logoSize !== null
        ? { key: row.logoKey, contentType: row.logoContentType, sha256: row.logoSha256, size: row.logoSize }
        : null,
    mesaDeAyuda: { email: row.mesaAyudaEmail, telefono: row.mesaAyudaTelefono, horario: row.mesaAyudaHorario },
    updatedAt: row.updatedAt,
  };
}

export function createEntitySettingsSource(options: { db: Db; defaultName: string; ttlMs?: number }): EntitySettingsSource {
  return keptValue(() => readEntitySettings(options.db, options.defaultName), options.ttlMs ?? ENTITY_SETTINGS_TTL_MS);
}

/** What an e-mail shows of the entity (mail-template.server.tsx): its name and the help desk. */
export type MailEntity = Pick<EntitySettings, "nombre" | "mesaDeAyuda">;

/** The help desk as lines of text ("Correo: …", "Teléfono: …", "Horario: …"); [] when none is set. */
export function mesaDeAyudaLines(mesa: MesaDeAyuda): string[] {
  return [
    mesa.email ? `Correo: ${mesa.email}` : null,
    mesa.telefono ? `Teléfono: ${mesa.telefono}` : null,
    mesa.horario ? `Horario: ${mesa.horario}` : null,
  ].filter((l): l is string => l !== null);
}

/**
 * The logo as a PDF's header draws it (text-pdf.server.ts, an `image` block), or null: no
 * logo, or its file is gone (replaced a moment ago in another process) — the PDF is built
 * with the name alone rather than not at all.
 */
export async function logoForPdf(storage: Storage, settings: Pick<EntitySettings, "logo">): Promise<PdfImage | null> {
  if (!settings.logo) return null;
  try {
    return { bytes: await storage.getBuffer(settings.logo.key), type: settings.logo.contentType === "image/png" ? "png" : "jpeg" };
  } catch {
    return null;
  }
}
