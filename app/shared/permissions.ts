/**
 * Who may do what: the one table of staff permissions, read by the HTTP edge (requireStaff)
 * and by use cases that check a role themselves.
 */
export type StaffRole = "administrador" | "gestor" | "evaluador";

/** Typed permissions (`action:entity`), one table of which role may do what. */
export const PERMISSIONS = {
  "manage:staff": ["administrador"],
  "manage:declaraciones": ["administrador"],
  "manage:tipos_documento": ["administrador"],
  "view:auditoria": ["administrador"],
  "manage:entidad": ["administrador"],
  "manage:convocatoria": ["administrador", "gestor"],
  "review:postulacion": ["administrador", "gestor"],
  "score:evaluacion": ["evaluador", "gestor", "administrador"],
  "view:admin": ["administrador", "gestor", "evaluador"],
} as const satisfies Record<string, readonly StaffRole[]>;

export type Permission = keyof typeof PERMISSIONS;

export function can(role: StaffRole, permission: Permission): boolean {
  return (PERMISSIONS[permission] as readonly StaffRole[]).includes(role);
}
