import { readEntitySettings, type EntitySettings } from "~/platform/entity-settings.server";
import type { Services } from "~/platform/services.server";

/**
 * The settings as stored now (the "Datos de la entidad" form): read from the database, not
 * the few-seconds copy pages use (services.entidad.current()); ENTITY_NAME when none is stored.
 */
export function getEntitySettings(services: Pick<Services, "db" | "config">): Promise<EntitySettings> {
  return readEntitySettings(services.db, services.config.entityName);
}
