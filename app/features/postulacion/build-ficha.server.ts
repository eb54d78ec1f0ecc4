import { createReadStream, createWriteStream } from "node:fs";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { pipeline } from "node:stream/promises";
import { and, eq, isNull, or, sql } from "drizzle-orm";
import { postulaciones } from "~/db/schema";
import { formatBytes } from "~/features/convocatorias/format";
import { formatLima } from "~/features/convocatorias/lima";
import { audit } from "~/platform/audit.server";
import type { Services } from "~/platform/services.server";
import { loadExpediente, tipoLabel, type Expediente } from "./expediente.server";
import { fichaKey } from "./keys";
import { mergePdfs } from "./merge-stand-in.server";
import { textPdf } from "./text-pdf-stand-in.server";
import { deleteQuietly } from "./upload-documento.server";

export type Ficha = { key: string; version: number; sha256: string; pages: number; size: number };

/**
 * "Verificar Ficha Postulante": the Ficha de Postulación, one PDF — a cover (convocatoria,
 * applicant, each document with its page range in the ficha, size and SHA-256) followed by
 * every document's SANITISED copy in the drop-down's order (no active content survives).
 *
 * Built once per documentosVersion and kept in storage; later calls return the stored one.
 * Concurrent builds cannot corrupt it: each writes under a NEW key and then records it with
 * a conditional UPDATE (only while documentos_version still matches and only over the key
 * it saw); a loser deletes its file and uses the winner's.
 */
export async function buildFicha(options: { services: Services; postulacionId: string; actorId: string }): Promise<Ficha> {
  const { services, postulacionId } = options;
  for (let attempt = 0; attempt < 5; attempt++) {
    const e = await loadExpediente(services.db, postulacionId);
    if (!e) throw new Error("postulación not found");
    const p = e.postulacion;
    if (p.fichaKey && p.fichaVersion === p.documentosVersion) {
      return { key: p.fichaKey, version: p.fichaVersion, sha256: p.fichaSha256!, pages: p.fichaPages!, size: p.fichaSize! };
    }
    const built = await assemble(services, e);
    const [row] = await services.db.transaction(async (tx) => {
      const rows = await tx
        .update(postulaciones)
        .set({ fichaKey: built.key, fichaVersion: p.documentosVersion, fichaSha256: built.sha256, fichaPages: built.pages, fichaSize: built.size })
        .where(
          and(
            eq(postulaciones.id, p.id),
            eq(postulaciones.documentosVersion, p.documentosVersion),
            p.fichaKey ? eq(postulaciones.fichaKey, p.fichaKey) : isNull(postulaciones.fichaKey),
            or(isNull(postulaciones.fichaVersion), sql`${postulaciones.fichaVersion} <> ${p.documentosVersion}`),
          ),
        )
        .returning({ id: postulaciones.id });
      if (rows.length) {
        await audit(tx, { type: "postulante", id: options.actorId }, "postulacion.ficha_generada", { type: "postulacion", id: p.id }, {
          version: p.documentosVersion,
          sha256: built.sha256,
          pages: built.pages,
        });
      }
      return rows;
    });
    if (row) {
      if (p.fichaKey) await deleteQuietly(services, [p.fichaKey]);
      return { key: built.key, version: p.documentosVersion, sha256: built.sha256, pages: built.pages, size: built.size };
    }
    // Another build (or a document change) won the race: drop ours and look again.
    await deleteQuietly(services, [built.key]);
  }
  throw new Error("ficha could not be recorded after 5 attempts");
}

/** The cover's text; `coverPages` is how many pages the cover itself takes (ranges start after it). */
function coverBlocks(services: Services, e: Expediente, coverPages: number) {
  let next = coverPages + 1;
  const rows = e.documentos.map((d, i) => {
    const from = next;
    next += d.pages;
    const range = d.pages === 1 ? `página ${from}` : `páginas ${from}–${from + d.pages - 1}`;
    return [
      { kind: "text" as const, text: `${i + 1}. ${tipoLabel(d.tipo)}: ${d.filename}` },
      { kind: "text" as const, text: `    En esta ficha: ${range} (${d.pages} ${d.pages === 1 ? "página" : "páginas"}); ${formatBytes(d.size)} (${d.size} bytes)` },
      { kind: "mono" as const, text: `    SHA-256 del archivo recibido: ${d.sha256}` },
    ];
  });
  const p = e.postulante;
  return [
    { kind: "text" as const, text: services.config.entityName },
    { kind: "title" as const, text: "Ficha de Postulación" },
    { kind: "heading" as const, text: "Convocatoria" },
    { kind: "text" as const, text: `${e.convocatoria.codigo} — ${e.convocatoria.puesto}` },
    { kind: "text" as const, text: `Unidad orgánica: ${e.convocatoria.unidadOrganica}` },
    { kind: "heading" as const, text: "Datos del postulante" },
    { kind: "text" as const, text: `Nombres y apellidos: ${e.nombreCompleto}` },
    { kind: "text" as const, text: `Documento de identidad: ${e.documentoIdentidad}` },
    { kind: "text" as const, text: `Correo electrónico: ${p.email}` },
    { kind: "text" as const, text: `Celular: ${p.celular}` },
    { kind: "text" as const, text: `Dirección: ${p.direccion}` },
    {
      kind: "text" as const,
      text: e.postulacion.numero
        ? `Postulación N° ${e.postulacion.numero}, registrada el ${formatLima(e.postulacion.finalizadaAt!)} (hora de Lima)`
        : `Estado: en registro (aún no finalizada). Ficha generada el ${formatLima(services.clock.now())} (hora de Lima)`,
    },
    { kind: "heading" as const, text: `Documentos sustentatorios (${e.documentos.length})` },
    ...rows.flat(),
  ];
}

async function assemble(services: Services, e: Expediente): Promise<Ficha & { key: string }> {
  const dir = await mkdtemp(path.join(tmpdir(), "cas-ficha-"));
  try {
    const inputs = await Promise.all(
      e.documentos.map(async (d, i) => {
        const file = path.join(dir, `doc-${i}.pdf`);
        await pipeline(await services.storage.get(d.sanitizedKey), createWriteStream(file));
        return file;
      }),
    );
    // The cover's own length decides where the documents start: build until it is stable.
    let coverPages = 1;
    let cover = await textPdf(coverBlocks(services, e, coverPages), { title: "Ficha de Postulación" });
    for (let i = 0; i < 3 && cover.pages !== coverPages; i++) {
      coverPages = cover.pages;
      cover = await textPdf(coverBlocks(services, e, coverPages), { title: "Ficha de Postulación" });
    }
    const coverFile = path.join(dir, "cover.pdf");
    await writeFile(coverFile, cover.bytes);
    const out = path.join(dir, "ficha.pdf");
    const merged = await mergePdfs(out, [coverFile, ...inputs]);
    const pages = merged.pages.reduce((a, b) => a + b, 0);
    const key = fichaKey(e.postulacion.id);
    const stored = await services.storage.put(key, createReadStream(out));
    return { key, version: e.postulacion.documentosVersion, sha256: stored.sha256, pages, size: stored.size };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
