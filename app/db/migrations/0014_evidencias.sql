CREATE TYPE "public"."requisito_perfil" AS ENUM('formacionAcademica', 'experienciaGeneral', 'experienciaEspecifica', 'cursosEspecializacion', 'conocimientos');--> statement-breakpoint
CREATE TABLE "postulacion_evidencias" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"postulacion_id" uuid NOT NULL,
	"requisito" "requisito_perfil" NOT NULL,
	"documento_id" uuid NOT NULL,
	"paginas" text NOT NULL,
	"orden" integer DEFAULT 0 NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "postulacion_evidencias_paginas_ck" CHECK (char_length("postulacion_evidencias"."paginas") between 1 and 200)
);
--> statement-breakpoint
ALTER TABLE "postulacion_evidencias" ADD CONSTRAINT "postulacion_evidencias_postulacion_id_postulaciones_id_fk" FOREIGN KEY ("postulacion_id") REFERENCES "public"."postulaciones"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "postulacion_evidencias" ADD CONSTRAINT "postulacion_evidencias_documento_id_documentos_id_fk" FOREIGN KEY ("documento_id") REFERENCES "public"."documentos"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "postulacion_evidencias_uq" ON "postulacion_evidencias" USING btree ("postulacion_id","requisito","documento_id");--> statement-breakpoint
CREATE INDEX "postulacion_evidencias_documento_idx" ON "postulacion_evidencias" USING btree ("documento_id");