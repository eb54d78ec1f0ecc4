import { useEffect, useLayoutEffect, useRef, useState } from "react";
import { Form, useFetcher } from "react-router";
import { formatBytes } from "~/shared/format";
import { formatLima } from "~/shared/lima";
import { SubirBajar } from "~/ui/acciones";
import { FileName } from "~/ui/file-name";
import { CsrfInput, ErrorSummary, fieldId, type FieldErrors } from "~/ui/form";
import { confirmarField } from "./errors";
import type { PostulacionAbierta } from "./open-postulacion.server";
import { ACEPTO_LABEL, ConfirmacionTexto, DECLARACION } from "./textos";

/** The intent of the confirmations saved at once by the page's JavaScript. */
export const AUTOGUARDADO = "autoguardar-confirmaciones";

const LABELS = { declaracion: "DECLARACIÓN", acepto: "Confirmación", archivo: "Documentos" };

/**
 * "Documentos cargados" of the Postulación page (seed 2.1.4–2.1.5): the table with "Ver",
 * "Eliminar" and "CONFIRMAR DOCUMENTO CARGADO" (saved as each box changes, with JavaScript),
 * "Verificar Ficha Postulante", the DECLARACIÓN and "Guardar y Finalizar Postulación" with its
 * confirmation message. `errors` and `values` are those of a refused post of this form;
 * `answer` is any answer of the page's action (a refusal closes the confirmation message).
 */
