import { sql } from "drizzle-orm";
import {
  bigint, bigserial, boolean, char, check, date, index, integer, jsonb, numeric, pgEnum, pgSequence, pgTable, primaryKey, smallint, text,
  timestamp, uniqueIndex, uuid,
} from "drizzle-orm/pg-core";

const timestamps = {
  createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
  updatedAt: timestamp("updated_at", { withTimezone: true }).notNull().defaultNow(),
};

// ---------------------------------------------------------------- accounts

export const tipoDocumento = pgEnum("tipo_documento", ["DNI", "CE", "PASAPORTE", "PTP"]);
export const sexo = pgEnum("sexo", ["F", "M"]);
export const staffRole = pgEnum("staff_role", ["administrador", "gestor", "evaluador"]);

export const postulantes = pgTable(
  "postulantes",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    /** ISO 3166-1 alpha-2; "PE" for Peruvians. */
    nacionalidad: char("nacionalidad", { length: 2 }).notNull(),
    tipoDocumento: tipoDocumento("tipo_documento").notNull(),
    numeroDocumento: text("numero_documento").notNull(),
    nombres: text("nombres").notNull(),
    apellidoPaterno: text("apellido_paterno").notNull(),
    apellidoMaterno: text("apellido_materno"),
    fechaNacimiento: date("fecha_nacimiento").notNull(),
    sexo: sexo("sexo").notNull(),
    /** Stored lower-cased; unique. */
    email: text("email").notNull(),
    emailVerifiedAt: timestamp("email_verified_at", { withTimezone: true }),
    celular: text("celular").notNull(),
    telefono: text("telefono"),
    /** ISO 3166-1 alpha-2 of the address; the ubigeo applies only to "PE". */
    paisResidencia: char("pais_residencia", { length: 2 }).notNull().default("PE"),
    direccion: text("direccion").notNull(),
    /** INEI district code (six digits) when the address is in Peru. */
    ubigeo: char("ubigeo", { length: 6 }),
    passwordHash: text("password_hash").notNull(),
    /** Ley 29733: which privacy notice was accepted, and when. */
    consentVersion: text("consent_version").notNull(),
    consentAt: timestamp("consent_at", { withTimezone: true }).notNull(),
    ...timestamps,
  },
  (t) => [
    uniqueIndex("postulantes_documento_uq").on(t.tipoDocumento, t.numeroDocumento),
    uniqueIndex("postulantes_email_uq").on(t.email),
  ],
);

export const staff = pgTable(
  "staff",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    email: text("email").notNull(),
    nombre: text("nombre").notNull(),
    role: staffRole("role").notNull(),
    passwordHash: text("password_hash").notNull(),
    disabledAt: timestamp("disabled_at", { withTimezone: true }),
    ...timestamps,
  },
  (t) => [uniqueIndex("staff_email_uq").on(t.email)],
);

/** Server-side sessions. The cookie carries a random token; only its SHA-256 is stored. */
export const sessions = pgTable(
  "sessions",
  {
    idHash: text("id_hash").primaryKey(),
    postulanteId: uuid("postulante_id").references(() => postulantes.id, { onDelete: "cascade" }),
    staffId: uuid("staff_id").references(() => staff.id, { onDelete: "cascade" }),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
    lastSeenAt: timestamp("last_seen_at", { withTimezone: true }).notNull().defaultNow(),
    /** Absolute end (12 hours after sign-in), whatever the activity. */
    expiresAt: timestamp("expires_at", { withTimezone: true }).notNull(),
    /** Staff only: when this session passed the second factor (null: password only). */
    mfaVerifiedAt: timestamp("mfa_verified_at", { withTimezone: true }),
  },
  (t) => [index("sessions_postulante_idx").on(t.postulanteId), index("sessions_staff_idx").on(t.staffId)],
);

export const tokenKind = pgEnum("token_kind", ["verificar_email", "restablecer_password", "deshacer_cambio_email"]);

/** Single-use e-mailed links; only the SHA-256 of the token is stored. */
export const accountTokens = pgTable(
  "account_tokens",
  {
    idHash: text("id_hash").primaryKey(),
    kind: tokenKind("kind").notNull(),
    postulanteId: uuid("postulante_id").notNull().references(() => postulantes.id, { onDelete: "cascade" }),
    /** For verification: the address being verified (it may have changed since). For undoing an e-mail change: the old address. */
    email: text("email"),
    expiresAt: timestamp("expires_at", { withTimezone: true }).notNull(),
    usedAt: timestamp("used_at", { withTimezone: true }),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index("account_tokens_postulante_idx").on(t.postulanteId)],
);

