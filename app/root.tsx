import { eq } from "drizzle-orm";
import {
  data, isRouteErrorResponse, Link, Links, Meta, NavLink, Outlet, Scripts, ScrollRestoration, useLoaderData,
  useRouteError, useRouteLoaderData,
} from "react-router";
import { staff } from "~/db/schema";
import { getPrincipal, postulanteRow } from "~/web/auth.server";
import { csrfTokenFor } from "~/web/csrf.server";
import { SessionTimeoutWarning } from "~/ui/session-timeout";
import type { Route } from "./+types/root";
import "./styles.css";

export async function loader({ request, context }: Route.LoaderArgs) {
  const { services, nonce } = context;
  const principal = await getPrincipal(request, context);
  let user: { kind: "postulante" | "staff"; nombre: string; role?: string } | null = null;
  if (principal?.kind === "postulante") {
    const p = await postulanteRow(request, context, principal.postulanteId);
    if (p) user = { kind: "postulante", nombre: p.nombres };
  } else if (principal?.kind === "staff") {
    const s = await services.db.query.staff.findFirst({
      where: eq(staff.id, principal.staffId),
      columns: { nombre: true, role: true },
    });
    if (s) user = { kind: "staff", nombre: s.nombre, role: s.role };
  }
  const entidad = await services.entidad.current();
  return data(
    {
      entityName: entidad.nombre,
      entity: {
        nombre: entidad.nombre,
        siglas: entidad.siglas,
        ruc: entidad.ruc,
        // A new logo is a new address (entidad.logo.ts): browsers keep each one for good.
        logoSrc: entidad.logo ? `/entidad/logo?v=${entidad.logo.sha256.slice(0, 16)}` : null,
        mesaDeAyuda: entidad.mesaDeAyuda,
      },
      // Read only here: reading the cookie issues it (server/setup/csrf-cookie.ts). An anonymous
      // public page has none (server/public-page-cache.ts); the root's data, token included, is
      // loaded again on every navigation (React Router's default with SSR), so a form reached
      // from such a page by a link has its token.
      csrfToken: context.csrfToken ?? csrfTokenFor(services.config.sessionSecret, context.csrfCookie),
      nonce,
      user,
    },
    // Pages that show who is signed in are never stored by shared caches.
    { headers: user ? { "Cache-Control": "private, no-store" } : {} },
  );
}

/**
 * Routes without a `headers` export answer with the root loader's headers: pages seen
 * by a signed-in person are never kept by a shared cache.
 */
export function headers({ loaderHeaders }: Route.HeadersArgs) {
  return loaderHeaders;
}

export function Layout({ children }: { children: React.ReactNode }) {
  const root = useRouteLoaderData<typeof loader>("root");
  const nonce = root?.nonce;
  return (
    <html lang="es-PE">
      <head>
        <meta charSet="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <link rel="icon" href="/favicon.svg" type="image/svg+xml" />
        <Meta />
        <Links />
      </head>
      <body>
        <a className="skip-link" href="#contenido">
          Saltar al contenido
        </a>
        {children}
        <ScrollRestoration nonce={nonce} />
        <Scripts nonce={nonce} />
      </body>
    </html>
  );
}

function Header() {
  const root = useRouteLoaderData<typeof loader>("root");
  const user = root?.user;
  return (
    <header className="site-header">
      <div className="container">
        <Link to="/" className="brand">
          {root?.entity.logoSrc ? <img src={root.entity.logoSrc} alt="" className="brand-logo" height={48} /> : null}
          <span className="brand-entity">{root?.entityName ?? "CAS Online"}</span>
          <span className="brand-product">CAS Online</span>
        </Link>
        <nav aria-label="Principal">
          <ul>
            <li>
              <NavLink to="/convocatorias">Convocatorias</NavLink>
            </li>
            {user?.kind === "postulante" ? (
              <>
                <li>
                  <NavLink to="/mis-postulaciones">Mis postulaciones</NavLink>
                </li>
                <li>
                  <NavLink to="/mis-documentos">Mis documentos</NavLink>
                </li>
                <li>
                  <NavLink to="/mi-perfil">Mi Perfil</NavLink>
                </li>
              </>
            ) : null}
            {user?.kind === "staff" ? (
              <li>
                <NavLink to="/admin" end>
                  Administración
                </NavLink>
              </li>
            ) : null}
            {user ? (
              <li>
                <form method="post" action={user.kind === "staff" ? "/admin/logout" : "/logout"}>
                  <input type="hidden" name="csrf" value={root?.csrfToken ?? ""} />
                  <button type="submit" className="link-button">
                    Salir
                  </button>
                </form>
              </li>
            ) : (
              <li>
                <NavLink to="/login">Ingresar</NavLink>
              </li>
            )}
          </ul>
        </nav>
      </div>
    </header>
  );
}

