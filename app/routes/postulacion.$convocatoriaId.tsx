import { useEffect, useLayoutEffect, useRef, useState } from "react";
import { data, Form, Link, redirect, useFetcher, type ShouldRevalidateFunctionArgs } from "react-router";
import { tipoDocumentoLabel } from "~/features/accounts/documento";
import { formatBytes } from "~/shared/format";
import { formatLima } from "~/shared/lima";
import { CargaForm } from "~/features/postulacion/carga-form";
import { cargarDocumento } from "~/web/documento-upload.server";
import { confirmDocumentos } from "~/features/postulacion/confirm-documento.server";
import { deleteDocumento } from "~/features/postulacion/delete-documento.server";
import { confirmarField } from "~/features/postulacion/errors";
import { finalizePostulacion } from "~/features/postulacion/finalize-postulacion.server";
import { getPostulacionPage } from "~/features/postulacion/get-postulacion.server";
import { ACEPTO_LABEL, ConfirmacionTexto, DECLARACION } from "~/features/postulacion/textos";
import { startPostulacion } from "~/features/postulacion/start-postulacion.server";
import { isAppError } from "~/shared/app-error";
import { answerError, asNotFound } from "~/web/answer-error.server";
import { requirePostulante } from "~/web/auth.server";
import { invalid, readForm, type FormErrors } from "~/web/forms.server";
import { CsrfInput, ErrorSummary, fieldId } from "~/ui/form";
import { FileName } from "~/ui/file-name";
import type { Route } from "./+types/postulacion.$convocatoriaId";

/**
 * The Postulación page (seed 2.1.4): the CAS process, the applicant's data (read-only),
 * "CARGA DE DOCUMENTOS SUSTENTATORIOS", the documents table with "CONFIRMAR DOCUMENTO
 * CARGADO", "Verificar Ficha Postulante", the DECLARACIÓN and "Guardar y Finalizar
 * Postulación". Reached by "POSTULAR": the draft is created (once) while the window is open.
 */
export function meta() {
  return [{ title: "Postulación · CAS Online" }];
}

const NOTICES: Record<string, string> = {
  cargado: "Documento cargado.",
  reemplazado: "Documento reemplazado: el archivo anterior de ese tipo fue eliminado.",
  eliminado: "Documento eliminado.",
  confirmado: "Confirmaciones guardadas.",
};

export async function loader({ request, params, context }: Route.LoaderArgs) {
  const { postulante: p } = await requirePostulante(request, context);
  const { services } = context;
  try {
    // "POSTULAR": get-or-create the draft (only while the window is open; an existing one is kept).
    await startPostulacion({ db: services.db, postulanteId: p.id, convocatoriaId: params.convocatoriaId, now: services.clock.now() }).catch(
      (error: unknown) => {
        if (isAppError(error) && error.status === 409) return null;
        throw error;
      },
    );
    const page = await getPostulacionPage({ services, postulanteId: p.id, convocatoriaId: params.convocatoriaId });
    const url = new URL(request.url);
    const noticeKey = Object.keys(NOTICES).find((k) => url.searchParams.has(k));
    return {
      ...page,
      postulante: {
        nombres: p.nombres,
        apellidos: [p.apellidoPaterno, p.apellidoMaterno].filter(Boolean).join(" "),
        documento: `${tipoDocumentoLabel(p.tipoDocumento)} ${p.numeroDocumento}`,
        email: p.email,
        celular: p.celular,
        direccion: p.direccion,
      },
      notice: noticeKey ? NOTICES[noticeKey]! : null,
    };
  } catch (error) {
    throw asNotFound(error, "No encontramos la convocatoria solicitada.");
  }
}

type ActionData = FormErrors;