/** Failed-login counters, per account and per IP (keys are hashed, never raw numbers). */
export const loginThrottle = pgTable("login_throttle", {
  key: text("key").primaryKey(),
  failures: integer("failures").notNull().default(0),
  lastFailureAt: timestamp("last_failure_at", { withTimezone: true }).notNull().defaultNow(),
  blockedUntil: timestamp("blocked_until", { withTimezone: true }),
});

// ---------------------------------------------------------------- audit

export const auditLog = pgTable(
  "audit_log",
  {
    id: bigserial("id", { mode: "number" }).primaryKey(),
    at: timestamp("at", { withTimezone: true }).notNull().defaultNow(),
    actorType: text("actor_type", { enum: ["postulante", "staff", "system"] }).notNull(),
    actorId: uuid("actor_id"),
    event: text("event").notNull(),
    entityType: text("entity_type").notNull(),
    entityId: text("entity_id"),
    details: jsonb("details").$type<Record<string, unknown>>().notNull().default(sql`'{}'::jsonb`),
  },
  (t) => [index("audit_log_entity_idx").on(t.entityType, t.entityId), index("audit_log_at_idx").on(t.at)],
);

// ---------------------------------------------------------------- outbox

export type OutboxAttachment = { filename: string; storageKey: string; contentType: string };

/**
 * Durable e-mail outbox: a row is written in the same transaction as its cause and
 * delivered by the mail worker. `causeKey` is unique, so one cause never yields two messages.
 */
export const outbox = pgTable(
  "outbox",
  {
    id: bigserial("id", { mode: "number" }).primaryKey(),
    causeKey: text("cause_key").notNull(),
    to: text("to").notNull(),
    subject: text("subject").notNull(),
    text: text("text").notNull(),
    html: text("html"),
    attachments: jsonb("attachments").$type<OutboxAttachment[]>().notNull().default(sql`'[]'::jsonb`),
    /** Extra header fields of the message, e.g. an alert's List-Unsubscribe and List-Unsubscribe-Post (RFC 8058). */
    headers: jsonb("headers").$type<Record<string, string>>().notNull().default(sql`'{}'::jsonb`),
    status: text("status", { enum: ["pendiente", "enviado", "fallido"] }).notNull().default("pendiente"),
    attempts: integer("attempts").notNull().default(0),
    nextAttemptAt: timestamp("next_attempt_at", { withTimezone: true }).notNull().defaultNow(),
    lockedUntil: timestamp("locked_until", { withTimezone: true }),
    sentAt: timestamp("sent_at", { withTimezone: true }),
    lastError: text("last_error"),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex("outbox_cause_uq").on(t.causeKey),
    index("outbox_due_idx").on(t.nextAttemptAt).where(sql`status = 'pendiente'`),
  ],
);


// ---------------------------------------------------------------- convocatorias

export const tipoContrato = pgEnum("tipo_contrato", ["indeterminado", "necesidad_transitoria", "suplencia", "confianza"]);

/**
 * The stored states. "En postulación" and "en evaluación" are not stored: they are
 * derived from the window (postulacion_inicio/fin) and the clock, in SQL and in code
 * (app/features/convocatorias/estado.ts).
 */
export const estadoConvocatoria = pgEnum("estado_convocatoria", [
  "borrador",
  "publicada",
  "concluida",
  "cancelada",
  "desierta",
]);

export const convocatorias = pgTable(
  "convocatorias",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    /** Such as "CAS N° 001-2026-MIGRACIONES"; unique. */
    codigo: text("codigo").notNull(),
    puesto: text("puesto").notNull(),
    unidadOrganica: text("unidad_organica").notNull(),
    vacantes: integer("vacantes").notNull(),
    /** Monthly pay in soles (S/). */
    remuneracion: numeric("remuneracion", { precision: 10, scale: 2 }).notNull(),
    tipoContrato: tipoContrato("tipo_contrato").notNull(),
    /** Lugar de prestación: the office (sede) and its INEI district code. */
    sede: text("sede").notNull(),
    ubigeo: char("ubigeo", { length: 6 }).notNull(),
    // The profile's requirements (perfil del puesto) are in convocatoria_perfiles: wide texts a
    // search never reads (bench/README.md, "The deadline-day crowd").
    /** The bases PDF in storage (null until uploaded). */
    basesKey: text("bases_key"),
    basesFilename: text("bases_filename"),
    basesSize: integer("bases_size"),
    basesSha256: text("bases_sha256"),
    estado: estadoConvocatoria("estado").notNull().default("borrador"),
    /** Why it was declared cancelada or desierta. */
    motivo: text("motivo"),
    publishedAt: timestamp("published_at", { withTimezone: true }),
    /** When it became concluida, cancelada or desierta. */
    closedAt: timestamp("closed_at", { withTimezone: true }),
    /**
     * The application window (the cronograma's Postulación stage), kept here too so the
     * server checks it and the public list filters on it without a join. Written only by
     * the convocatoria use cases, in the same transaction as the etapa row.
     */
    postulacionInicio: timestamp("postulacion_inicio", { withTimezone: true }),
    postulacionFin: timestamp("postulacion_fin", { withTimezone: true }),
    /** lower-cased, accents stripped: código, puesto and unidad orgánica (see normalize.ts). */
    busqueda: text("busqueda").notNull().default(""),
    createdBy: uuid("created_by").references(() => staff.id),
    updatedBy: uuid("updated_by").references(() => staff.id),
    ...timestamps,
  },
  (t) => [
    uniqueIndex("convocatorias_codigo_uq").on(t.codigo),
    // The public list: published ones, newest first.
    index("convocatorias_publicas_idx").on(t.publishedAt.desc()).where(sql`estado <> 'borrador'`),
    check("convocatorias_vacantes_ck", sql`${t.vacantes} between 1 and 500`),
    check("convocatorias_remuneracion_ck", sql`${t.remuneracion} > 0`),
    check("convocatorias_ventana_ck", sql`${t.postulacionFin} > ${t.postulacionInicio}`),
    check("convocatorias_publicada_ck", sql`${t.estado} = 'borrador' or ${t.publishedAt} is not null`),
  ],
);