/** The help desk (Datos de la entidad), as the footer and the error pages show it; nothing when none is set. */
function MesaDeAyuda({ intro }: { intro: string }) {
  const mesa = useRouteLoaderData<typeof loader>("root")?.entity.mesaDeAyuda;
  if (!mesa || (!mesa.email && !mesa.telefono && !mesa.horario)) return null;
  return (
    <p className="mesa-de-ayuda">
      {intro}
      {mesa.email ? (
        <>
          {" "}
          Correo: <a href={`mailto:${mesa.email}`}>{mesa.email}</a>.
        </>
      ) : null}
      {mesa.telefono ? <> Teléfono: {mesa.telefono}.</> : null}
      {mesa.horario ? <> Horario de atención: {mesa.horario}.</> : null}
    </p>
  );
}

function Footer() {
  const root = useRouteLoaderData<typeof loader>("root");
  return (
    <footer className="site-footer">
      <div className="container">
        <p>
          {root?.entityName ?? "CAS Online"}
          {root?.entity.siglas ? ` (${root.entity.siglas})` : ""}
          {root?.entity.ruc ? ` · RUC ${root.entity.ruc}` : ""} · Oficina de Recursos Humanos · Contratación Administrativa de Servicios
        </p>
        <MesaDeAyuda intro="Mesa de ayuda:" />
        <p>
          Sus datos personales se tratan conforme a la Ley N.° 29733, Ley de Protección de Datos Personales.{" "}
          <Link to="/privacidad">Aviso de privacidad</Link>
        </p>
      </div>
    </footer>
  );
}

export default function App() {
  const { user } = useLoaderData<typeof loader>();
  return (
    <>
      <Header />
      <main id="contenido" className="container" tabIndex={-1}>
        <Outlet />
      </main>
      <Footer />
      {user ? <SessionTimeoutWarning /> : null}
    </>
  );
}

export function ErrorBoundary() {
  const error = useRouteError();
  let title = "Ocurrió un error inesperado";
  let message = "Inténtelo nuevamente en unos minutos. Si el problema continúa, comuníquese con la Oficina de Recursos Humanos.";
  if (isRouteErrorResponse(error)) {
    if (error.status === 404) {
      title = "Página no encontrada";
      message = "La dirección no existe o el recurso ya no está disponible.";
    } else if (error.status === 403) {
      title = "Acceso no permitido";
      message = typeof error.data === "string" ? error.data : "No tiene permiso para ver esta página.";
    } else if (error.status === 429) {
      title = "Demasiados intentos";
      message = typeof error.data === "string" ? error.data : "Espere un momento e inténtelo de nuevo.";
    } else if (typeof error.data === "string" && error.status < 500) {
      title = `Error ${error.status}`;
      message = error.data;
    }
  }
  return (
    <>
      <Header />
      <main id="contenido" className="container" tabIndex={-1}>
        <title>{`${title} · CAS Online`}</title>
        <h1>{title}</h1>
        <p>{message}</p>
        <MesaDeAyuda intro="Si necesita ayuda, comuníquese con la mesa de ayuda." />
        <p>
          <Link to="/">Volver al inicio</Link>
        </p>
      </main>
      <Footer />
    </>
  );
}
