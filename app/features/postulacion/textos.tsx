/** The texts of the finalization (seed 2.1.4 step 3 and 2.1.5), shared by the dialog and the no-JS page. */
export const DECLARACION =
  "Declaro haber leído con detenimiento las bases de la presente convocatoria, cumplir con los requisitos del perfil del puesto y que la información y los documentos que presento son verdaderos, sujetándome a las responsabilidades administrativas, civiles y penales en caso de falsedad.";

export const ACEPTO_LABEL = "He leído el mensaje y estoy conforme con finalizar mi postulación.";

export function ConfirmacionTexto({ codigo, puesto }: { codigo: string; puesto: string }) {
  return (
    <>
      <p>
        Está a punto de finalizar su postulación a la convocatoria <strong>{codigo}</strong> ({puesto}).
      </p>
      <p>
        Una vez registrada, <strong>no podrá cargar, reemplazar ni eliminar documentos</strong> ni volver a postular a esta
        convocatoria. Antes de aceptar, verifique en la Ficha de Postulación que todos sus documentos se vean correctamente.
      </p>
      <p>Recibirá en su correo electrónico la confirmación con el número de su postulación y la constancia.</p>
    </>
  );
}
