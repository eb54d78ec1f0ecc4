import type { Services } from "~/platform/services.server";
import { formatSoles } from "~/shared/format";
import { formatLima } from "~/shared/lima";
import { listConvocatoriasAbiertas } from "./list-convocatorias.server";

/** The open convocatorias as an Atom 1.0 feed and as a JSON Feed 1.1, for feed readers and aggregators. */
const xml = (s: string) =>
  s.replace(/[<>&"']/g, (c) => ({ "<": "&lt;", ">": "&gt;", "&": "&amp;", '"': "&quot;", "'": "&apos;" })[c]!)
    // Control characters XML 1.0 does not allow (tab, LF and CR are fine).
    .replace(/\p{Cc}/gu, (c) => (c === "\t" || c === "\n" || c === "\r" ? c : ""));

async function entradas(services: Services) {
  const now = services.clock.now();
  const items = await listConvocatoriasAbiertas(services.db, now);
  const base = services.config.baseUrl;
  return items.map((c) => ({
    id: `${base}/convocatorias/${c.id}`,
    url: `${base}/convocatorias/${c.id}`,
    title: `${c.codigo} – ${c.puesto}`,
    summary:
      `${c.unidadOrganica}. Vacantes: ${c.vacantes}. Remuneración mensual: ${formatSoles(c.remuneracion)}. ` +
      `Postulación hasta el ${c.postulacionFin ? formatLima(c.postulacionFin) : "—"} (hora de Lima). Lugar: ${c.sede}.`,
    published: c.publishedAt ?? c.updatedAt,
    updated: c.updatedAt,
  }));
}

export async function atomFeed(services: Services): Promise<string> {
  const { baseUrl } = services.config;
  const entityName = (await services.entidad.current()).nombre;
  const items = await entradas(services);
  const updated = items.reduce((max, e) => (e.updated > max ? e.updated : max), "1970-01-01T00:00:00.000Z");
  const entries = items
    .map(
      (e) => `  <entry>
    <id>${xml(e.id)}</id>
    <title>${xml(e.title)}</title>
    <link rel="alternate" type="text/html" href="${xml(e.url)}"/>
    <published>${e.published}</published>
    <updated>${e.updated}</updated>
    <summary>${xml(e.summary)}</summary>
  </entry>`,
    )
    .join("\n");
  return `<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom" xml:lang="es-PE">
  <id>${xml(`${baseUrl}/convocatorias`)}</id>
  <title>${xml(`Convocatorias CAS abiertas · ${entityName}`)}</title>
  <updated>${updated}</updated>
  <author><name>${xml(entityName)}</name></author>
  <link rel="self" type="application/atom+xml" href="${xml(`${baseUrl}/convocatorias/feed.atom`)}"/>
  <link rel="alternate" type="text/html" href="${xml(`${baseUrl}/convocatorias`)}"/>
${entries}
</feed>
`;
}

export async function jsonFeed(services: Services): Promise<string> {
  const { baseUrl } = services.config;
  const entityName = (await services.entidad.current()).nombre;
  const items = await entradas(services);
  return JSON.stringify({
    version: "https://jsonfeed.org/version/1.1",
    title: `Convocatorias CAS abiertas · ${entityName}`,
    home_page_url: `${baseUrl}/convocatorias`,
    feed_url: `${baseUrl}/convocatorias/feed.json`,
    language: "es-PE",
    authors: [{ name: entityName }],
    items: items.map((e) => ({
      id: e.id,
      url: e.url,
      title: e.title,
      content_text: e.summary,
      date_published: e.published,
      date_modified: e.updated,
    })),
  });
}
