import { createWriteStream } from "node:fs";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { pipeline } from "node:stream/promises";
import { and, eq, isNull } from "drizzle-orm";
import { postulaciones } from "~/db/schema";
import { formatBytes } from "~/shared/format";
import { formatLima } from "~/shared/lima";
import { audit } from "~/platform/audit.server";
import { mergePdfs, pageRanges } from "~/platform/pdf/merge.server";
import { logoForPdf } from "~/platform/entity-settings.server";
import { renderTextPdf, type PdfImage, type TextBlock } from "~/platform/pdf/text-pdf.server";
import type { Services } from "~/platform/services.server";
import { loadExpediente, type Expediente } from "./expediente.server";
import { fueRegistrada } from "./estado";
import { REQUISITO_LABEL, type Rango } from "./evidencias";
import { fichaKey } from "./keys";
import { deleteQuietly } from "./upload-documento.server";

export type Ficha = { key: string; version: number; sha256: string; pages: number; size: number; registrada: boolean };

type PostulacionRow = typeof postulaciones.$inferSelect;

/**
 * The stored ficha may be served: built from the current documents, and a registered one
 * once the postulación is registrada (a draft ficha, built before "Aceptar", never is).
 */
export function fichaVigente(p: PostulacionRow): boolean {
  return Boolean(p.fichaKey) && p.fichaVersion === p.documentosVersion && p.fichaRegistrada === fueRegistrada(p.estado);
}

/** Builds in progress in this process, per postulación: concurrent requests share one. */
const building = new WeakMap<Services, Map<string, Promise<Ficha>>>();

/**
 * "Verificar Ficha Postulante", "Ver Ficha de Postulación": the Ficha de Postulación, one
 * PDF — a cover (convocatoria, applicant, the state: "En registro" or "Registrada" with the
 * number and the Lima date and time of registration, each document with its page range in
 * the ficha, size and SHA-256) followed by every document's SANITISED copy in the
 * drop-down's order (no active content survives).
 *
 * Built lazily, on the first request that finds no vigente ficha (fichaVigente), and kept
 * in storage; later calls return the stored one. Finalization does not build it: a merge
 * inside "Aceptar" would slow the deadline rush, and the draft's ficha simply stops being
 * vigente when the postulación becomes registrada (`ficha_registrada` is false).
 * Concurrent calls in one process share one build; across processes each build writes
 * under a NEW key and records it with a conditional UPDATE (only while documentos_version
 * and estado are still the ones it was built from, and only over the key it saw); a loser
 * deletes its file and uses the winner's.
 */
export async function buildFicha(options: {
  services: Services;
  postulacionId: string;
  actorId: string;
  /** Who asked for it (the audit row's actor): the applicant, or staff reviewing the expediente. */
  actorType?: "postulante" | "staff";
}): Promise<Ficha> {
  let mine = building.get(options.services);
  if (!mine) building.set(options.services, (mine = new Map()));
  const pending = mine.get(options.postulacionId);
  if (pending) return pending;
  const started = buildOrReuse(options).finally(() => mine.delete(options.postulacionId));
  mine.set(options.postulacionId, started);
  return started;
}

async function buildOrReuse(options: Parameters<typeof buildFicha>[0]): Promise<Ficha> {
  const { services, postulacionId } = options;
  for (let attempt = 0; attempt < 5; attempt++) {
    const e = await loadExpediente(services.db, postulacionId);
    if (!e) throw new Error("postulación not found");
    const p = e.postulacion;
    if (fichaVigente(p)) {
      return { key: p.fichaKey!, version: p.fichaVersion!, sha256: p.fichaSha256!, pages: p.fichaPages!, size: p.fichaSize!, registrada: p.fichaRegistrada };
    }
    const registrada = fueRegistrada(p.estado);
    const built = await assemble(services, e);
    const [row] = await services.db.transaction(async (tx) => {
      const rows = await tx
        .update(postulaciones)
        .set({
          fichaKey: built.key,
          fichaVersion: p.documentosVersion,
          fichaSha256: built.sha256,
          fichaPages: built.pages,
          fichaSize: built.size,
          fichaRegistrada: registrada,
        })
        .where(
          and(
            eq(postulaciones.id, p.id),
            eq(postulaciones.documentosVersion, p.documentosVersion),
            // A draft's build that ends after "Aceptar" must not record a draft as the registered ficha.
            eq(postulaciones.estado, p.estado),
            p.fichaKey ? eq(postulaciones.fichaKey, p.fichaKey) : isNull(postulaciones.fichaKey),
          ),
        )
        .returning({ id: postulaciones.id });
      if (rows.length) {
        await audit(tx, { type: options.actorType ?? "postulante", id: options.actorId }, "postulacion.ficha_generada", { type: "postulacion", id: p.id }, {
          version: p.documentosVersion,
          registrada,
          sha256: built.sha256,
          pages: built.pages,
        });
      }
      return rows;
    });
    if (row) {
      if (p.fichaKey) await deleteQuietly(services, [p.fichaKey]);
      return { ...built, version: p.documentosVersion, registrada };
    }
    // Another build (or a document change, or "Aceptar") won the race: drop ours and look again.
    await deleteQuietly(services, [built.key]);
  }
  throw new Error("ficha could not be recorded after 5 attempts");
}

