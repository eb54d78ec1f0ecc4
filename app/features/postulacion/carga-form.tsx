import { useLayoutEffect, useRef, useState, type DragEvent, type FormEvent } from "react";
import { Form, useRevalidator } from "react-router";
import { CsrfInput, ErrorSummary, fieldId, type FieldErrors } from "~/ui/form";

export type TipoOption = { code: string; label: string; requerido: boolean; maxBytes: number };

const mb = (bytes: number) => `${Math.round(bytes / 1024 / 1024)} MB`;

/**
 * The upload form of "CARGA DE DOCUMENTOS SUSTENTATORIOS": the type (drop-down, in the
 * catalogue's order, required ones marked), the file, "Liberar" and "CARGAR".
 *
 * Without JavaScript it is a plain multipart post to the page (PRG). With JavaScript the
 * same form is sent by XMLHttpRequest to /postulacion/:id/cargar for a progress bar with
 * percent and a cancel button, a file can be dropped on the zone beside the button, and
 * "Liberar" also forgets a dropped file.
 */
export function CargaForm({
  convocatoriaId, tipos, errors, values,
}: {
  convocatoriaId: string;
  tipos: TipoOption[];
  errors: FieldErrors;
  values?: Record<string, string>;
}) {
  const formRef = useRef<HTMLFormElement>(null);
  const fileRef = useRef<HTMLInputElement>(null);
  const xhrRef = useRef<XMLHttpRequest | null>(null);
  const revalidator = useRevalidator();
  const [progress, setProgress] = useState<number | null>(null);
  const [clientErrors, setClientErrors] = useState<FieldErrors>(undefined);
  const [status, setStatus] = useState("");
  const [chosen, setChosen] = useState("");
  const [dragging, setDragging] = useState(false);
  const shown = clientErrors ?? errors;
  // A file chosen before the page's script ran is named as if chosen after.
  useLayoutEffect(() => setChosen(fileRef.current?.files?.[0]?.name ?? ""), []);

  const limitOf = (code: string) => tipos.find((t) => t.code === code)?.maxBytes;

  function onSubmit(event: FormEvent<HTMLFormElement>) {
    const form = event.currentTarget;
    event.preventDefault();
    const data = new FormData(form);
    const tipo = String(data.get("tipo") ?? "");
    const file = fileRef.current?.files?.[0];
    const errs: Record<string, string> = {};
    if (!tipo) errs.tipo = "Seleccione el tipo de documento.";
    if (!file) errs.archivo = "Seleccione el archivo PDF que desea cargar.";
    else if (limitOf(tipo) && file.size > limitOf(tipo)!) {
      errs.archivo = `El archivo supera el tamaño máximo permitido para este tipo de documento (${mb(limitOf(tipo)!)}).`;
    }
    if (Object.keys(errs).length) {
      setClientErrors(errs);
      return;
    }
    setClientErrors({});
    setStatus("");
    const xhr = new XMLHttpRequest();
    xhrRef.current = xhr;
    xhr.open("POST", `/postulacion/${convocatoriaId}/cargar`);
    xhr.setRequestHeader("Accept", "application/json");
    xhr.upload.onprogress = (e) => {
      if (e.lengthComputable) setProgress(Math.min(99, Math.round((e.loaded * 100) / e.total)));
    };
    xhr.onload = () => {
      xhrRef.current = null;
      setProgress(null);
      let body: { ok?: boolean; message?: string; errors?: Record<string, string> } = {};
      try {
        body = JSON.parse(xhr.responseText) as typeof body;
      } catch {
        body = {};
      }
      if (xhr.status === 200 && body.ok) {
        form.reset();
        setChosen("");
        setClientErrors({});
        setStatus(body.message ?? "Documento cargado.");
        void revalidator.revalidate();
      } else if (xhr.status === 403) {
        setClientErrors({ form: "La página caducó. Recárguela e inténtelo de nuevo." });
      } else {
        setClientErrors(body.errors ?? { form: "No se pudo cargar el archivo. Inténtelo de nuevo." });
      }
    };
    xhr.onerror = () => {
      xhrRef.current = null;
      setProgress(null);
      setClientErrors({ archivo: "Se perdió la conexión durante la carga. Inténtelo de nuevo." });
    };
    xhr.onabort = () => {
      xhrRef.current = null;
      setProgress(null);
      setStatus("Carga cancelada. El archivo no se guardó.");
    };
    setProgress(0);
    xhr.send(data);
  }

  function onDrop(event: DragEvent<HTMLDivElement>) {
    event.preventDefault();
    setDragging(false);
    const files = event.dataTransfer.files;
    if (!files.length || !fileRef.current) return;
    const transfer = new DataTransfer();
    transfer.items.add(files[0]!);
    fileRef.current.files = transfer.files;
    setChosen(files[0]!.name);
  }

  const tipoError = shown?.tipo;
  const archivoError = shown?.archivo;
  return (
    <Form
      method="post"
      action={`/postulacion/${convocatoriaId}`}
      encType="multipart/form-data"
      reloadDocument
      ref={formRef}
      onSubmit={onSubmit}
      onReset={() => {
        setChosen("");
        setClientErrors({});
        setStatus("");
      }}
      className="carga-form"
      aria-labelledby="carga-titulo"
    >
      <ErrorSummary errors={shown} labels={{ tipo: "Tipo de documento", archivo: "Archivo" }} />
      <CsrfInput />
      <div className={`field${tipoError ? " field--error" : ""}`}>
        <label htmlFor={fieldId("tipo")}>Tipo de documento</label>
        <div className="hint" id={`${fieldId("tipo")}-hint`}>
          Los marcados con (obligatorio) se requieren para finalizar. Se recomienda cargarlos en el orden de la lista.
        </div>
        {tipoError ? (
          <p className="field-error" id={`${fieldId("tipo")}-error`}>
            <span className="visually-hidden">Error: </span>
            {tipoError}
          </p>
        ) : null}
        <select
          id={fieldId("tipo")}
          name="tipo"
          defaultValue={values?.tipo ?? ""}
          aria-invalid={tipoError ? true : undefined}
          aria-describedby={[`${fieldId("tipo")}-hint`, tipoError ? `${fieldId("tipo")}-error` : ""].filter(Boolean).join(" ")}
        >
          <option value="">Seleccione…</option>
          {tipos.map((t) => (
            <option key={t.code} value={t.code}>
              {`${t.label} ${t.requerido ? "(obligatorio)" : "(opcional)"} — PDF hasta ${mb(t.maxBytes)}`}
            </option>
          ))}
        </select>
      </div>
      <div className={`field${archivoError ? " field--error" : ""}`}>
        <label htmlFor={fieldId("archivo")}>Archivo (PDF)</label>
        {archivoError ? (
          <p className="field-error" id={`${fieldId("archivo")}-error`}>
            <span className="visually-hidden">Error: </span>
            {archivoError}
          </p>
        ) : null}
        <div className="carga-row">
          <input
            ref={fileRef}
            id={fieldId("archivo")}
            name="archivo"
            type="file"
            accept="application/pdf,.pdf"
            aria-invalid={archivoError ? true : undefined}
            aria-describedby={archivoError ? `${fieldId("archivo")}-error` : undefined}
            onChange={(e) => setChosen(e.currentTarget.files?.[0]?.name ?? "")}
          />
          <div
            className={`drop-zone${dragging ? " drop-zone--active" : ""}`}
            onDragOver={(e) => {
              e.preventDefault();
              setDragging(true);
            }}
            onDragLeave={() => setDragging(false)}
            onDrop={onDrop}
            aria-hidden="true"
          >
            {chosen ? `Elegido: ${chosen}` : "O arrastre aquí su archivo PDF"}
          </div>
        </div>
      </div>
      <div className="actions">
        <input type="reset" value="Liberar" className="button button--secondary" disabled={progress !== null} />
        <button type="submit" className="button" disabled={progress !== null}>
          CARGAR
        </button>
      </div>
      {progress !== null ? (
        <div className="upload-progress">
          <label htmlFor="progreso-carga">Cargando: {progress} %</label>
          <progress id="progreso-carga" max={100} value={progress}>
            {progress} %
          </progress>
          <button type="button" className="button button--secondary" onClick={() => xhrRef.current?.abort()}>
            Cancelar carga
          </button>
        </div>
      ) : null}
      <p role="status" className="upload-status">
        {status}
      </p>
    </Form>
  );
}
