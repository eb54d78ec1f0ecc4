import { Link } from "react-router";

/** A column after «N° de postulación»: its heading (also each cell's data-label, for the stacked phone layout) and the field it shows. */
type Columna<K extends string> = readonly [titulo: string, campo: K];

/**
 * A table of a convocatoria's postulaciones for the HR office: «N° de postulación» links to the
 * expediente, then the given columns. The Postulaciones page shows its registradas and, apart,
 * its desistidas (issue 17) with it.
 */
export function PostulacionesTabla<K extends string>({
  filas,
  columnas,
}: {
  filas: ({ id: string; numero: string } & Record<K, string>)[];
  columnas: readonly Columna<K>[];
}) {
  return (
    <div className="table-wrap">
      <table>
        <thead>
          <tr>
            <th scope="col">N° de postulación</th>
            {columnas.map(([titulo]) => (
              <th scope="col" key={titulo}>
                {titulo}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {filas.map((f) => (
            <tr key={f.id}>
              <td data-label="N° de postulación">
                <Link to={`/admin/postulaciones/${f.id}`}>{f.numero}</Link>
              </td>
              {columnas.map(([titulo, campo]) => (
                <td data-label={titulo} key={titulo}>
                  {f[campo]}
                </td>
              ))}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