/**
 * The profile's requirements (perfil del puesto) of a convocatoria, plain text, one item a
 * line; one row per convocatoria, written with it. Kept apart so the rows the public list and
 * its searches read stay narrow (a few hundred bytes, not kilobytes): their cost follows the
 * matches, not the width of the texts only the detail shows.
 */
export const convocatoriaPerfiles = pgTable("convocatoria_perfiles", {
  convocatoriaId: uuid("convocatoria_id")
    .primaryKey()
    .references(() => convocatorias.id, { onDelete: "cascade" }),
  formacionAcademica: text("formacion_academica").notNull().default(""),
  experienciaGeneral: text("experiencia_general").notNull().default(""),
  experienciaEspecifica: text("experiencia_especifica").notNull().default(""),
  cursosEspecializacion: text("cursos_especializacion").notNull().default(""),
  conocimientos: text("conocimientos").notNull().default(""),
  competencias: text("competencias").notNull().default(""),
});

/** The cronograma: ordered stages, each with its start and end (stored UTC, shown in Lima time). */
export const cronogramaEtapas = pgTable(
  "cronograma_etapas",
  {
    convocatoriaId: uuid("convocatoria_id").notNull().references(() => convocatorias.id, { onDelete: "cascade" }),
    orden: smallint("orden").notNull(),
    nombre: text("nombre").notNull(),
    inicio: timestamp("inicio", { withTimezone: true }).notNull(),
    fin: timestamp("fin", { withTimezone: true }).notNull(),
    /** The Postulación stage: the application window (mirrored on convocatorias). */
    esPostulacion: boolean("es_postulacion").notNull().default(false),
  },
  (t) => [
    primaryKey({ columns: [t.convocatoriaId, t.orden] }),
    uniqueIndex("cronograma_una_postulacion_uq").on(t.convocatoriaId).where(sql`es_postulacion`),
    check("cronograma_fechas_ck", sql`${t.fin} > ${t.inicio}`),
  ],
);

/**
 * The catalogue of supporting-document types the administrador keeps (/admin/tipos-documento,
 * docs/administracion.md). Migration 0009 seeded the rows of the seed's manual; a type is never
 * deleted, only retired (`activo` false: no longer offered to new convocatorias). `identidad`
 * and `bonificacion` are the domain's traits of the seeded codes: no use case writes them.
 */
export const tiposDocumento = pgTable(
  "tipos_documento",
  {
    codigo: text("codigo").primaryKey(),
    nombre: text("nombre").notNull(),
    maxBytes: integer("max_bytes").notNull(),
    requeridoPorDefecto: boolean("requerido_por_defecto").notNull(),
    orden: integer("orden").notNull(),
    activo: boolean("activo").notNull().default(true),
    /** The identity document of a Peruvian (DNI) or of a foreigner (Carnet de extranjería / otro). */
    identidad: text("identidad", { enum: ["peruano", "extranjero"] }),
    /** A bonificación's sustento: never required by default. */
    bonificacion: boolean("bonificacion").notNull().default(false),
    ...timestamps,
  },
  (t) => [
    uniqueIndex("tipos_documento_nombre_uq").on(sql`lower(${t.nombre})`),
    check("tipos_documento_max_bytes_ck", sql`${t.maxBytes} between 1048576 and 20971520`),
  ],
);

/**
 * The document types a convocatoria accepts (a row) and requires (requerido). `tipo` is a
 * code of the catalogue (tipos_documento); `nombre`, `max_bytes` and `orden` are the
 * catalogue's values when the convocatoria picked it, kept so that a change to the catalogue
 * never changes the rules of a call already published.
 */
