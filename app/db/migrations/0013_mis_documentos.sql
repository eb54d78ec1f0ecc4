CREATE TABLE "archivos" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"postulante_id" uuid NOT NULL,
	"tipo" text NOT NULL,
	"filename" text NOT NULL,
	"size" integer NOT NULL,
	"sha256" text NOT NULL,
	"pages" integer NOT NULL,
	"original_key" text NOT NULL,
	"sanitized_key" text NOT NULL,
	"sanitized_size" integer NOT NULL,
	"uploaded_at" timestamp with time zone DEFAULT now() NOT NULL,
	"last_used_at" timestamp with time zone DEFAULT now() NOT NULL,
	"aviso_retencion_at" timestamp with time zone
);
--> statement-breakpoint
ALTER TABLE "documentos" ADD COLUMN "archivo_id" uuid;--> statement-breakpoint
ALTER TABLE "documentos" ADD COLUMN "orden" integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE "archivos" ADD CONSTRAINT "archivos_postulante_id_postulantes_id_fk" FOREIGN KEY ("postulante_id") REFERENCES "public"."postulantes"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "archivos_postulante_sha256_uq" ON "archivos" USING btree ("postulante_id","sha256");--> statement-breakpoint
CREATE INDEX "archivos_retencion_idx" ON "archivos" USING btree ("last_used_at");--> statement-breakpoint
ALTER TABLE "documentos" ADD CONSTRAINT "documentos_archivo_id_archivos_id_fk" FOREIGN KEY ("archivo_id") REFERENCES "public"."archivos"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
-- Hand-written (issue 17, docs/mis-documentos.md): each existing documento becomes a file of its
-- applicant's Mis documentos and the row becomes the link, at orden 0, keeping its confirmation.
-- The same content uploaded twice by one applicant (two postulaciones) becomes ONE archivo (the
-- first upload's keys); the other copy's keys are then listed by no row, and the file sweeper
-- removes them (docs/pdf-and-files.md, "Leftovers of a crash").
INSERT INTO "archivos" ("postulante_id", "tipo", "filename", "size", "sha256", "pages", "original_key", "sanitized_key", "sanitized_size", "uploaded_at", "last_used_at")
SELECT DISTINCT ON (p."postulante_id", d."sha256")
  p."postulante_id", d."tipo", d."filename", d."size", d."sha256", d."pages", d."original_key", d."sanitized_key", d."sanitized_size", d."uploaded_at", d."uploaded_at"
FROM "documentos" d JOIN "postulaciones" p ON p."id" = d."postulacion_id"
ORDER BY p."postulante_id", d."sha256", d."uploaded_at", d."id";--> statement-breakpoint
UPDATE "documentos" d SET "archivo_id" = a."id"
FROM "postulaciones" p, "archivos" a
WHERE p."id" = d."postulacion_id" AND a."postulante_id" = p."postulante_id" AND a."sha256" = d."sha256";--> statement-breakpoint
DROP INDEX "documentos_postulacion_tipo_uq";--> statement-breakpoint
ALTER TABLE "documentos" ALTER COLUMN "archivo_id" SET NOT NULL;--> statement-breakpoint
CREATE UNIQUE INDEX "documentos_postulacion_tipo_archivo_uq" ON "documentos" USING btree ("postulacion_id","tipo","archivo_id");--> statement-breakpoint
CREATE INDEX "documentos_archivo_idx" ON "documentos" USING btree ("archivo_id");--> statement-breakpoint
ALTER TABLE "documentos" DROP COLUMN "filename";--> statement-breakpoint
ALTER TABLE "documentos" DROP COLUMN "size";--> statement-breakpoint
ALTER TABLE "documentos" DROP COLUMN "sha256";--> statement-breakpoint
ALTER TABLE "documentos" DROP COLUMN "pages";--> statement-breakpoint
ALTER TABLE "documentos" DROP COLUMN "original_key";--> statement-breakpoint
ALTER TABLE "documentos" DROP COLUMN "sanitized_key";--> statement-breakpoint
ALTER TABLE "documentos" DROP COLUMN "sanitized_size";--> statement-breakpoint
ALTER TABLE "documentos" DROP COLUMN "uploaded_at";