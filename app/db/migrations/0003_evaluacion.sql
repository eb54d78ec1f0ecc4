CREATE TYPE "public"."estado_etapa_evaluacion" AS ENUM('abierta', 'cerrada', 'publicada');--> statement-breakpoint
CREATE TYPE "public"."tipo_bonificacion" AS ENUM('ffaa', 'discapacidad', 'deportista');--> statement-breakpoint
CREATE TYPE "public"."tipo_etapa_evaluacion" AS ENUM('curricular', 'tecnica', 'entrevista');--> statement-breakpoint
CREATE TABLE "bonificaciones" (
	"postulacion_id" uuid NOT NULL,
	"tipo" "tipo_bonificacion" NOT NULL,
	"nivel" smallint,
	"validada" boolean NOT NULL,
	"observacion" text DEFAULT '' NOT NULL,
	"validada_por" uuid NOT NULL,
	"validada_at" timestamp with time zone NOT NULL,
	CONSTRAINT "bonificaciones_postulacion_id_tipo_pk" PRIMARY KEY("postulacion_id","tipo"),
	CONSTRAINT "bonificaciones_nivel_ck" CHECK (("bonificaciones"."tipo" = 'deportista') = ("bonificaciones"."nivel" is not null) and ("bonificaciones"."nivel" is null or "bonificaciones"."nivel" between 1 and 5))
);
--> statement-breakpoint
CREATE TABLE "desempates" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"convocatoria_id" uuid NOT NULL,
	"puntaje" numeric(7, 2) NOT NULL,
	"orden" jsonb NOT NULL,
	"nota" text NOT NULL,
	"recorded_by" uuid NOT NULL,
	"recorded_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "etapa_evaluadores" (
	"etapa_id" uuid NOT NULL,
	"staff_id" uuid NOT NULL,
	"assigned_at" timestamp with time zone DEFAULT now() NOT NULL,
	"assigned_by" uuid,
	CONSTRAINT "etapa_evaluadores_etapa_id_staff_id_pk" PRIMARY KEY("etapa_id","staff_id")
);
--> statement-breakpoint
CREATE TABLE "evaluacion_config" (
	"convocatoria_id" uuid PRIMARY KEY NOT NULL,
	"bonificaciones_acumulables" boolean DEFAULT true NOT NULL,
	"publicar_como" text DEFAULT 'nombres' NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "evaluacion_etapas" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"convocatoria_id" uuid NOT NULL,
	"orden" smallint NOT NULL,
	"tipo" "tipo_etapa_evaluacion" NOT NULL,
	"nombre" text NOT NULL,
	"peso" numeric(5, 2) NOT NULL,
	"maximo" numeric(6, 2) NOT NULL,
	"minimo" numeric(6, 2) NOT NULL,
	"estado" "estado_etapa_evaluacion" DEFAULT 'abierta' NOT NULL,
	"closed_at" timestamp with time zone,
	"closed_by" uuid,
	"published_at" timestamp with time zone,
	"published_by" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "evaluacion_etapas_peso_ck" CHECK ("evaluacion_etapas"."peso" > 0 and "evaluacion_etapas"."peso" <= 100),
	CONSTRAINT "evaluacion_etapas_maximo_ck" CHECK ("evaluacion_etapas"."maximo" > 0),
	CONSTRAINT "evaluacion_etapas_minimo_ck" CHECK ("evaluacion_etapas"."minimo" >= 0 and "evaluacion_etapas"."minimo" <= "evaluacion_etapas"."maximo")
);
--> statement-breakpoint
CREATE TABLE "publicaciones" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"convocatoria_id" uuid NOT NULL,
	"etapa_id" uuid,
	"alcance" text NOT NULL,
	"version" integer NOT NULL,
	"titulo" text NOT NULL,
	"filas" jsonb NOT NULL,
	"motivo" text,
	"pdf_key" text,
	"pdf_sha256" text,
	"pdf_size" integer,
	"published_at" timestamp with time zone NOT NULL,
	"published_by" uuid NOT NULL,
	CONSTRAINT "publicaciones_alcance_ck" CHECK (("publicaciones"."etapa_id" is null) = ("publicaciones"."alcance" = 'final'))
);
--> statement-breakpoint
CREATE TABLE "puntajes" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"etapa_id" uuid NOT NULL,
	"postulacion_id" uuid NOT NULL,
	"evaluador_id" uuid NOT NULL,
	"puntaje" numeric(6, 2) NOT NULL,
	"observacion" text DEFAULT '' NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "puntajes_puntaje_ck" CHECK ("puntajes"."puntaje" >= 0)
);
--> statement-breakpoint
CREATE TABLE "staff_recovery_codes" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"staff_id" uuid NOT NULL,
	"code_hash" text NOT NULL,
	"used_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "staff_totp" (
	"staff_id" uuid PRIMARY KEY NOT NULL,
	"secret" text NOT NULL,
	"enabled_at" timestamp with time zone,
	"last_used_step" bigint,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "sessions" ADD COLUMN "mfa_verified_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "bonificaciones" ADD CONSTRAINT "bonificaciones_postulacion_id_postulaciones_id_fk" FOREIGN KEY ("postulacion_id") REFERENCES "public"."postulaciones"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "bonificaciones" ADD CONSTRAINT "bonificaciones_validada_por_staff_id_fk" FOREIGN KEY ("validada_por") REFERENCES "public"."staff"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "desempates" ADD CONSTRAINT "desempates_convocatoria_id_convocatorias_id_fk" FOREIGN KEY ("convocatoria_id") REFERENCES "public"."convocatorias"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "desempates" ADD CONSTRAINT "desempates_recorded_by_staff_id_fk" FOREIGN KEY ("recorded_by") REFERENCES "public"."staff"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "etapa_evaluadores" ADD CONSTRAINT "etapa_evaluadores_etapa_id_evaluacion_etapas_id_fk" FOREIGN KEY ("etapa_id") REFERENCES "public"."evaluacion_etapas"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "etapa_evaluadores" ADD CONSTRAINT "etapa_evaluadores_staff_id_staff_id_fk" FOREIGN KEY ("staff_id") REFERENCES "public"."staff"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "etapa_evaluadores" ADD CONSTRAINT "etapa_evaluadores_assigned_by_staff_id_fk" FOREIGN KEY ("assigned_by") REFERENCES "public"."staff"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "evaluacion_config" ADD CONSTRAINT "evaluacion_config_convocatoria_id_convocatorias_id_fk" FOREIGN KEY ("convocatoria_id") REFERENCES "public"."convocatorias"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "evaluacion_etapas" ADD CONSTRAINT "evaluacion_etapas_convocatoria_id_convocatorias_id_fk" FOREIGN KEY ("convocatoria_id") REFERENCES "public"."convocatorias"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "evaluacion_etapas" ADD CONSTRAINT "evaluacion_etapas_closed_by_staff_id_fk" FOREIGN KEY ("closed_by") REFERENCES "public"."staff"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "evaluacion_etapas" ADD CONSTRAINT "evaluacion_etapas_published_by_staff_id_fk" FOREIGN KEY ("published_by") REFERENCES "public"."staff"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "publicaciones" ADD CONSTRAINT "publicaciones_convocatoria_id_convocatorias_id_fk" FOREIGN KEY ("convocatoria_id") REFERENCES "public"."convocatorias"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "publicaciones" ADD CONSTRAINT "publicaciones_etapa_id_evaluacion_etapas_id_fk" FOREIGN KEY ("etapa_id") REFERENCES "public"."evaluacion_etapas"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "publicaciones" ADD CONSTRAINT "publicaciones_published_by_staff_id_fk" FOREIGN KEY ("published_by") REFERENCES "public"."staff"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "puntajes" ADD CONSTRAINT "puntajes_etapa_id_evaluacion_etapas_id_fk" FOREIGN KEY ("etapa_id") REFERENCES "public"."evaluacion_etapas"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "puntajes" ADD CONSTRAINT "puntajes_postulacion_id_postulaciones_id_fk" FOREIGN KEY ("postulacion_id") REFERENCES "public"."postulaciones"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "puntajes" ADD CONSTRAINT "puntajes_evaluador_id_staff_id_fk" FOREIGN KEY ("evaluador_id") REFERENCES "public"."staff"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "staff_recovery_codes" ADD CONSTRAINT "staff_recovery_codes_staff_id_staff_id_fk" FOREIGN KEY ("staff_id") REFERENCES "public"."staff"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "staff_totp" ADD CONSTRAINT "staff_totp_staff_id_staff_id_fk" FOREIGN KEY ("staff_id") REFERENCES "public"."staff"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "desempates_convocatoria_idx" ON "desempates" USING btree ("convocatoria_id");--> statement-breakpoint