export async function action({ request, params, context }: Route.ActionArgs) {
  const { convocatoriaId } = params;
  const base = `/postulacion/${convocatoriaId}`;
  if ((request.headers.get("content-type") ?? "").startsWith("multipart/form-data")) {
    const result = await cargarDocumento(request, context, convocatoriaId);
    if (result.ok) return redirect(`${base}?${result.reemplazo ? "reemplazado" : "cargado"}=1`);
    // After a cut-off body the connection cannot carry another request.
    const headers: HeadersInit = result.status === 413 ? { Connection: "close" } : {};
    return data({ errors: result.errors, values: result.values } satisfies FormErrors, { status: result.status, headers });
  }

  const { postulante } = await requirePostulante(request, context);
  const formData = await readForm(request, context);
  const { services, logger } = context;
  const intent = String(formData.get("intent") ?? "");
  const eliminar = formData.get("eliminar");
  const confirmados = formData.getAll("confirmar").map(String);
  const declaracion = formData.get("declaracion") === "on";
  try {
    if (typeof eliminar === "string" && eliminar) {
      await deleteDocumento({ services, postulanteId: postulante.id, convocatoriaId, documentoId: eliminar });
      logger.info("documento eliminado");
      return redirect(`${base}?eliminado=1`);
    }
    const postulacionId = String(formData.get("postulacionId") ?? "");
    const saveConfirmations = () =>
      confirmDocumentos({ db: services.db, postulanteId: postulante.id, postulacionId, confirmados, now: services.clock.now() });

    if (intent === "confirmar") {
      await saveConfirmations();
      return redirect(`${base}?confirmado=1`);
    }
    if (intent === AUTOGUARDADO) {
      // A checkbox of "CONFIRMAR DOCUMENTO CARGADO" changed (JavaScript): saved at once, the page stays.
      await saveConfirmations();
      return { guardado: true as const };
    }
    if (intent === "finalizar") {
      // "Guardar y Finalizar Postulación" without JavaScript: save, check, then the confirmation page (2.1.5).
      await saveConfirmations();
      await finalizePostulacion({ services, postulanteId: postulante.id, convocatoriaId, declaracion, soloVerificar: true });
      return redirect(`${base}/finalizar`);
    }
    if (intent === "aceptar") {
      // "Aceptar" in the confirmation dialog (JavaScript): save, then finalize.
      await saveConfirmations();
      const done = await finalizePostulacion({
        services,
        postulanteId: postulante.id,
        convocatoriaId,
        declaracion,
        acepto: formData.get("acepto") === "on",
      });
      logger.info({ yaRegistrada: done.yaRegistrada }, "postulación finalizada");
      return redirect(`${base}/confirmada`);
    }
    return invalid(formData, { form: "Acción desconocida." }, 400);
  } catch (error) {
    return answerError(error, formData, context, "postulación action", { level: "warn", notFoundPage: true, log: { intent } });
  }
}

/** The intent of the confirmations saved at once by the page's JavaScript. */
const AUTOGUARDADO = "autoguardar-confirmaciones";

/** Saving a confirmation at once changes nothing else the page shows: no reload of its data. */
export function shouldRevalidate({ formData, defaultShouldRevalidate }: ShouldRevalidateFunctionArgs) {
  if (formData?.get("intent") === AUTOGUARDADO) return false;
  return defaultShouldRevalidate;
}

const LABELS = { declaracion: "DECLARACIÓN", acepto: "Confirmación", archivo: "Documentos" };

