import type { ReactNode } from "react";
import { Form, Link } from "react-router";
import { CsrfInput, ErrorSummary, type FieldErrors } from "~/ui/form";

/**
 * The form of a step that changes a postulación for good, without JavaScript (Finalizar
 * Postulación, Desistir de la postulación): the error summary, the CSRF token, what the step
 * says and asks, its button, and «Cancelar» back to the Postulación page.
 */
export function ConfirmacionForm({
  convocatoriaId,
  errors,
  labels,
  boton,
  children,
}: {
  convocatoriaId: string;
  errors: FieldErrors;
  labels: Record<string, string>;
  boton: string;
  children: ReactNode;
}) {
  return (
    <Form method="post" className="panel">
      <ErrorSummary errors={errors} labels={labels} />
      <CsrfInput />
      {children}
      <div className="actions">
        <button type="submit" className="button">
          {boton}
        </button>
        <Link to={`/postulacion/${convocatoriaId}`} className="button button--secondary">
          Cancelar
        </Link>
      </div>
    </Form>
  );
}

/**
 * The page after such a step (Postulación Confirmada, Desistimiento registrado): the heading, the
 * success notice, the step's own facts (`children`), the e-mail sent, its PDFs and Mis postulaciones.
 */
export function PasoRegistrado({
  titulo,
  aviso,
  correo,
  pdfs,
  children,
}: {
  titulo: string;
  aviso: ReactNode;
  correo: ReactNode;
  pdfs: { href: string; label: string }[];
  children: ReactNode;
}) {
  return (
    <>
      <h1>{titulo}</h1>
      <div className="notice notice--success" role="status">
        <p>{aviso}</p>
      </div>
      {children}
      <p>{correo}</p>
      <ul>
        {pdfs.map((pdf) => (
          <li key={pdf.href}>
            <a href={pdf.href}>{pdf.label}</a>
          </li>
        ))}
        <li>
          <Link to="/mis-postulaciones">Mis postulaciones</Link>
        </li>
      </ul>
    </>
  );
}
