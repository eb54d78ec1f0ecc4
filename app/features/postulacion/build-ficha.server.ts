import { createWriteStream } from "node:fs";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { pipeline } from "node:stream/promises";
import { and, eq, isNull, or, sql } from "drizzle-orm";
import { postulaciones } from "~/db/schema";
import { formatBytes } from "~/features/convocatorias/format";
import { formatLima } from "~/features/convocatorias/lima";
import { audit } from "~/platform/audit.server";
import { mergePdfs, pageRanges } from "~/platform/pdf/merge.server";
import { renderTextPdf, type TextBlock } from "~/platform/pdf/text-pdf.server";
import type { Services } from "~/platform/services.server";
import { loadExpediente, tipoLabel, type Expediente } from "./expediente.server";
import { fichaKey } from "./keys";
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
export async function buildFicha(options: {
  services: Services;
  postulacionId: string;
  actorId: string;
  /** Who asked for it (the audit row's actor): the applicant, or staff reviewing the expediente. */
  actorType?: "postulante" | "staff";
}): Promise<Ficha> {
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
        await audit(tx, { type: options.actorType ?? "postulante", id: options.actorId }, "postulacion.ficha_generada", { type: "postulacion", id: p.id }, {
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

/** The cover's blocks; `coverPages` is how many pages the cover itself takes (ranges start after it). */
function coverBlocks(services: Services, e: Expediente, coverPages: number): TextBlock[] {
  const ranges = pageRanges([coverPages, ...e.documentos.map((d) => d.pages)]).slice(1);
  const p = e.postulacion;
  return [
    { paragraph: services.config.entityName },
    { title: "Ficha de Postulación" },
    {
      fields: [
        ["Convocatoria", e.convocatoria.codigo],
        ["Puesto", e.convocatoria.puesto],
        ["Unidad orgánica", e.convocatoria.unidadOrganica],
        [
          "Estado",
          p.numero
            ? `Registrada: N° ${p.numero}, el ${formatLima(p.finalizadaAt!)} (hora de Lima)`
            : `En registro (no finalizada); ficha generada el ${formatLima(services.clock.now())} (hora de Lima)`,
        ],
      ],
    },
    { heading: "Datos del postulante" },
    {
      fields: [
        ["Nombres y apellidos", e.nombreCompleto],
        ["Documento de identidad", e.documentoIdentidad],
        ["Correo electrónico", e.postulante.email],
        ["Celular", e.postulante.celular],
        ["Dirección", e.postulante.direccion],
      ],
    },
    { heading: `Documentos sustentatorios (${e.documentos.length})` },
    {
      table: {
        columns: [
          { header: "Documento", width: 3 },
          { header: "Páginas en esta ficha", width: 1.2 },
          { header: "Tamaño", width: 0.9, align: "right" },
          { header: "SHA-256 del archivo recibido", width: 3.2 },
        ],
        rows: e.documentos.map((d, i) => [
          `${tipoLabel(d.tipo)}: ${d.filename}`,
          ranges[i]!.from === ranges[i]!.to ? `${ranges[i]!.from}` : `${ranges[i]!.from}–${ranges[i]!.to}`,
          formatBytes(d.size),
          d.sha256,
        ]),
      },
    },
  ];
}

async function assemble(services: Services, e: Expediente): Promise<Ficha & { key: string }> {
  const dir = await mkdtemp(path.join(tmpdir(), "cas-ficha-"));
  try {
    const inputs = await Promise.all(
      e.documentos.map(async (d, i) => {
        const file = path.join(dir, `doc-${i}.pdf`);
        await pipeline(await services.storage.get(d.sanitizedKey), createWriteStream(file));
        return { path: file, pages: d.pages };
      }),
    );
    // The cover's own length decides where the documents start: build until it is stable.
    let coverPages = 1;
    let cover = await renderTextPdf(coverBlocks(services, e, coverPages), { title: "Ficha de Postulación" });
    for (let i = 0; i < 3 && cover.pages !== coverPages; i++) {
      coverPages = cover.pages;
      cover = await renderTextPdf(coverBlocks(services, e, coverPages), { title: "Ficha de Postulación" });
    }
    const out = path.join(dir, "ficha.pdf");
    const merged = await mergePdfs([{ bytes: cover.bytes, pages: cover.pages }, ...inputs], out);
    const key = fichaKey(e.postulacion.id);
    const stored = await services.storage.putFile(key, out);
    return { key, version: e.postulacion.documentosVersion, sha256: stored.sha256, pages: merged.pages, size: stored.size };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
