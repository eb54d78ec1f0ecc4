import { Link, useLoaderData } from "react-router";
import { can, type Permission, type StaffRole } from "~/shared/permissions";
import { requireStaff } from "~/web/auth.server";
import type { Route } from "./+types/admin._index";

export const meta: Route.MetaFunction = () => [{ title: "Administración · CAS Online" }];

const ROLE_LABELS: Record<StaffRole, string> = {
  administrador: "Administrador",
  gestor: "Gestor",
  evaluador: "Evaluador",
};

/** The staff sections and the permission each needs; a role sees only what it may use. */
const SECTIONS: { to: string; label: string; description: string; permission: Permission }[] = [
  {
    to: "/admin/convocatorias",
    label: "Convocatorias",
    description: "Crear y publicar convocatorias, y revisar sus postulaciones.",
    permission: "manage:convocatoria",
  },
  {
    to: "/admin/evaluacion",
    label: "Mis evaluaciones",
    description: "Las etapas que le asignaron: calificar las postulaciones.",
    permission: "score:evaluacion",
  },
  {
    to: "/admin/mfa",
    label: "Segundo factor",
    description: "La aplicación de autenticación y los códigos de recuperación de su cuenta.",
    permission: "view:admin",
  },
  {
    to: "/admin/declaraciones-juradas",
    label: "Declaraciones Juradas",
    description: "Los formatos que los postulantes descargan.",
    permission: "manage:declaraciones",
  },
  {
    to: "/admin/tipos-documento",
    label: "Tipos de documento",
    description: "El catálogo de documentos que una convocatoria puede solicitar: nombre, tamaño máximo, obligatorio por defecto y orden.",
    permission: "manage:tipos_documento",
  },
  {
    to: "/admin/entidad",
    label: "Datos de la entidad",
    description: "Nombre, siglas, RUC, logo y mesa de ayuda que ven los postulantes.",
    permission: "manage:entidad",
  },
  {
    to: "/admin/personal",
    label: "Personal",
    description: "Cuentas del personal y sus roles.",
    permission: "manage:staff",
  },
  {
    to: "/admin/auditoria",
    label: "Auditoría",
    description: "Quién hizo qué y cuándo: filtrar por persona, postulación, acción y fecha; exportar a CSV.",
    permission: "view:auditoria",
  },
];

export async function loader({ request, context }: Route.LoaderArgs) {
  const { staff } = await requireStaff(request, context, "view:admin");
  return {
    nombre: staff.nombre,
    role: ROLE_LABELS[staff.role],
    sections: SECTIONS.filter((s) => can(staff.role, s.permission)).map(({ to, label, description }) => ({ to, label, description })),
  };
}

export default function AdminDashboard() {
  const { nombre, role, sections } = useLoaderData<typeof loader>();
  return (
    <>
      <h1>Administración</h1>
      <p>
        {nombre} · <span className="badge">{role}</span>
      </p>
      {sections.length ? (
        <nav aria-label="Secciones de administración">
          <ul>
            {sections.map((s) => (
              <li key={s.to}>
                <Link to={s.to}>{s.label}</Link>: {s.description}
              </li>
            ))}
          </ul>
        </nav>
      ) : (
        <p>Su rol no tiene secciones de administración.</p>
      )}
    </>
  );
}
