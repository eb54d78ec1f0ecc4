CREATE TABLE "convocatoria_perfiles" (
	"convocatoria_id" uuid PRIMARY KEY NOT NULL,
	"formacion_academica" text DEFAULT '' NOT NULL,
	"experiencia_general" text DEFAULT '' NOT NULL,
	"experiencia_especifica" text DEFAULT '' NOT NULL,
	"cursos_especializacion" text DEFAULT '' NOT NULL,
	"conocimientos" text DEFAULT '' NOT NULL,
	"competencias" text DEFAULT '' NOT NULL
);
--> statement-breakpoint
ALTER TABLE "convocatoria_perfiles" ADD CONSTRAINT "convocatoria_perfiles_convocatoria_id_convocatorias_id_fk" FOREIGN KEY ("convocatoria_id") REFERENCES "public"."convocatorias"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
-- Hand-written: every convocatoria keeps its requirements, moved before the columns go.
INSERT INTO "convocatoria_perfiles" ("convocatoria_id", "formacion_academica", "experiencia_general", "experiencia_especifica", "cursos_especializacion", "conocimientos", "competencias")
  SELECT "id", "formacion_academica", "experiencia_general", "experiencia_especifica", "cursos_especializacion", "conocimientos", "competencias" FROM "convocatorias";--> statement-breakpoint
ALTER TABLE "convocatorias" DROP COLUMN "formacion_academica";--> statement-breakpoint
ALTER TABLE "convocatorias" DROP COLUMN "experiencia_general";--> statement-breakpoint
ALTER TABLE "convocatorias" DROP COLUMN "experiencia_especifica";--> statement-breakpoint
ALTER TABLE "convocatorias" DROP COLUMN "cursos_especializacion";--> statement-breakpoint
ALTER TABLE "convocatorias" DROP COLUMN "conocimientos";--> statement-breakpoint
ALTER TABLE "convocatorias" DROP COLUMN "competencias";