/** The cover's blocks; `coverPages` is how many pages the cover itself takes (ranges start after it). */
function coverBlocks(services: Services, e: Expediente, coverPages: number, entidad: string, logo: PdfImage | null): TextBlock[] {
  const ranges = pageRanges([coverPages, ...e.documentos.map((d) => d.pages)]).slice(1);
  const p = e.postulacion;
  // A desistida's ficha is what was registered: the same cover (the desistimiento has its own constancia).
  const estado: TextBlock[] =
    fueRegistrada(p.estado)
      ? [
          {
            fields: [
              ["Estado", "Registrada"],
              ["Número de postulación", p.numero!],
              ["Fecha y hora de registro", `${formatLima(p.finalizadaAt!)} (hora de Lima)`],
            ],
          },
        ]
      : [
          {
            fields: [
              ["Estado", "En registro (no finalizada)"],
              ["Ficha generada el", `${formatLima(services.clock.now())} (hora de Lima)`],
            ],
          },
          { paragraph: "Esta ficha es una vista previa: la postulación aún no ha sido registrada y no tiene número." },
        ];
  return [
    ...(logo ? [{ image: logo, height: 40 }] : []),
    { paragraph: entidad },
    { title: "Ficha de Postulación" },
    {
      fields: [
        ["Convocatoria", e.convocatoria.codigo],
        ["Puesto", e.convocatoria.puesto],
        ["Unidad orgánica", e.convocatoria.unidadOrganica],
      ],
    },
    ...estado,
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
          `${d.tipoNombre}: ${d.filename}`,
          ranges[i]!.from === ranges[i]!.to ? `${ranges[i]!.from}` : `${ranges[i]!.from}–${ranges[i]!.to}`,
          formatBytes(d.size),
          d.sha256,
        ]),
      },
    },
    ...sustentoBlocks(e, ranges),
  ];
}

/**
 * "Sustento de requisitos del perfil" (issue 17): each requirement's file and pages, and where
 * those pages are in this ficha (the file's first page is `ranges[i].from`; its pages are merged
 * as uploaded, none added), so the reader of the printed ficha goes straight to them.
 */
function sustentoBlocks(e: Expediente, ranges: { from: number; to: number }[]): TextBlock[] {
  if (!e.evidencias.length) return [];
  const inicio = new Map(e.documentos.map((d, i) => [d.id, ranges[i]!.from]));
  const enFicha = (documentoId: string, rangos: Rango[]) => {
    const desde = inicio.get(documentoId)! - 1;
    return rangos.map((r) => (r.desde === r.hasta ? `${desde + r.desde}` : `${desde + r.desde}–${desde + r.hasta}`)).join(", ");
  };
  return [
    { heading: "Sustento de requisitos del perfil" },
    { paragraph: "Indicado por el postulante: el documento y sus páginas que acreditan cada requisito del perfil del puesto." },
    {
      table: {
        columns: [
          { header: "Requisito", width: 1.6 },
          { header: "Documento", width: 3 },
          { header: "Páginas del documento", width: 1.2 },
          { header: "Páginas en esta ficha", width: 1.2 },
        ],
        rows: e.evidencias.map((v) => [REQUISITO_LABEL[v.requisito], `${v.tipoNombre}: ${v.filename}`, v.paginas, enFicha(v.documentoId, v.rangos)]),
      },
    },
  ];
}

async function assemble(services: Services, e: Expediente): Promise<Omit<Ficha, "version" | "registrada">> {
  const dir = await mkdtemp(path.join(tmpdir(), "cas-ficha-"));
  try {
    const inputs = await Promise.all(
      e.documentos.map(async (d, i) => {
        const file = path.join(dir, `doc-${i}.pdf`);
        await pipeline(await services.storage.get(d.sanitizedKey), createWriteStream(file));
        return { path: file, pages: d.pages };
      }),
    );
    const p = e.postulacion;
    const entity = await services.entidad.current();
    const logo = await logoForPdf(services.storage, entity);
    const documentPages = e.documentos.reduce((sum, d) => sum + d.pages, 0);
    const render = (coverPages: number) =>
      renderTextPdf(coverBlocks(services, e, coverPages, entity.nombre, logo), {
        title: p.numero ? `Ficha de Postulación N° ${p.numero}` : "Ficha de Postulación (en registro)",
        author: entity.nombre,
        createdAt: services.clock.now(),
        footer: p.numero ? `Ficha de Postulación N° ${p.numero}` : "Ficha de Postulación (en registro)",
        documentPages: coverPages + documentPages,
      });
    // The cover's own length decides where the documents start: build until it is stable.
    let coverPages = 1;
    let cover = await render(coverPages);
    for (let i = 0; i < 3 && cover.pages !== coverPages; i++) {
      coverPages = cover.pages;
      cover = await render(coverPages);
    }
    const out = path.join(dir, "ficha.pdf");
    const merged = await mergePdfs([{ bytes: cover.bytes, pages: cover.pages }, ...inputs], out, { infoFromFirst: true });
    const key = fichaKey(p.id);
    const stored = await services.storage.putFile(key, out);
    return { key, sha256: stored.sha256, pages: merged.pages, size: stored.size };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
