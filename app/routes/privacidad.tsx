import { PRIVACY_NOTICE_VERSION } from "~/features/accounts/privacy";

export function meta() {
  return [{ title: "Aviso de privacidad · CAS Online" }];
}

export default function Privacidad() {
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
      <h2>Sus derechos</h2>
      <p>
        Puede ejercer sus derechos de acceso, rectificación, cancelación y oposición ante la Oficina de Recursos
        Humanos de la entidad. Los datos de contacto y domicilio puede corregirlos usted mismo en “Mi Perfil”.
      </p>
      <p>Cada acceso del personal a su expediente queda registrado.</p>
    </article>
  );
}
