import { data, redirect, type ShouldRevalidateFunctionArgs } from "react-router";
import { CargaForm } from "~/features/postulacion/carga-form";
import { confirmDocumentos } from "~/features/postulacion/confirm-documento.server";
import { DatosPostulacion, EstadoPostulacion } from "~/features/postulacion/datos-postulacion";
import { deleteDocumento } from "~/features/postulacion/delete-documento.server";
import { moveDocumento } from "~/features/postulacion/move-documento.server";
import { useArchivo } from "~/features/postulacion/use-archivo.server";
import { USAR_GUARDADO, UsarGuardadoForm } from "~/features/postulacion/usar-guardado-form";
import { AUTOGUARDADO, DocumentosForm } from "~/features/postulacion/documentos-form";
import { EvidenciasForm, GUARDAR_SUSTENTO } from "~/features/postulacion/evidencias-form";
import { filasDeEvidencia } from "~/features/postulacion/postulacion.schema";
import { saveEvidencias } from "~/features/postulacion/save-evidencias.server";
import { openPostulacion } from "~/features/postulacion/open-postulacion.server";
import { documentosFormSchema } from "~/features/postulacion/postulacion.schema";
import { saveAndFinalizePostulacion } from "~/features/postulacion/save-and-finalize-postulacion.server";
import { answerError, asNotFound } from "~/web/answer-error.server";
import { requirePostulante } from "~/web/auth.server";
import { cargarDocumento } from "~/web/documento-upload.server";
import { invalid, parseForm, readForm, type FormErrors } from "~/web/forms.server";
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
  reutilizado: "Documento cargado. Ya estaba en Mis documentos: no se guardó otra copia.",
  guardado: "Documento guardado agregado. Marque su casilla «CONFIRMAR DOCUMENTO CARGADO».",
  movido: "Orden de los documentos guardado.",
  eliminado: "Documento quitado de esta postulación. Sigue en Mis documentos.",
  confirmado: "Confirmaciones guardadas.",
  sustento: "Sustento de requisitos guardado.",
};

export async function loader({ request, params, context }: Route.LoaderArgs) {
  const { postulante } = await requirePostulante(request, context);
  try {
    const page = await openPostulacion({ services: context.services, postulante, convocatoriaId: params.convocatoriaId });
    const noticeKey = Object.keys(NOTICES).find((k) => new URL(request.url).searchParams.has(k));
    return { ...page, notice: noticeKey ? NOTICES[noticeKey]! : null };
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
    if (result.ok) return redirect(`${base}?${result.reutilizado ? "reutilizado" : "cargado"}=1`);
    // After a cut-off body the connection cannot carry another request.
    const headers: HeadersInit = result.status === 413 ? { Connection: "close" } : {};
    return data({ errors: result.errors, values: result.values } satisfies FormErrors, { status: result.status, headers });
  }

  const { postulante } = await requirePostulante(request, context);
  const formData = await readForm(request, context);
  const { services, logger } = context;
  const parsed = parseForm(documentosFormSchema, formData);
  if (!parsed.ok) return invalid(formData, { form: "Acción desconocida." }, 400);
  const { eliminar, subir, bajar, intent, postulacionId, confirmados, declaracion, acepto } = { ...parsed.data, confirmados: parsed.data.confirmar };
  const postulanteId = postulante.id;
  try {
    if (eliminar) {
      await deleteDocumento({ services, postulanteId, convocatoriaId, documentoId: eliminar });
      logger.info("documento eliminado");
      return redirect(`${base}?eliminado=1`);
    }
    if (subir || bajar) {
      await moveDocumento({ services, postulanteId, convocatoriaId, documentoId: (subir ?? bajar)!, direccion: subir ? "subir" : "bajar" });
      return redirect(`${base}?movido=1`);
    }
    if (intent === GUARDAR_SUSTENTO) {
      const { evidencias } = await saveEvidencias({ services, postulanteId, convocatoriaId, filas: filasDeEvidencia(formData) });
      logger.info({ evidencias }, "sustento guardado");
      return redirect(`${base}?sustento=1#sustento-titulo`);
    }
    if (intent === USAR_GUARDADO) {
      await useArchivo({ services, postulanteId, convocatoriaId, tipo: parsed.data.tipoGuardado, archivoId: parsed.data.archivoId });
      logger.info("documento guardado usado");
      return redirect(`${base}?guardado=1`);
    }
    if (intent === "confirmar" || intent === AUTOGUARDADO) {
      await confirmDocumentos({ db: services.db, postulanteId, postulacionId, confirmados, now: services.clock.now() });
      // A box changed with JavaScript: saved at once, the page stays.
      return intent === AUTOGUARDADO ? { guardado: true as const } : redirect(`${base}?confirmado=1`);
    }
    const finalizar = { services, postulanteId, convocatoriaId, postulacionId, confirmados, declaracion };
    if (intent === "finalizar") {
      // "Guardar y Finalizar Postulación" without JavaScript: save, check, then the confirmation page (2.1.5).
      await saveAndFinalizePostulacion({ ...finalizar, paso: "verificar" });
      return redirect(`${base}/finalizar`);
    }
    if (intent === "aceptar") {
      // "Aceptar" in the confirmation dialog (JavaScript): save, then finalize.
      const done = await saveAndFinalizePostulacion({ ...finalizar, paso: "aceptar", acepto });
      logger.info({ yaRegistrada: done.yaRegistrada }, "postulación finalizada");
      return redirect(`${base}/confirmada`);
    }
    return invalid(formData, { form: "Acción desconocida." }, 400);
  } catch (error) {
    return answerError(error, formData, context, "postulación action", { level: "warn", notFoundPage: true, log: { intent } });
  }
}

