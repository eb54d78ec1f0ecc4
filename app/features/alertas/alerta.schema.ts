import { z } from "zod";
import { email } from "~/features/accounts/fields";

export const ALERTA_LABELS = { email: "Correo electrónico" };

/**
 * "Crear alerta": the address (an applicant's own is taken from the account, not from the form).
 * The search travels beside it in hidden fields and is read as the list reads its address
 * (busquedaDe, features/convocatorias/filtros.server.ts).
 */
export const nuevaAlertaSchema = z.object({ email });

/** "Eliminar" on /alertas: which alert. */
export const eliminarAlertaSchema = z.object({ alertaId: z.uuid("Elija una alerta.") });