export const convocatoriaDocumentos = pgTable(
  "convocatoria_documentos",
  {
    convocatoriaId: uuid("convocatoria_id").notNull().references(() => convocatorias.id, { onDelete: "cascade" }),
    tipo: text("tipo").notNull().references(() => tiposDocumento.codigo),
    requerido: boolean("requerido").notNull(),
    nombre: text("nombre").notNull(),
    maxBytes: integer("max_bytes").notNull(),
    orden: integer("orden").notNull(),
  },
  (t) => [primaryKey({ columns: [t.convocatoriaId, t.tipo] })],
);

/** The Declaraciones Juradas format files the public downloads ("Descargar", seed 2.1.2). */
export const declaracionesJuradasFormatos = pgTable(
  "declaraciones_juradas_formatos",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    titulo: text("titulo").notNull(),
    orden: integer("orden").notNull(),
    storageKey: text("storage_key").notNull(),
    filename: text("filename").notNull(),
    contentType: text("content_type").notNull(),
    size: integer("size").notNull(),
    sha256: text("sha256").notNull(),
    /** Retired formats are kept (audit) but no longer listed. */
    retiradoAt: timestamp("retirado_at", { withTimezone: true }),
    createdBy: uuid("created_by").references(() => staff.id),
    ...timestamps,
  },
  (t) => [index("dj_formatos_orden_idx").on(t.orden)],
);

// ---------------------------------------------------------------- postulación

/**
 * en_registro: a draft (documents uploaded, not finalized); registrada: finalized, immutable;
 * desistida: the applicant withdrew a registrada one while the window was open (issue 17) — kept
 * with its number, files and history, out of the evaluation, never registered again.
 */
export const estadoPostulacion = pgEnum("estado_postulacion", ["en_registro", "registrada", "desistida"]);

/** The postulación number, assigned at finalization (shown as e.g. "2026-000123"). */
export const postulacionNumeroSeq = pgSequence("postulacion_numero_seq", { startWith: 1 });

export const postulaciones = pgTable(
  "postulaciones",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    convocatoriaId: uuid("convocatoria_id").notNull().references(() => convocatorias.id),
    postulanteId: uuid("postulante_id").notNull().references(() => postulantes.id),
    estado: estadoPostulacion("estado").notNull().default("en_registro"),
    /** Set once, at finalization. */
    numero: text("numero"),
    finalizadaAt: timestamp("finalizada_at", { withTimezone: true }),
    /** The DECLARACIÓN checkbox, recorded at finalization. */
    declaracionAt: timestamp("declaracion_at", { withTimezone: true }),
    /** Bumped by every upload or removal; the ficha is rebuilt when it is behind. */
    documentosVersion: integer("documentos_version").notNull().default(0),
    fichaKey: text("ficha_key"),
    fichaVersion: integer("ficha_version"),
    fichaSha256: text("ficha_sha256"),
    fichaPages: integer("ficha_pages"),
    fichaSize: integer("ficha_size"),
    /**
     * The stored ficha's cover says "Registrada" (it was built after finalization). A ficha
     * built while en_registro is a draft and is never served once the postulación is registrada;
     * rows from before this column default to false, so their ficha is rebuilt on first request.
     */
    fichaRegistrada: boolean("ficha_registrada").notNull().default(false),
    constanciaKey: text("constancia_key"),
    /** "Desistir de la postulación" (issue 17): when, the applicant's optional reason and the constancia de desistimiento. */
    desistidaAt: timestamp("desistida_at", { withTimezone: true }),
    motivoDesistimiento: text("motivo_desistimiento"),
    constanciaDesistimientoKey: text("constancia_desistimiento_key"),
    ...timestamps,
  },
  (t) => [
    // One postulación per applicant and convocatoria (seed 2.1.6); a desistida keeps its row, so it is not applied to again.
    uniqueIndex("postulaciones_postulante_convocatoria_uq").on(t.postulanteId, t.convocatoriaId),
    uniqueIndex("postulaciones_numero_uq").on(t.numero),
    index("postulaciones_convocatoria_idx").on(t.convocatoriaId, t.estado),
    check(
      "postulaciones_registrada_ck",
      sql`${t.estado} = 'en_registro' or (${t.numero} is not null and ${t.finalizadaAt} is not null)`,
    ),
    check(
      "postulaciones_desistida_ck",
      // estado::text: the migration that adds the enum value cannot use it in the same transaction.
      sql`(${t.estado}::text = 'desistida') = (${t.desistidaAt} is not null and ${t.constanciaDesistimientoKey} is not null)`,
    ),
    check("postulaciones_motivo_desistimiento_ck", sql`char_length(${t.motivoDesistimiento}) <= 500`),
  ],
);