export default function Postulacion({ loaderData, actionData }: Route.ComponentProps) {
  const { convocatoria: c, postulante, postulacion, documentos, tipos, notice } = loaderData;
  const result = actionData as ActionData | undefined;
  // The table's form always sends a button's intent or "eliminar"; the upload form never does.
  const fromTable = Boolean(result && ("intent" in result.values || "eliminar" in result.values));
  const uploadErrors = result && !fromTable ? result.errors : undefined;
  const otherErrors = result && fromTable ? result.errors : undefined;
  const registrada = postulacion?.estado === "registrada";
  const editable = Boolean(c.abierta && !registrada);
  const dialogRef = useRef<HTMLDialogElement>(null);
  const tableFormRef = useRef<HTMLFormElement>(null);
  const [hydrated, setHydrated] = useState(false);
  useEffect(() => setHydrated(true), []);
  const autosave = useAutosave(c.id, tableFormRef);
  const requiredUploaded = tipos.filter((t) => t.requerido).every((t) => documentos.some((d) => d.tipo === t.code));
  const cierre = c.postulacionFin ? formatLima(c.postulacionFin) : null;
  // A refused "Aceptar" (JavaScript) answers with errors on this page: close the dialog first (a layout
  // effect, before the error summary's effect focuses it), or the errors stay inert behind the modal.
  useLayoutEffect(() => {
    if (result && dialogRef.current?.open) dialogRef.current.close();
  }, [result]);

  return (
    <>
      <h1>Postulación</h1>
      {notice && !result ? (
        <p className="notice notice--success" role="status">
          {notice}
        </p>
      ) : null}
      {registrada && postulacion ? (
        <div className="notice notice--success" role="status">
          <p>
            <strong>Ya postuló a esta convocatoria.</strong> Su postulación N° {postulacion.numero} fue registrada el{" "}
            {formatLima(postulacion.finalizadaAt!)} (hora de Lima) y ya no admite cambios.
          </p>
          <p>
            <a href={`/postulacion/${postulacion.id}/constancia.pdf`}>Descargar constancia</a> ·{" "}
            <a href={`/postulacion/${postulacion.id}/ficha.pdf`}>Ver Ficha de Postulación</a>
          </p>
        </div>
      ) : null}
      {!registrada && !c.abierta ? (
        <p className="notice notice--warning" role="status">
          {c.cerrada && cierre
            ? `El plazo de postulación terminó el ${cierre} (hora de Lima). Ya no se pueden cargar documentos ni finalizar la postulación.`
            : "Esta convocatoria no está recibiendo postulaciones en este momento."}
          {postulacion ? " Su borrador se conserva y puede consultarlo." : ""}
        </p>
      ) : null}

      <section className="panel" aria-labelledby="proceso-titulo">
        <h2 id="proceso-titulo">Proceso CAS</h2>
        <dl className="summary">
          <dt>Convocatoria</dt>
          <dd>{c.codigo}</dd>
          <dt>Puesto</dt>
          <dd>{c.puesto}</dd>
          <dt>Unidad orgánica</dt>
          <dd>{c.unidadOrganica}</dd>
          {c.postulacionInicio && c.postulacionFin ? (
            <>
              <dt>Plazo de postulación (hora de Lima)</dt>
              <dd>
                Del {formatLima(c.postulacionInicio)} al {formatLima(c.postulacionFin)}
              </dd>
            </>
          ) : null}
        </dl>
      </section>

      <section className="panel" aria-labelledby="datos-titulo">
        <h2 id="datos-titulo">Datos del postulante</h2>
        <dl className="summary">
          <dt>Nombres</dt>
          <dd>{postulante.nombres}</dd>
          <dt>Apellidos</dt>
          <dd>{postulante.apellidos}</dd>
          <dt>Documento de identidad</dt>
          <dd>{postulante.documento}</dd>
          <dt>Correo electrónico</dt>
          <dd>{postulante.email}</dd>
          <dt>Celular</dt>
          <dd>{postulante.celular}</dd>
          <dt>Dirección</dt>
          <dd>{postulante.direccion}</dd>
        </dl>
        <p>
          Si algún dato no es correcto, corríjalo en <Link to="/mi-perfil">Mi Perfil</Link> antes de finalizar.
        </p>
      </section>

      <section aria-labelledby="carga-titulo">
        <h2 id="carga-titulo">CARGA DE DOCUMENTOS SUSTENTATORIOS</h2>
        {editable ? (
          <>
            <p>
              Elija el tipo de documento, elija el archivo PDF y presione «CARGAR». «Liberar» quita el archivo elegido antes
              de cargarlo. Un nuevo archivo de un tipo ya cargado reemplaza al anterior.
            </p>
            <CargaForm convocatoriaId={c.id} tipos={tipos} errors={uploadErrors} values={result?.values} />
          </>
        ) : null}

        {/* Posted to the page's plain address: a notice in the query (?cargado=1) must not stay beside an error. */}
        <Form method="post" action={`/postulacion/${c.id}`} id="documentos-form" aria-label="Documentos cargados" ref={tableFormRef}>
          {otherErrors ? <ErrorSummary errors={otherErrors} labels={LABELS} /> : null}
          <CsrfInput />
          {postulacion ? <input type="hidden" name="postulacionId" value={postulacion.id} /> : null}
          <h3>Documentos cargados</h3>
          {documentos.length === 0 ? (
            <p>Aún no ha cargado documentos.</p>
          ) : (
            <div className="table-wrap">
              <table className="documentos-table">
                <caption className="visually-hidden">Documentos cargados, en el orden de la lista</caption>
                <thead>
                  <tr>
                    <th scope="col">Tipo</th>
                    <th scope="col">Archivo</th>
                    <th scope="col">Tamaño</th>
                    <th scope="col">Páginas</th>
                    <th scope="col">Fecha de carga</th>
                    <th scope="col">Ver</th>
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
                          Ver<span className="visually-hidden"> {d.tipoLabel}</span>
                        </a>
                      </td>
                      {editable ? (
                        <td>
                          <button type="submit" name="eliminar" value={d.id} className="link-button">
                            Eliminar<span className="visually-hidden"> {d.tipoLabel}</span>
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
                          aria-invalid={otherErrors?.[confirmarField(d.id)] ? true : undefined}
                          onChange={autosave.save}
                        />
                        <label htmlFor={fieldId(confirmarField(d.id))} className="visually-hidden">
                          Confirmar {d.tipoLabel}
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
              <fieldset className={`field field--checkbox${otherErrors?.declaracion ? " field--error" : ""}`}>
                <legend>DECLARACIÓN</legend>
                {otherErrors?.declaracion ? (
                  <p className="field-error" id={`${fieldId("declaracion")}-error`}>
                    <span className="visually-hidden">Error: </span>
                    {otherErrors.declaracion}
                  </p>
                ) : null}
                <input
                  type="checkbox"
                  id={fieldId("declaracion")}
                  name="declaracion"
                  defaultChecked={result?.values.declaracion === "on"}
                  aria-invalid={otherErrors?.declaracion ? true : undefined}
                  aria-describedby={otherErrors?.declaracion ? `${fieldId("declaracion")}-error` : undefined}
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
      </section>
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