export function DocumentosForm({
  convocatoria: c, postulacion, documentos, tipos, editable, errors, values, answer,
}: Pick<PostulacionAbierta, "convocatoria" | "postulacion" | "documentos" | "tipos"> & {
  editable: boolean;
  errors: FieldErrors;
  values?: Record<string, string>;
  answer: unknown;
}) {
  const dialogRef = useRef<HTMLDialogElement>(null);
  const tableFormRef = useRef<HTMLFormElement>(null);
  const [hydrated, setHydrated] = useState(false);
  useEffect(() => setHydrated(true), []);
  const autosave = useAutosave(c.id, tableFormRef);
  const requiredUploaded = tipos.filter((t) => t.requerido).every((t) => documentos.some((d) => d.tipo === t.code));
  // A refused "Aceptar" (JavaScript) answers with errors on this page: close the dialog first (a layout
  // effect, before the error summary's effect focuses it), or the errors stay inert behind the modal.
  useLayoutEffect(() => {
    if (answer && dialogRef.current?.open) dialogRef.current.close();
  }, [answer]);

  return (
    <>
      {/* Posted to the page's plain address: a notice in the query (?cargado=1) must not stay beside an error. */}
      <Form method="post" action={`/postulacion/${c.id}`} id="documentos-form" aria-label="Documentos cargados" ref={tableFormRef}>
        {errors ? <ErrorSummary errors={errors} labels={LABELS} /> : null}
        <CsrfInput />
        {postulacion ? <input type="hidden" name="postulacionId" value={postulacion.id} /> : null}
        <h3>Documentos cargados</h3>
        {documentos.length === 0 ? (
          <p>Aún no ha cargado documentos.</p>
        ) : (
          <div className="table-wrap">
            <table className="documentos-table">
              <caption className="visually-hidden">Documentos cargados, en el orden de la lista y, dentro de cada tipo, en el orden de la ficha</caption>
              <thead>
                <tr>
                  <th scope="col">Tipo</th>
                  <th scope="col">Archivo</th>
                  <th scope="col">Tamaño</th>
                  <th scope="col">Páginas</th>
                  <th scope="col">Fecha de carga</th>
                  <th scope="col">Ver</th>
                  {editable ? <th scope="col">Orden</th> : null}
                  {editable ? <th scope="col">Eliminar</th> : null}
                  <th scope="col">CONFIRMAR DOCUMENTO CARGADO</th>
                </tr>
              </thead>
              <tbody>
                {documentos.map((d) => (
                  <tr key={d.id}>
                    <td data-label="Tipo">{d.tipoLabel}</td>
                    <td data-label="Archivo" className="filename">
                      <FileName name={d.filename} />
                    </td>
                    <td data-label="Tamaño">{formatBytes(d.size)}</td>
                    <td data-label="Páginas">{d.pages}</td>
                    <td data-label="Fecha de carga">{formatLima(d.uploadedAt)}</td>
                    <td>
                      <a href={`/postulacion/documentos/${d.id}`} target="_blank" rel="noopener">
                        Ver<span className="visually-hidden"> {d.tipoLabel}: {d.filename}</span>
                      </a>
                    </td>
                    {editable ? (
                      <td data-label="Orden">
                        <div className="actions">
                          <SubirBajar subir={d.subir} bajar={d.bajar} nombre={`${d.tipoLabel}: ${d.filename}`} valor={d.id} />
                        </div>
                      </td>
                    ) : null}
                    {editable ? (
                      <td>
                        <button type="submit" name="eliminar" value={d.id} className="link-button">
                          Eliminar<span className="visually-hidden"> {d.tipoLabel}: {d.filename}</span>
                        </button>
                      </td>
                    ) : null}
                    <td data-label="CONFIRMAR DOCUMENTO CARGADO">
                      <input
                        type="checkbox"
                        name="confirmar"
                        value={d.id}
                        id={fieldId(confirmarField(d.id))}
                        defaultChecked={d.confirmado}
                        disabled={!editable}
                        aria-invalid={errors?.[confirmarField(d.id)] ? true : undefined}
                        onChange={autosave.save}
                      />
                      <label htmlFor={fieldId(confirmarField(d.id))} className="visually-hidden">
                        Confirmar {d.tipoLabel}: {d.filename}
                      </label>
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
        {/* With JavaScript each checkbox is saved when it changes; the button is for the page without it. */}
        {editable && documentos.length && !hydrated ? (
          <div className="actions">
            <button type="submit" name="intent" value="confirmar" className="button button--secondary">
              Guardar confirmaciones
            </button>
          </div>
        ) : null}
        {editable && documentos.length ? (
          <p role="status" className="autosave-status">
            {autosave.message}
          </p>
        ) : null}

        {postulacion && documentos.length ? (
          <p>
            <a href={`/postulacion/${postulacion.id}/ficha.pdf`} target="_blank" rel="noopener" className="button button--secondary">
              Verificar Ficha Postulante
            </a>
          </p>
        ) : null}
        {postulacion && documentos.length ? (
          <p className="hint">
            Es su responsabilidad verificar que la Ficha de Postulación se haya generado correctamente con los documentos
            cargados.
          </p>
        ) : null}

        {editable && postulacion ? (
          <>
            <fieldset className={`field field--checkbox${errors?.declaracion ? " field--error" : ""}`}>
              <legend>DECLARACIÓN</legend>
              {errors?.declaracion ? (
                <p className="field-error" id={`${fieldId("declaracion")}-error`}>
                  <span className="visually-hidden">Error: </span>
                  {errors.declaracion}
                </p>
              ) : null}
              <input
                type="checkbox"
                id={fieldId("declaracion")}
                name="declaracion"
                defaultChecked={values?.declaracion === "on"}
                aria-invalid={errors?.declaracion ? true : undefined}
                aria-describedby={errors?.declaracion ? `${fieldId("declaracion")}-error` : undefined}
              />
              <label htmlFor={fieldId("declaracion")}>{DECLARACION}</label>
            </fieldset>
            <div className="actions">
              <button
                type="submit"
                name="intent"
                value="finalizar"
                className="button"
                onClick={(e) => {
                  // With JavaScript the confirmation message is a dialog over this page (2.1.5), opened only
                  // when nothing is missing; else the form is sent and the server names everything missing.
                  // The boxes are read from the page itself: they may have been ticked before its script ran.
                  const dialog = dialogRef.current;
                  const form = e.currentTarget.form;
                  const boxes = form?.querySelectorAll<HTMLInputElement>('input[name="confirmar"]') ?? [];
                  const allConfirmed = [...boxes].every((box) => box.checked);
                  const declarado = form?.querySelector<HTMLInputElement>('input[name="declaracion"]')?.checked;
                  if (!declarado || !allConfirmed || !requiredUploaded || !dialog || typeof dialog.showModal !== "function") return;
                  e.preventDefault();
                  dialog.showModal();
                }}
              >
                Guardar y Finalizar Postulación
              </button>
            </div>
            <dialog ref={dialogRef} className="dialog" aria-labelledby="confirmacion-titulo">
              <h2 id="confirmacion-titulo">Finalizar Postulación</h2>
              <ConfirmacionTexto codigo={c.codigo} puesto={c.puesto} />
              <div className="field field--checkbox">
                <input type="checkbox" id="campo-acepto" name="acepto" aria-describedby="acepto-ayuda" />
                <label htmlFor="campo-acepto">{ACEPTO_LABEL}</label>
              </div>
              <p className="hint" id="acepto-ayuda">
                Marque la casilla para poder presionar «Aceptar».
              </p>
              <div className="actions">
                <button
                  type="submit"
                  name="intent"
                  value="aceptar"
                  className="button"
                  onClick={(e) => {
                    const box = document.getElementById("campo-acepto") as HTMLInputElement | null;
                    if (box && !box.checked) {
                      e.preventDefault();
                      box.focus();
                    }
                  }}
                >
                  Aceptar
                </button>
                <button
                  type="button"
                  className="button button--secondary"
                  onClick={() => dialogRef.current?.close()}
                >
                  Cancelar
                </button>
              </div>
            </dialog>
          </>
        ) : null}
      </Form>
    </>
  );
}

/**
 * "CONFIRMAR DOCUMENTO CARGADO" saved as soon as a checkbox changes. Each request sends the
 * state of every checkbox, and only one is in flight: a change made meanwhile is sent when it
 * ends, so the last state the applicant left is the one stored, whatever the order of answers.
 */
function useAutosave(convocatoriaId: string, formRef: React.RefObject<HTMLFormElement | null>) {
  const fetcher = useFetcher<{ guardado?: true; errors?: Record<string, string> }>();
  const pending = useRef(false);
  const [changed, setChanged] = useState(false);

  const send = () => {
    const form = formRef.current;
    if (!form) return;
    pending.current = false;
    const body = new FormData(form);
    body.set("intent", AUTOGUARDADO);
    // URL-encoded: the action reads a multipart body as an upload.
    void fetcher.submit(body, { method: "post", action: `/postulacion/${convocatoriaId}`, encType: "application/x-www-form-urlencoded" });
  };
  useEffect(() => {
    if (fetcher.state === "idle" && pending.current) send();
  });
  // A box ticked before the page's script ran is saved as soon as it runs.
  useEffect(() => {
    const boxes = formRef.current?.querySelectorAll<HTMLInputElement>('input[name="confirmar"]') ?? [];
    if ([...boxes].some((box) => !box.disabled && box.checked !== box.defaultChecked)) {
      setChanged(true);
      send();
    }
  }, []);

  const errors = fetcher.data?.errors;
  const message = !changed
    ? ""
    : fetcher.state !== "idle" || pending.current
      ? "Guardando confirmación…"
      : errors
        ? `No se guardó la confirmación: ${Object.values(errors).join(" ")}`
        : fetcher.data?.guardado
          ? "Confirmación guardada."
          : "";
  return {
    message,
    save: () => {
      setChanged(true);
      if (fetcher.state === "idle") send();
      else pending.current = true;
    },
  };
}