/**
 * "Mis documentos" (issue 17): every PDF an applicant uploaded, kept once per content — the
 * same bytes uploaded again (to this or another postulación) reuse the row and store nothing
 * new. The original is kept as received (originalKey); the sanitised copy (sanitizedKey) is
 * what a ficha is made of — for a file without active content it is the original itself
 * (sanitizedKey = originalKey). A row exists only once its files are stored. `tipo` is the
 * type it was first uploaded as (a code of tipos_documento); a postulación may use it as
 * another. `lastUsedAt` moves with every upload, use or removal from a postulación; the
 * retention sweep (Ley 29733, docs/mis-documentos.md) deletes a row no postulación uses and
 * nobody touched for ARCHIVOS_RETENCION_DIAS, `avisoRetencionAt` after its e-mail notice.
 */
export const archivos = pgTable(
  "archivos",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    postulanteId: uuid("postulante_id").notNull().references(() => postulantes.id, { onDelete: "cascade" }),
    tipo: text("tipo").notNull(),
    /** The applicant's file name, for display only (never a path). */
    filename: text("filename").notNull(),
    size: integer("size").notNull(),
    sha256: text("sha256").notNull(),
    pages: integer("pages").notNull(),
    originalKey: text("original_key").notNull(),
    sanitizedKey: text("sanitized_key").notNull(),
    sanitizedSize: integer("sanitized_size").notNull(),
    uploadedAt: timestamp("uploaded_at", { withTimezone: true }).notNull().defaultNow(),
    lastUsedAt: timestamp("last_used_at", { withTimezone: true }).notNull().defaultNow(),
    /** The retention notice was queued (null again once the file is touched). */
    avisoRetencionAt: timestamp("aviso_retencion_at", { withTimezone: true }),
  },
  (t) => [
    // One row per content and applicant: how "stored once per content" holds under concurrent uploads.
    uniqueIndex("archivos_postulante_sha256_uq").on(t.postulanteId, t.sha256),
    index("archivos_retencion_idx").on(t.lastUsedAt),
  ],
);

/**
 * A file of Mis documentos used by a postulación as one of its types (several per type, in
 * `orden`: the ficha merges them so). "CONFIRMAR DOCUMENTO CARGADO" is kept per file of each
 * postulación (the seed: "la casilla de verificación de cada documento"), so a file used
 * again is confirmed again. A registrada postulación's rows never change (the use cases
 * lock the postulación with `estado = 'en_registro'`), and its archivos cannot be deleted.
 */
export const documentos = pgTable(
  "documentos",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    postulacionId: uuid("postulacion_id").notNull().references(() => postulaciones.id, { onDelete: "cascade" }),
    /** A code of the catalogue (tipos_documento); its name is the convocatoria's (convocatoria_documentos). */
    tipo: text("tipo").notNull(),
    archivoId: uuid("archivo_id").notNull().references(() => archivos.id),
    /** The position among the type's files (0, 1, …), as shown and merged. */
    orden: integer("orden").notNull().default(0),
    /** The "CONFIRMAR DOCUMENTO CARGADO" checkbox. */
    confirmadoAt: timestamp("confirmado_at", { withTimezone: true }),
  },
  (t) => [
    uniqueIndex("documentos_postulacion_tipo_archivo_uq").on(t.postulacionId, t.tipo, t.archivoId),
    index("documentos_archivo_idx").on(t.archivoId),
  ],
);

/** The perfil's requirements an applicant may prove with pages of their files (issue 17); not "competencias". */
export const requisitoPerfil = pgEnum("requisito_perfil", [
  "formacionAcademica",
  "experienciaGeneral",
  "experienciaEspecifica",
  "cursosEspecializacion",
  "conocimientos",
]);

/**
 * "Sustento de requisitos del perfil" (issue 17): for a requirement of the perfil, a file of
 * the postulación and the pages of it that prove it ("3-5, 8", normalised). Several per
 * requirement, in `orden`. It points to the link (`documentos`), not to the vault's file: only a
 * file of this postulación can be named, and removing the file from the draft removes its
 * evidence. Written with the draft's version bump (the ficha's cover lists it), so a registrada
 * postulación's evidence never changes.
 */
export const postulacionEvidencias = pgTable(
  "postulacion_evidencias",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    postulacionId: uuid("postulacion_id").notNull().references(() => postulaciones.id, { onDelete: "cascade" }),
    requisito: requisitoPerfil("requisito").notNull(),
    documentoId: uuid("documento_id").notNull().references(() => documentos.id, { onDelete: "cascade" }),
    /** Page numbers and ranges of the file, ascending and merged: "1-3, 5". */
    paginas: text("paginas").notNull(),
    orden: integer("orden").notNull().default(0),
    ...timestamps,
  },
  (t) => [
    uniqueIndex("postulacion_evidencias_uq").on(t.postulacionId, t.requisito, t.documentoId),
    index("postulacion_evidencias_documento_idx").on(t.documentoId),
    check("postulacion_evidencias_paginas_ck", sql`char_length(${t.paginas}) between 1 and 200`),
  ],
);

