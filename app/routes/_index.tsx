import { Link } from "react-router";
import { LoginForm } from "~/features/accounts/login-form";
import type { Route } from "./+types/_index";

export function meta({ matches }: Route.MetaArgs) {
  const entity = (matches[0]?.data as { entityName?: string } | undefined)?.entityName ?? "";
  return [
    { title: `CAS Online · ${entity}` },
    { name: "description", content: `Convocatorias CAS de ${entity}: postule en línea.` },
  ];
}

export default function Home() {
  return (
    <>
      <h1>Sistema CAS Online – Postulante</h1>
      <p>Postule en línea a las convocatorias de Contratación Administrativa de Servicios (CAS) de la entidad.</p>
      <div className="grid-2">
        <section aria-labelledby="nuevo-usuario">
          <h2 id="nuevo-usuario">¿Primera vez?</h2>
          <p>Cree su cuenta con su documento de identidad para postular.</p>
          <p>
            <Link to="/registro" className="button">
              Crear nuevo usuario
            </Link>
          </p>
          <h2>Convocatorias</h2>
          <p>
            <Link to="/convocatorias">Ver el Listado de Convocatorias</Link>
          </p>
          <h2>Declaraciones Juradas</h2>
          <p>Complete todos los formatos solicitados y cárguelos al postular.</p>
          <p>
            <Link to="/declaraciones-juradas">Descargar</Link>
          </p>
        </section>
        <LoginForm />
      </div>
    </>
  );
}
