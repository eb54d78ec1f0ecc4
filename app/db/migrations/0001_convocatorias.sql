CREATE TYPE "public"."estado_convocatoria" AS ENUM('borrador', 'publicada', 'concluida', 'cancelada', 'desierta');--> statement-breakpoint
CREATE TYPE "public"."tipo_contrato" AS ENUM('indeterminado', 'necesidad_transitoria', 'suplencia', 'confianza');--> statement-breakpoint
CREATE TABLE "convocatoria_documentos" (
	"convocatoria_id" uuid NOT NULL,
	"tipo" text NOT NULL,
	"requerido" boolean NOT NULL,
	CONSTRAINT "convocatoria_documentos_convocatoria_id_tipo_pk" PRIMARY KEY("convocatoria_id","tipo")
);
--> statement-breakpoint
CREATE TABLE "convocatorias" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"codigo" text NOT NULL,
	"puesto" text NOT NULL,
	"unidad_organica" text NOT NULL,
	"vacantes" integer NOT NULL,
	"remuneracion" numeric(10, 2) NOT NULL,
	"tipo_contrato" "tipo_contrato" NOT NULL,
	"sede" text NOT NULL,
	"ubigeo" char(6) NOT NULL,
	"formacion_academica" text DEFAULT '' NOT NULL,
	"experiencia_general" text DEFAULT '' NOT NULL,
	"experiencia_especifica" text DEFAULT '' NOT NULL,
	"cursos_especializacion" text DEFAULT '' NOT NULL,
	"conocimientos" text DEFAULT '' NOT NULL,
	"competencias" text DEFAULT '' NOT NULL,
	"bases_key" text,
	"bases_filename" text,
	"bases_size" integer,
	"bases_sha256" text,
	"estado" "estado_convocatoria" DEFAULT 'borrador' NOT NULL,
	"motivo" text,
	"published_at" timestamp with time zone,
	"closed_at" timestamp with time zone,
	"postulacion_inicio" timestamp with time zone,
	"postulacion_fin" timestamp with time zone,
	"busqueda" text DEFAULT '' NOT NULL,
	"created_by" uuid,
	"updated_by" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "convocatorias_vacantes_ck" CHECK ("convocatorias"."vacantes" between 1 and 500),
	CONSTRAINT "convocatorias_remuneracion_ck" CHECK ("convocatorias"."remuneracion" > 0),
	CONSTRAINT "convocatorias_ventana_ck" CHECK ("convocatorias"."postulacion_fin" > "convocatorias"."postulacion_inicio"),
	CONSTRAINT "convocatorias_publicada_ck" CHECK ("convocatorias"."estado" = 'borrador' or "convocatorias"."published_at" is not null)
);
--> statement-breakpoint
CREATE TABLE "cronograma_etapas" (
	"convocatoria_id" uuid NOT NULL,
	"orden" smallint NOT NULL,
	"nombre" text NOT NULL,
	"inicio" timestamp with time zone NOT NULL,
	"fin" timestamp with time zone NOT NULL,
	"es_postulacion" boolean DEFAULT false NOT NULL,
	CONSTRAINT "cronograma_etapas_convocatoria_id_orden_pk" PRIMARY KEY("convocatoria_id","orden"),
	CONSTRAINT "cronograma_fechas_ck" CHECK ("cronograma_etapas"."fin" > "cronograma_etapas"."inicio")
);
--> statement-breakpoint
CREATE TABLE "declaraciones_juradas_formatos" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"titulo" text NOT NULL,
	"orden" integer NOT NULL,
	"storage_key" text NOT NULL,
	"filename" text NOT NULL,
	"content_type" text NOT NULL,
	"size" integer NOT NULL,
	"sha256" text NOT NULL,
	"retirado_at" timestamp with time zone,
	"created_by" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "convocatoria_documentos" ADD CONSTRAINT "convocatoria_documentos_convocatoria_id_convocatorias_id_fk" FOREIGN KEY ("convocatoria_id") REFERENCES "public"."convocatorias"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "convocatorias" ADD CONSTRAINT "convocatorias_created_by_staff_id_fk" FOREIGN KEY ("created_by") REFERENCES "public"."staff"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "convocatorias" ADD CONSTRAINT "convocatorias_updated_by_staff_id_fk" FOREIGN KEY ("updated_by") REFERENCES "public"."staff"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "cronograma_etapas" ADD CONSTRAINT "cronograma_etapas_convocatoria_id_convocatorias_id_fk" FOREIGN KEY ("convocatoria_id") REFERENCES "public"."convocatorias"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "declaraciones_juradas_formatos" ADD CONSTRAINT "declaraciones_juradas_formatos_created_by_staff_id_fk" FOREIGN KEY ("created_by") REFERENCES "public"."staff"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "convocatorias_codigo_uq" ON "convocatorias" USING btree ("codigo");--> statement-breakpoint
CREATE INDEX "convocatorias_publicas_idx" ON "convocatorias" USING btree ("published_at" DESC NULLS LAST) WHERE estado <> 'borrador';--> statement-breakpoint
CREATE UNIQUE INDEX "cronograma_una_postulacion_uq" ON "cronograma_etapas" USING btree ("convocatoria_id") WHERE es_postulacion;--> statement-breakpoint
CREATE INDEX "dj_formatos_orden_idx" ON "declaraciones_juradas_formatos" USING btree ("orden");