// ---------------------------------------------------------------- staff second factor

/**
 * TOTP (RFC 6238: SHA-1, 6 digits, 30 s) of a staff member. A row with enabledAt null is an
 * enrolment in progress (secret shown, not yet confirmed with a code).
 */
export const staffTotp = pgTable("staff_totp", {
  staffId: uuid("staff_id").primaryKey().references(() => staff.id, { onDelete: "cascade" }),
  /** Base32 secret. */
  secret: text("secret").notNull(),
  enabledAt: timestamp("enabled_at", { withTimezone: true }),
  /** The last accepted time step (unix seconds / 30): a code is never accepted twice. */
  lastUsedStep: bigint("last_used_step", { mode: "number" }),
  ...timestamps,
});

/** Single-use recovery codes; only their SHA-256 is stored. */
export const staffRecoveryCodes = pgTable(
  "staff_recovery_codes",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    staffId: uuid("staff_id").notNull().references(() => staff.id, { onDelete: "cascade" }),
    codeHash: text("code_hash").notNull(),
    usedAt: timestamp("used_at", { withTimezone: true }),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index("staff_recovery_codes_staff_idx").on(t.staffId), uniqueIndex("staff_recovery_codes_hash_uq").on(t.codeHash)],
);

// ---------------------------------------------------------------- evaluación

/** The evaluation settings of a convocatoria (a row is created lazily with the defaults). */
export const evaluacionConfig = pgTable("evaluacion_config", {
  convocatoriaId: uuid("convocatoria_id").primaryKey().references(() => convocatorias.id, { onDelete: "cascade" }),
  /** true: several bonificaciones add up; false: only the highest counts. */
  bonificacionesAcumulables: boolean("bonificaciones_acumulables").notNull().default(true),
  /** How published lists name applicants: full names, or the document number partly masked. */
  publicarComo: text("publicar_como", { enum: ["nombres", "documento_enmascarado"] }).notNull().default("nombres"),
  ...timestamps,
});

export const tipoEtapaEvaluacion = pgEnum("tipo_etapa_evaluacion", ["curricular", "tecnica", "entrevista"]);
export const estadoEtapaEvaluacion = pgEnum("estado_etapa_evaluacion", ["abierta", "cerrada", "publicada"]);

/** Eliminatory evaluation stages of a convocatoria, in order. */
export const evaluacionEtapas = pgTable(
  "evaluacion_etapas",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    convocatoriaId: uuid("convocatoria_id").notNull().references(() => convocatorias.id, { onDelete: "cascade" }),
    orden: smallint("orden").notNull(),
    tipo: tipoEtapaEvaluacion("tipo").notNull(),
    nombre: text("nombre").notNull(),
    /** Weight in the final score, in percent (the stages' weights add up to 100). */
    peso: numeric("peso", { precision: 5, scale: 2 }).notNull(),
    maximo: numeric("maximo", { precision: 6, scale: 2 }).notNull(),
    /** Minimum passing score (eliminatory). */
    minimo: numeric("minimo", { precision: 6, scale: 2 }).notNull(),
    estado: estadoEtapaEvaluacion("estado").notNull().default("abierta"),
    closedAt: timestamp("closed_at", { withTimezone: true }),
    closedBy: uuid("closed_by").references(() => staff.id),
    publishedAt: timestamp("published_at", { withTimezone: true }),
    publishedBy: uuid("published_by").references(() => staff.id),
    ...timestamps,
  },
  (t) => [
    uniqueIndex("evaluacion_etapas_tipo_uq").on(t.convocatoriaId, t.tipo),
    index("evaluacion_etapas_orden_idx").on(t.convocatoriaId, t.orden),
    check("evaluacion_etapas_peso_ck", sql`${t.peso} > 0 and ${t.peso} <= 100`),
    check("evaluacion_etapas_maximo_ck", sql`${t.maximo} > 0`),
    check("evaluacion_etapas_minimo_ck", sql`${t.minimo} >= 0 and ${t.minimo} <= ${t.maximo}`),
  ],
);

/** Which staff members score a stage. */
export const etapaEvaluadores = pgTable(
  "etapa_evaluadores",
  {
    etapaId: uuid("etapa_id").notNull().references(() => evaluacionEtapas.id, { onDelete: "cascade" }),
    staffId: uuid("staff_id").notNull().references(() => staff.id),
    assignedAt: timestamp("assigned_at", { withTimezone: true }).notNull().defaultNow(),
    assignedBy: uuid("assigned_by").references(() => staff.id),
  },
  (t) => [primaryKey({ columns: [t.etapaId, t.staffId] }), index("etapa_evaluadores_staff_idx").on(t.staffId)],
);

