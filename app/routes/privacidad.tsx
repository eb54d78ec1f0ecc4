import { PRIVACY_NOTICE_VERSION } from "~/features/accounts/privacy";
import { cantidad } from "~/shared/format";
import type { Route } from "./+types/privacidad";

export function meta() {
  return [{ title: "Aviso de privacidad · CAS Online" }];
}

/** The retention of Mis documentos is configured (ARCHIVOS_RETENCION_DIAS, ARCHIVOS_AVISO_DIAS): the notice says the real figures. */
export function loader({ context }: Route.LoaderArgs) {
  const { archivosRetencionDias, archivosAvisoDias } = context.services.config;
  return { retencionDias: archivosRetencionDias, avisoDias: archivosAvisoDias };
}

export default function Privacidad({ loaderData }: Route.ComponentProps) {
  const { retencionDias, avisoDias } = loaderData;
  return (
    <article>
      <h1>Aviso de privacidad</h1>
      <p>Versión {PRIVACY_NOTICE_VERSION}</p>
      <p>
        En cumplimiento de la Ley N.° 29733, Ley de Protección de Datos Personales, y su reglamento, la entidad informa
        que los datos personales que usted registra en CAS Online (identificación, contacto, domicilio y los documentos
        sustentatorios de sus postulaciones) se tratan con la finalidad exclusiva de gestionar los procesos de
        Contratación Administrativa de Servicios en los que participa.
      </p>
      <h2>Qué datos y para qué</h2>
      <ul>
        <li>Identificación y contacto: para crear su cuenta, comunicarle el estado de sus postulaciones y verificar su identidad.</li>
        <li>Documentos sustentatorios: para la evaluación por la Oficina de Recursos Humanos y el comité de selección.</li>
        <li>
          Datos sensibles (condición de discapacidad): solo los ven el personal de Recursos Humanos autorizado, para
          aplicar la bonificación de ley.
        </li>
      </ul>
      <h2>Alertas de convocatorias</h2>
      <p>
        Si crea una alerta, guardamos su correo electrónico, la búsqueda (palabras y filtros) y las fechas de creación y
        del último envío, solo para enviarle un correo al día con las convocatorias nuevas que coincidan. Sin una cuenta,
        la alerta funciona solo después de que confirme el enlace que le enviamos; si no lo confirma en 7 días, se borra.
        Puede cancelarla en cualquier momento con el enlace «Cancelar esta alerta» de cada correo (o desde el botón de
        cancelar suscripción de su programa de correo), o en «Mis alertas» si tiene cuenta: la alerta se borra en ese
        momento.
      </p>
      <h2>Conservación</h2>
      <p>
        Los expedientes se conservan el plazo que exigen las normas de archivo del sector público; los datos de la
        cuenta, mientras la mantenga activa.
      </p>
      <p>
        En «Mis documentos» se guarda cada documento que usted carga, para que pueda usarlo en otras postulaciones. Un
        documento que no usa ninguna de sus postulaciones y que no se ha usado en {cantidad(retencionDias, "día", "días")}{" "}
        se elimina: antes le avisamos por correo electrónico, y se elimina {cantidad(avisoDias, "día", "días")} después
        del aviso si sigue sin usarse. Los documentos de una postulación registrada se conservan con su expediente. Usted
        puede eliminar en cualquier momento los documentos que no forman parte de una postulación registrada.
      </p>
      <h2>Sus derechos</h2>
      <p>
        Puede ejercer sus derechos de acceso, rectificación, cancelación y oposición ante la Oficina de Recursos
        Humanos de la entidad. Los datos de contacto y domicilio puede corregirlos usted mismo en “Mi Perfil”.
      </p>
      <p>Cada acceso del personal a su expediente queda registrado.</p>
    </article>
  );
}
