import { entidadSettings } from "~/db/schema";
import { audit, type Actor } from "~/platform/audit.server";
import { readEntitySettings, type EntitySettings } from "~/platform/entity-settings.server";
import type { Services } from "~/platform/services.server";
import { newStorageKey } from "~/platform/storage.server";
import { AppError } from "~/shared/app-error";
import type { UploadedFile } from "~/shared/uploaded-file";
import type { EntidadInput } from "./entidad.schema";
import { logoType } from "./logo.server";

const CAMPOS = ["nombre", "siglas", "ruc", "mesaAyudaEmail", "mesaAyudaTelefono", "mesaAyudaHorario"] as const;

type Valores = { nombre: string } & Record<Exclude<(typeof CAMPOS)[number], "nombre">, string | null>;

function valuesOf(s: EntitySettings): Valores {
  return {
    nombre: s.nombre,
    siglas: s.siglas,
    ruc: s.ruc,
    mesaAyudaEmail: s.mesaDeAyuda.email,
    mesaAyudaTelefono: s.mesaDeAyuda.telefono,
    mesaAyudaHorario: s.mesaDeAyuda.horario,
  };
}

/**
 * Saves "Datos de la entidad" (administrador): the one row, created on the first save. A new
 * logo is checked by its bytes (PNG or JPEG, LOGO_MAX_BYTES) and stored before the row names
 * it; the replaced or removed logo is left to the file sweeper (no row names it any more), so
 * a process still showing it for a few seconds never points at a deleted file. Audited with the
 * names of the fields that changed (and the new logo's SHA-256); this process forgets its kept
 * copy at once, the others within ENTITY_SETTINGS_TTL_MS.
 */
export async function updateEntitySettings(options: {
  services: Pick<Services, "db" | "config" | "storage" | "clock" | "entidad">;
  actor: Actor & { type: "staff"; id: string };
  input: EntidadInput;
  logo?: UploadedFile;
}): Promise<{ fields: string[] }> {
  const { services, actor, input } = options;
  let logo: { contentType: "image/png" | "image/jpeg" } | undefined;
  if (options.logo) {
    const type = await logoType(options.logo);
    if ("problem" in type) throw new AppError("entidad.logo_invalido", type.problem, { field: "logo", logCause: "logo refused" });
    logo = type;
  }
  const current = await readEntitySettings(services.db, services.config.entityName);
  const before = valuesOf(current);
  const after: Valores = {
    nombre: input.nombre,
    siglas: input.siglas,
    ruc: input.ruc,
    mesaAyudaEmail: input.mesaAyudaEmail,
    mesaAyudaTelefono: input.mesaAyudaTelefono,
    mesaAyudaHorario: input.mesaAyudaHorario,
  };
  const fields: string[] = CAMPOS.filter((k) => before[k] !== after[k]);
  const stored = options.logo && logo
    ? await services.storage.putFile(newStorageKey("entidad/logo"), options.logo.path, { move: true, sha256: options.logo.sha256 })
    : null;
  const quitar = !stored && input.quitarLogo && current.logo !== null;
  if (stored || quitar) fields.push("logo");
  if (fields.length === 0 && current.updatedAt !== null) return { fields };

  const logoColumns = stored
    ? { logoKey: stored.key, logoContentType: logo!.contentType, logoSha256: stored.sha256, logoSize: stored.size }
    : quitar
      ? { logoKey: null, logoContentType: null, logoSha256: null, logoSize: null }
      : {};
  const row = { ...after, ...logoColumns, updatedAt: services.clock.now(), updatedBy: actor.id };
  try {
    await services.db.transaction(async (tx) => {
      await tx
        .insert(entidadSettings)
        .values({ id: 1, ...row })
        .onConflictDoUpdate({ target: entidadSettings.id, set: row });
      await audit(tx, actor, "entidad.actualizada", { type: "entidad", id: null }, {
        fields,
        ...(stored ? { logoSha256: stored.sha256, logoSize: stored.size } : {}),
      });
    });
  } catch (error) {
    if (stored) await services.storage.delete(stored.key).catch(() => {});
    throw error;
  }
  services.entidad.invalidate();
  return { fields };
}