CREATE INDEX "etapa_evaluadores_staff_idx" ON "etapa_evaluadores" USING btree ("staff_id");--> statement-breakpoint
CREATE UNIQUE INDEX "evaluacion_etapas_tipo_uq" ON "evaluacion_etapas" USING btree ("convocatoria_id","tipo");--> statement-breakpoint
CREATE INDEX "evaluacion_etapas_orden_idx" ON "evaluacion_etapas" USING btree ("convocatoria_id","orden");--> statement-breakpoint
CREATE UNIQUE INDEX "publicaciones_version_uq" ON "publicaciones" USING btree ("convocatoria_id","alcance","version");--> statement-breakpoint
CREATE UNIQUE INDEX "puntajes_etapa_postulacion_evaluador_uq" ON "puntajes" USING btree ("etapa_id","postulacion_id","evaluador_id");--> statement-breakpoint
CREATE INDEX "puntajes_postulacion_idx" ON "puntajes" USING btree ("postulacion_id");--> statement-breakpoint
CREATE INDEX "staff_recovery_codes_staff_idx" ON "staff_recovery_codes" USING btree ("staff_id");--> statement-breakpoint
CREATE UNIQUE INDEX "staff_recovery_codes_hash_uq" ON "staff_recovery_codes" USING btree ("code_hash");