import { eq } from "drizzle-orm";
import { convocatorias } from "~/db/schema";
import { audit, type Actor } from "~/platform/audit.server";
import type { Services } from "~/platform/services.server";
import type { UploadedFile } from "~/shared/uploaded-file";
import type { ConvocatoriaInput, EtapaTexto } from "./convocatoria.schema";
import {
  basesProblem, busquedaDe, codigoRepetido, columnasDe, documentosElegidos, guardarPerfil, perfilDe, isUniqueViolation, replaceDocumentos, replaceEtapas,
  storeBases, validarCronograma, validarUbigeo,
} from "./convocatoria-datos.server";
import type { Exigencia } from "./documentos";
import { AppError } from "~/shared/app-error";

/**
 * Creates a convocatoria as borrador with its cronograma, document requirements (picked from
 * the catalogue: `documentos` by the form's row keys) and, when given, its bases. Nothing is saved when any rule fails.
 */
export async function createConvocatoria(options: {
  services: Services;
  actor: Actor & { type: "staff"; id: string };
  input: ConvocatoriaInput;
  cronograma: EtapaTexto[];
  documentos: Record<string, Exigencia>;
  /** The bases PDF as received (a temp file); stored from the file, not read into memory but for the PDF check. */
  bases?: UploadedFile;
}): Promise<{ id: string }> {
  const { services, actor, input } = options;
  const { etapas, errors } = validarCronograma(options.cronograma);
  Object.assign(errors, validarUbigeo(input.ubigeo));
  if (options.bases) {
    const problem = await basesProblem(options.bases);
    if (problem) errors.bases = problem;
  }
  if (Object.keys(errors).length) throw AppError.many("convocatoria.datos_invalidos", errors, "convocatoria invalida");
  const existing = await services.db.query.convocatorias.findFirst({
    where: eq(convocatorias.codigo, input.codigo),
    columns: { id: true },
  });
  if (existing) throw codigoRepetido(input.codigo);

  // Each type's name, size limit and order as the catalogue has them now (docs/convocatorias.md).
  const documentos = await documentosElegidos(services.db, options.documentos);
  const bases = options.bases ? await storeBases(services.storage, options.bases) : null;
  const postulacion = etapas.find((e) => e.esPostulacion);
  try {
    return await services.db.transaction(async (tx) => {
      const [row] = await tx
        .insert(convocatorias)
        .values({
          ...columnasDe(input),
          ...(bases ?? {}),
          postulacionInicio: postulacion?.inicio ?? null,
          postulacionFin: postulacion?.fin ?? null,
          busqueda: busquedaDe(input),
          createdBy: actor.id,
          updatedBy: actor.id,
        })
        .returning({ id: convocatorias.id });
      const id = row!.id;
      await guardarPerfil(tx, id, perfilDe(input));
      await replaceEtapas(tx, id, etapas);
      await replaceDocumentos(tx, id, documentos);
      await audit(tx, actor, "convocatoria.creada", { type: "convocatoria", id }, {
        codigo: input.codigo,
        basesSha256: bases?.basesSha256 ?? null,
      });
      return { id };
    });
  } catch (error) {
    if (bases) await services.storage.delete(bases.basesKey).catch(() => {});
    if (isUniqueViolation(error)) throw codigoRepetido(input.codigo);
    throw error;
  }
}
