import { staff } from "~/db/schema";
import { audit } from "~/platform/audit.server";
import type { Services } from "~/platform/services.server";
import { AppError } from "~/shared/app-error";
import { passwordProblem } from "./password-policy.server";
import type { StaffRoleValue } from "./staff.schema";
import { isUniqueViolation } from "./update-perfil.server";

export const STAFF_EMAIL_TAKEN = "Ya existe una cuenta de personal con ese correo electrónico.";

/** An administrator creates a staff account with an initial password (issue 2: accounts and roles). */
export async function createStaff(options: {
  services: Pick<Services, "db" | "clock" | "hasher">;
  actorId: string;
  input: { nombre: string; email: string; role: StaffRoleValue; password: string };
}): Promise<{ id: string }> {
  const { services, actorId, input } = options;
  const problem = passwordProblem(input.password);
  if (problem) throw new AppError("personal.contrasena_rechazada", problem, { field: "password", logCause: "initial password refused by the policy" });
  const passwordHash = await services.hasher.hash(input.password);
  const now = services.clock.now();
  try {
    return await services.db.transaction(async (tx) => {
      const rows = await tx
        .insert(staff)
        .values({ nombre: input.nombre, email: input.email, role: input.role, passwordHash, createdAt: now, updatedAt: now })
        .onConflictDoNothing({ target: staff.email })
        .returning({ id: staff.id });
      const row = rows[0];
      if (!row) throw new AppError("personal.correo_en_uso", STAFF_EMAIL_TAKEN, { status: 409, field: "email", logCause: "staff e-mail already in use" });
      await audit(tx, { type: "staff", id: actorId }, "staff.creado", { type: "staff", id: row.id }, { role: input.role });
      return row;
    });
  } catch (error) {
    if (isUniqueViolation(error)) throw new AppError("personal.correo_en_uso", STAFF_EMAIL_TAKEN, { status: 409, field: "email", logCause: "staff e-mail unique index" });
    throw error;
  }
}
