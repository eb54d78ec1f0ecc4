import { z } from "zod";
import { email, nombre } from "./fields";

/** Staff accounts management (/admin/personal), administrador only. */
export const STAFF_ROLES = [
  { value: "administrador", label: "Administrador" },
  { value: "gestor", label: "Gestor" },
  { value: "evaluador", label: "Evaluador" },
] as const;

export type StaffRoleValue = (typeof STAFF_ROLES)[number]["value"];

export const staffRoleLabel = (role: string) => STAFF_ROLES.find((r) => r.value === role)?.label ?? role;

const role = z.enum(["administrador", "gestor", "evaluador"], { error: "Seleccione el rol." });

export const STAFF_LABELS: Record<string, string> = {
  nombre: "Nombre",
  email: "Correo electrónico",
  role: "Rol",
  password: "Contraseña inicial",
};

/** "Crear cuenta de personal". The password policy (passwordProblem) is applied by the use case. */
export const crearStaffSchema = z.object({
  nombre: nombre("el nombre"),
  email,
  role,
  password: z.string({ error: "Ingrese la contraseña inicial." }).min(1, "Ingrese la contraseña inicial."),
});

const staffId = z.uuid({ error: "Cuenta no encontrada." });

export const cambiarRolSchema = z.object({ staffId, role });
export const staffIdSchema = z.object({ staffId });