/** One evaluador's score of one postulación in one stage (the stage's score is their average). */
export const puntajes = pgTable(
  "puntajes",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    etapaId: uuid("etapa_id").notNull().references(() => evaluacionEtapas.id, { onDelete: "cascade" }),
    postulacionId: uuid("postulacion_id").notNull().references(() => postulaciones.id, { onDelete: "cascade" }),
    evaluadorId: uuid("evaluador_id").notNull().references(() => staff.id),
    puntaje: numeric("puntaje", { precision: 6, scale: 2 }).notNull(),
    observacion: text("observacion").notNull().default(""),
    ...timestamps,
  },
  (t) => [
    uniqueIndex("puntajes_etapa_postulacion_evaluador_uq").on(t.etapaId, t.postulacionId, t.evaluadorId),
    index("puntajes_postulacion_idx").on(t.postulacionId),
    check("puntajes_puntaje_ck", sql`${t.puntaje} >= 0`),
  ],
);

export const tipoBonificacion = pgEnum("tipo_bonificacion", ["ffaa", "discapacidad", "deportista"]);

/** A bonificación the gestor validated (or refused) against the applicant's sustento. */
export const bonificaciones = pgTable(
  "bonificaciones",
  {
    postulacionId: uuid("postulacion_id").notNull().references(() => postulaciones.id, { onDelete: "cascade" }),
    tipo: tipoBonificacion("tipo").notNull(),
    /** Deportista Calificado de Alto Nivel: level 1 to 5. */
    nivel: smallint("nivel"),
    validada: boolean("validada").notNull(),
    observacion: text("observacion").notNull().default(""),
    validadaPor: uuid("validada_por").notNull().references(() => staff.id),
    validadaAt: timestamp("validada_at", { withTimezone: true }).notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.postulacionId, t.tipo] }),
    check("bonificaciones_nivel_ck", sql`(${t.tipo} = 'deportista') = (${t.nivel} is not null) and (${t.nivel} is null or ${t.nivel} between 1 and 5)`),
  ],
);

/** How the committee broke a tie at a decisive place: the tied postulaciones in the chosen order. */
export const desempates = pgTable(
  "desempates",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    convocatoriaId: uuid("convocatoria_id").notNull().references(() => convocatorias.id, { onDelete: "cascade" }),
    /** The tied final score. */
    puntaje: numeric("puntaje", { precision: 7, scale: 2 }).notNull(),
    /** Postulación ids, first = best place. Valid only while the tied group is exactly this set. */
    orden: jsonb("orden").$type<string[]>().notNull(),
    nota: text("nota").notNull(),
    recordedBy: uuid("recorded_by").notNull().references(() => staff.id),
    recordedAt: timestamp("recorded_at", { withTimezone: true }).notNull(),
  },
  (t) => [index("desempates_convocatoria_idx").on(t.convocatoriaId)],
);

/**
 * A published results list (a stage's or the final one), as published: the rows are a
 * snapshot, so the public page shows exactly what was published. A correction after
 * publication publishes a new version with its reason.
 */
export const publicaciones = pgTable(
  "publicaciones",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    convocatoriaId: uuid("convocatoria_id").notNull().references(() => convocatorias.id, { onDelete: "cascade" }),
    /** null: the final results. */
    etapaId: uuid("etapa_id").references(() => evaluacionEtapas.id, { onDelete: "cascade" }),
    /** "final" or the stage id (unique with version). */
    alcance: text("alcance").notNull(),
    version: integer("version").notNull(),
    titulo: text("titulo").notNull(),
    filas: jsonb("filas").$type<Record<string, unknown>[]>().notNull(),
    motivo: text("motivo"),
    pdfKey: text("pdf_key"),
    pdfSha256: text("pdf_sha256"),
    pdfSize: integer("pdf_size"),
    publishedAt: timestamp("published_at", { withTimezone: true }).notNull(),
    publishedBy: uuid("published_by").notNull().references(() => staff.id),
  },
  (t) => [
    uniqueIndex("publicaciones_version_uq").on(t.convocatoriaId, t.alcance, t.version),
    check("publicaciones_alcance_ck", sql`(${t.etapaId} is null) = (${t.alcance} = 'final')`),
  ],
);

// ---------------------------------------------------------------- background jobs

/**
 * Background jobs (docs/evaluacion.md, "Exports"): the outbox's pattern (decision 001) for
 * work that is not e-mail — a row claimed with FOR UPDATE SKIP LOCKED and a lease by a worker
 * in any app process (app/platform/jobs.server.ts), its progress written as it goes
 * (`done` of `total`), its product a stored file (`result_key`, kept until `expires_at`).
 * `subject_id` is what the job is about (a convocatoria), `requested_by` who asked.
 */
