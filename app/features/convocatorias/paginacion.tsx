import { Link } from "react-router";

/** Page links that keep the current filters (works without JavaScript). */
export function Paginacion({ page, pages, search, label }: { page: number; pages: number; search: string; label: string }) {
  if (pages <= 1) return null;
  const href = (p: number) => {
    const params = new URLSearchParams(search);
    if (p === 1) params.delete("page");
    else params.set("page", String(p));
    const qs = params.toString();
    return qs ? `?${qs}` : "?";
  };
  const numbers = [...new Set([1, page - 2, page - 1, page, page + 1, page + 2, pages])].filter((p) => p >= 1 && p <= pages).sort((a, b) => a - b);
  return (
    <nav aria-label={label} className="paginacion">
      <ul>
        {page > 1 ? (
          <li>
            <Link to={href(page - 1)} rel="prev">
              Anterior
            </Link>
          </li>
        ) : null}
        {numbers.map((p, i) => (
          <li key={p}>
            {i > 0 && p - numbers[i - 1]! > 1 ? <span aria-hidden="true">… </span> : null}
            {p === page ? (
              <span aria-current="page">Página {p}</span>
            ) : (
              <Link to={href(p)} aria-label={`Página ${p}`}>
                {p}
              </Link>
            )}
          </li>
        ))}
        {page < pages ? (
          <li>
            <Link to={href(page + 1)} rel="next">
              Siguiente
            </Link>
          </li>
        ) : null}
      </ul>
    </nav>
  );
}
