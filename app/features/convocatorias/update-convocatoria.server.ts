import { olvidarOpcionesFiltros } from "./list-convocatorias.server";
import { and, eq, ne } from "drizzle-orm";
import { convocatoriaDocumentos, convocatorias } from "~/db/schema";
import { audit, type Actor } from "~/platform/audit.server";
import type { Services } from "~/platform/services.server";
import type { UploadedFile } from "~/shared/uploaded-file";
import type { ConvocatoriaInput, EtapaTexto } from "./convocatoria.schema";
import {
  basesProblem, busquedaDe, codigoRepetido, columnasDe, documentoColumnas, guardarPerfil, perfilDe, perfilDeConvocatoria, documentosElegidos, documentosIguales, isUniqueViolation, replaceDocumentos,
  replaceEtapas, storeBases, validarCronograma, validarUbigeo,
} from "./convocatoria-datos.server";
import type { Exigencia } from "./documentos";
import { AppError } from "~/shared/app-error";
import { convocatoriaNoExiste } from "./errors";
import { hasPostulaciones } from "./has-postulaciones.server";

const CAMPOS = ["codigo", "puesto", "unidadOrganica", "vacantes", "remuneracion", "tipoContrato", "sede", "ubigeo"] as const;
const CAMPOS_PERFIL = [
  "formacionAcademica", "experienciaGeneral", "experienciaEspecifica", "cursosEspecializacion", "conocimientos", "competencias",
] as const;

/**
 * Edits a borrador or a publicada convocatoria. Once published, its application window
 * changes only through extendVentana (with a reason, audited), the types it asks for keep
 * the name, size limit and order they were published with (a borrador's follow the
 * catalogue at each save), and its document requirements cannot change once someone has
 * applied. Finished ones are read-only.
 */
export async function updateConvocatoria(options: {
  services: Services;
  actor: Actor & { type: "staff"; id: string };
  id: string;
  input: ConvocatoriaInput;
  cronograma: EtapaTexto[];
  documentos: Record<string, Exigencia>;
  /** The bases PDF as received (a temp file); stored from the file, not read into memory but for the PDF check. */
  bases?: UploadedFile;
}): Promise<void> {
  const { services, actor, input, id } = options;
  const current = await services.db.query.convocatorias.findFirst({ where: eq(convocatorias.id, id) });
  if (!current) throw convocatoriaNoExiste();
  if (current.estado !== "borrador" && current.estado !== "publicada") {
    throw new AppError("convocatoria.no_modificable", "Una convocatoria concluida, cancelada o desierta ya no se puede modificar.", { status: 409 });
  }
  const { etapas, errors } = validarCronograma(options.cronograma);
  Object.assign(errors, validarUbigeo(input.ubigeo));
  if (options.bases) {
    const problem = await basesProblem(options.bases);
    if (problem) errors.bases = problem;
  }
  const postulacion = etapas.find((e) => e.esPostulacion);
  if (
    current.estado === "publicada" &&
    postulacion &&
    (postulacion.inicio.getTime() !== current.postulacionInicio?.getTime() ||
      postulacion.fin.getTime() !== current.postulacionFin?.getTime())
  ) {
    errors.cronograma =
      "La convocatoria ya está publicada: el plazo de postulación solo se amplía con «Ampliar plazo de postulación».";
  }
  if (Object.keys(errors).length) throw AppError.many("convocatoria.datos_invalidos", errors, "convocatoria invalida");

  const actuales = await services.db
    .select(documentoColumnas)
    .from(convocatoriaDocumentos)
    .where(eq(convocatoriaDocumentos.convocatoriaId, id));
  // A borrador takes the catalogue as it is now; a published one keeps what it published.
  const documentos = await documentosElegidos(services.db, options.documentos, { actuales, conservar: current.estado === "publicada" });
  const documentosCambian = !documentosIguales(actuales, documentos);
  if (documentosCambian && (await hasPostulaciones(services.db, id))) {
    throw new AppError(
      "convocatoria.documentos_con_postulaciones",
      "Ya hay postulaciones a esta convocatoria: los documentos solicitados ya no pueden cambiar.",
      { status: 409, field: "documentos" },
    );
  }
  const otra = await services.db.query.convocatorias.findFirst({
    where: and(eq(convocatorias.codigo, input.codigo), ne(convocatorias.id, id)),
    columns: { id: true },
  });
  if (otra) throw codigoRepetido(input.codigo);

  const values = columnasDe(input);
  const perfil = perfilDe(input);
  const perfilActual = await perfilDeConvocatoria(services.db, id);
  const fields: string[] = [
    ...CAMPOS.filter((k) => String(values[k]) !== String(current[k])),
    ...CAMPOS_PERFIL.filter((k) => perfil[k] !== perfilActual[k]),
  ];
  if (documentosCambian) fields.push("documentos");
  fields.push("cronograma");
  const bases = options.bases ? await storeBases(services.storage, options.bases) : null;
  if (bases) fields.push("bases");
  try {
    await services.db.transaction(async (tx) => {
      const updated = await tx
        .update(convocatorias)
        .set({
          ...values,
          ...(bases ?? {}),
          postulacionInicio: postulacion?.inicio ?? null,
          postulacionFin: postulacion?.fin ?? null,
          busqueda: busquedaDe(input),
          updatedBy: actor.id,
          updatedAt: services.clock.now(),
        })
        // The state may have changed since it was read: only these two states are editable.
        .where(and(eq(convocatorias.id, id), eq(convocatorias.estado, current.estado)))
        .returning({ id: convocatorias.id });
      if (!updated.length) throw new AppError("convocatoria.cambio_de_estado", "La convocatoria cambió de estado mientras la editaba.", { status: 409 });
      await guardarPerfil(tx, id, perfil);
      await replaceEtapas(tx, id, etapas);
      if (documentosCambian) await replaceDocumentos(tx, id, documentos);
      await audit(tx, actor, "convocatoria.actualizada", { type: "convocatoria", id }, {
        fields,
        ...(bases ? { basesSha256: bases.basesSha256 } : {}),
      });
    });
  } catch (error) {
    if (bases) await services.storage.delete(bases.basesKey).catch(() => {});
    if (isUniqueViolation(error)) throw codigoRepetido(input.codigo);
    throw error;
  }
  if (current.estado === "publicada") olvidarOpcionesFiltros(services.db);
  // A replaced bases file is kept in storage (its SHA-256 is in the audit log): what was
  // published once may be needed in a dispute. Downloads always serve the current key.
}