export const jobs = pgTable(
  "jobs",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    kind: text("kind").notNull(),
    subjectId: uuid("subject_id").notNull(),
    requestedBy: uuid("requested_by").references(() => staff.id, { onDelete: "set null" }),
    status: text("status", { enum: ["pendiente", "en_curso", "lista", "fallida"] }).notNull().default("pendiente"),
    attempts: integer("attempts").notNull().default(0),
    nextAttemptAt: timestamp("next_attempt_at", { withTimezone: true }).notNull().defaultNow(),
    lockedUntil: timestamp("locked_until", { withTimezone: true }),
    done: integer("done").notNull().default(0),
    total: integer("total"),
    resultKey: text("result_key"),
    resultSize: bigint("result_size", { mode: "number" }),
    resultName: text("result_name"),
    resultNote: text("result_note"),
    lastError: text("last_error"),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
    finishedAt: timestamp("finished_at", { withTimezone: true }),
    expiresAt: timestamp("expires_at", { withTimezone: true }),
  },
  (t) => [
    index("jobs_due_idx").on(t.nextAttemptAt).where(sql`status in ('pendiente', 'en_curso')`),
    index("jobs_subject_idx").on(t.kind, t.subjectId, t.createdAt),
  ],
);

// ---------------------------------------------------------------- alertas

/**
 * Alerts (docs/convocatorias.md, "Alertas"): a saved search of the public list and the address
 * that gets one e-mail a day with the convocatorias published since the last one that match it.
 * An applicant's own (postulante_id) is active at once when their address is verified; any other
 * waits for its double opt-in link (`confirmacion_hash`, the SHA-256 of the e-mailed token, never
 * the token; null once used). The unsubscribe link is an HMAC of the id (nothing stored).
 * `desde`: the digest's watermark (publications after it are new); `proximo_envio_at`: when the
 * next digest is due — the digest claims the row by moving it (one e-mail a day, any number of
 * app processes).
 */
export const alertas = pgTable(
  "alertas",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    /** Stored lower-cased. */
    email: text("email").notNull(),
    postulanteId: uuid("postulante_id").references(() => postulantes.id, { onDelete: "cascade" }),
    /** The search as /convocatorias reads it (features/convocatorias/filtros.server.ts). */
    q: text("q").notNull().default(""),
    estado: text("estado").notNull().default(""),
    unidad: text("unidad").notNull().default(""),
    tipoContrato: text("tipo_contrato").notNull().default(""),
    departamento: text("departamento").notNull().default(""),
    confirmacionHash: text("confirmacion_hash"),
    confirmedAt: timestamp("confirmed_at", { withTimezone: true }),
    desde: timestamp("desde", { withTimezone: true }),
    proximoEnvioAt: timestamp("proximo_envio_at", { withTimezone: true }),
    lastSentAt: timestamp("last_sent_at", { withTimezone: true }),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    index("alertas_email_idx").on(t.email),
    index("alertas_postulante_idx").on(t.postulanteId),
    uniqueIndex("alertas_confirmacion_uq").on(t.confirmacionHash),
    index("alertas_due_idx").on(t.proximoEnvioAt).where(sql`confirmed_at is not null`),
    check("alertas_email_ck", sql`${t.email} = lower(${t.email})`),
    check("alertas_confirmada_ck", sql`${t.confirmedAt} is null or (${t.desde} is not null and ${t.proximoEnvioAt} is not null)`),
  ],
);

// ---------------------------------------------------------------- entidad

/**
 * The entity's settings (docs/administracion.md, "Datos de la entidad"): one row at most
 * (`id` is always 1). No row: the name is ENTITY_NAME and the rest is empty.
 */
export const entidadSettings = pgTable(
  "entidad_settings",
  {
    id: smallint("id").primaryKey().default(1),
    nombre: text("nombre").notNull(),
    siglas: text("siglas"),
    /** 11 digits with a valid SUNAT check digit. */
    ruc: char("ruc", { length: 11 }),
    /** The logo (PNG or JPEG) in storage; the file sweeper keeps what a `_key` column names. */
    logoKey: text("logo_key"),
    logoContentType: text("logo_content_type", { enum: ["image/png", "image/jpeg"] }),
    logoSha256: text("logo_sha256"),
    logoSize: integer("logo_size"),
    mesaAyudaEmail: text("mesa_ayuda_email"),
    mesaAyudaTelefono: text("mesa_ayuda_telefono"),
    mesaAyudaHorario: text("mesa_ayuda_horario"),
    updatedAt: timestamp("updated_at", { withTimezone: true }).notNull().defaultNow(),
    updatedBy: uuid("updated_by").references(() => staff.id),
  },
  (t) => [
    check("entidad_settings_single_row_ck", sql`${t.id} = 1`),
    check("entidad_settings_ruc_ck", sql`${t.ruc} ~ '^[0-9]{11}$'`),
  ],
);
