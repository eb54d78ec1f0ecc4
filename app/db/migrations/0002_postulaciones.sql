CREATE TYPE "public"."estado_postulacion" AS ENUM('en_registro', 'registrada');--> statement-breakpoint
CREATE SEQUENCE "public"."postulacion_numero_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1;--> statement-breakpoint
CREATE TABLE "documentos" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"postulacion_id" uuid NOT NULL,
	"tipo" text NOT NULL,
	"filename" text NOT NULL,
	"size" integer NOT NULL,
	"sha256" text NOT NULL,
	"pages" integer NOT NULL,
	"original_key" text NOT NULL,
	"sanitized_key" text NOT NULL,
	"sanitized_size" integer NOT NULL,
	"uploaded_at" timestamp with time zone DEFAULT now() NOT NULL,
	"confirmado_at" timestamp with time zone
);
--> statement-breakpoint
CREATE TABLE "postulaciones" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"convocatoria_id" uuid NOT NULL,
	"postulante_id" uuid NOT NULL,
	"estado" "estado_postulacion" DEFAULT 'en_registro' NOT NULL,
	"numero" text,
	"finalizada_at" timestamp with time zone,
	"declaracion_at" timestamp with time zone,
	"documentos_version" integer DEFAULT 0 NOT NULL,
	"ficha_key" text,
	"ficha_version" integer,
	"ficha_sha256" text,
	"ficha_pages" integer,
	"ficha_size" integer,
	"constancia_key" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "postulaciones_registrada_ck" CHECK ("postulaciones"."estado" = 'en_registro' or ("postulaciones"."numero" is not null and "postulaciones"."finalizada_at" is not null))
);
--> statement-breakpoint
ALTER TABLE "documentos" ADD CONSTRAINT "documentos_postulacion_id_postulaciones_id_fk" FOREIGN KEY ("postulacion_id") REFERENCES "public"."postulaciones"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "postulaciones" ADD CONSTRAINT "postulaciones_convocatoria_id_convocatorias_id_fk" FOREIGN KEY ("convocatoria_id") REFERENCES "public"."convocatorias"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "postulaciones" ADD CONSTRAINT "postulaciones_postulante_id_postulantes_id_fk" FOREIGN KEY ("postulante_id") REFERENCES "public"."postulantes"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "documentos_postulacion_tipo_uq" ON "documentos" USING btree ("postulacion_id","tipo");--> statement-breakpoint
CREATE UNIQUE INDEX "postulaciones_postulante_convocatoria_uq" ON "postulaciones" USING btree ("postulante_id","convocatoria_id");--> statement-breakpoint
CREATE UNIQUE INDEX "postulaciones_numero_uq" ON "postulaciones" USING btree ("numero");--> statement-breakpoint
CREATE INDEX "postulaciones_convocatoria_idx" ON "postulaciones" USING btree ("convocatoria_id","estado");