/** Saving a confirmation at once changes nothing else the page shows: no reload of its data. */
export function shouldRevalidate({ formData, defaultShouldRevalidate }: ShouldRevalidateFunctionArgs) {
  if (formData?.get("intent") === AUTOGUARDADO) return false;
  return defaultShouldRevalidate;
}

export default function Postulacion({ loaderData, actionData }: Route.ComponentProps) {
  const { convocatoria: c, postulante, postulacion, documentos, tipos, guardados, requisitos, evidencias, notice } = loaderData;
  const result = actionData as ActionData | undefined;
  // The table's form always sends a button's intent or "eliminar" (or "subir"/"bajar"); the upload form never does.
  const fromUsar = result?.values.intent === USAR_GUARDADO;
  const fromSustento = result?.values.intent === GUARDAR_SUSTENTO;
  const fromTable = Boolean(result && !fromUsar && !fromSustento && ["intent", "eliminar", "subir", "bajar"].some((k) => k in result.values));
  const uploadErrors = result && !fromTable && !fromUsar && !fromSustento ? result.errors : undefined;
  const otherErrors = result && fromTable ? result.errors : undefined;
  // Only a draft takes changes: a registrada or desistida postulación is kept as it was registered.
  const editable = Boolean(c.abierta && (!postulacion || postulacion.estado === "en_registro"));

  return (
    <>
      <h1>Postulación</h1>
      {notice && !result ? (
        <p className="notice notice--success" role="status">
          {notice}
        </p>
      ) : null}
      <EstadoPostulacion convocatoria={c} postulacion={postulacion} />

      <DatosPostulacion convocatoria={c} postulante={postulante} />

      <section aria-labelledby="carga-titulo">
        <h2 id="carga-titulo">CARGA DE DOCUMENTOS SUSTENTATORIOS</h2>
        {editable ? (
          <>
            <p>
              Elija el tipo de documento, elija el archivo PDF y presione «CARGAR». «Liberar» quita el archivo elegido antes
              de cargarlo. Puede cargar varios archivos de un mismo tipo (por ejemplo, varios certificados de
              experiencia): se unen en la ficha en el orden de la tabla, que puede cambiar con «Subir» y «Bajar»; el tamaño
              máximo del tipo vale para todos sus archivos juntos. Todo archivo cargado queda en{" "}
              <a href="/mis-documentos">Mis documentos</a>.
            </p>
            <CargaForm convocatoriaId={c.id} tipos={tipos} errors={uploadErrors} values={fromUsar ? undefined : result?.values} />
            <UsarGuardadoForm
              convocatoriaId={c.id} tipos={tipos} guardados={guardados}
              errors={fromUsar ? result?.errors : undefined} values={fromUsar ? result?.values : undefined}
            />
          </>
        ) : null}
        <DocumentosForm
          convocatoria={c} postulacion={postulacion} documentos={documentos} tipos={tipos} editable={editable}
          errors={otherErrors} values={fromSustento ? undefined : result?.values} answer={result}
        />
      </section>

      <EvidenciasForm
        convocatoria={c} postulacion={postulacion} documentos={documentos} requisitos={requisitos} evidencias={evidencias} editable={editable}
        errors={fromSustento ? result?.errors : undefined} values={fromSustento ? result?.values : undefined}
      />
    </>
  );
}
