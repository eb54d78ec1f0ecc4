/** Title, description, Open Graph and canonical tags for a public page. */
export function seoMeta(p: { title: string; description: string; canonical: string; type?: "website" | "article" }) {
  return [
    { title: p.title },
    { name: "description", content: p.description },
    { property: "og:title", content: p.title },
    { property: "og:description", content: p.description },
    { property: "og:type", content: p.type ?? "website" },
    { property: "og:url", content: p.canonical },
    { property: "og:locale", content: "es_PE" },
    { tagName: "link", rel: "canonical", href: p.canonical },
    { tagName: "link", rel: "alternate", type: "application/atom+xml", title: "Convocatorias abiertas (Atom)", href: "/convocatorias/feed.atom" },
    { tagName: "link", rel: "alternate", type: "application/feed+json", title: "Convocatorias abiertas (JSON Feed)", href: "/convocatorias/feed.json" },
  ];
}
