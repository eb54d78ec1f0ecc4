CREATE TABLE "tipos_documento" (
	"codigo" text PRIMARY KEY NOT NULL,
	"nombre" text NOT NULL,
	"max_bytes" integer NOT NULL,
	"requerido_por_defecto" boolean NOT NULL,
	"orden" integer NOT NULL,
	"activo" boolean DEFAULT true NOT NULL,
	"identidad" text,
	"bonificacion" boolean DEFAULT false NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "tipos_documento_max_bytes_ck" CHECK ("tipos_documento"."max_bytes" between 1048576 and 20971520)
);
--> statement-breakpoint
-- The catalogue as the seed's manual (2.1.4) lists it: the constant it replaces, word for word.
INSERT INTO "tipos_documento" ("codigo", "nombre", "max_bytes", "requerido_por_defecto", "orden", "identidad", "bonificacion") VALUES
	('DNI', 'DNI', 5242880, true, 1, 'peruano', false),
	('CARNET_EXTRANJERIA', 'Carnet de extranjería / otro', 5242880, true, 2, 'extranjero', false),
	('FICHA_CURRICULAR', 'Ficha Curricular', 5242880, true, 3, NULL, false),
	('FORMACION_ACADEMICA', 'Sustentos de formación académica', 10485760, true, 4, NULL, false),
	('CURSOS_CAPACITACIONES', 'Sustentos de cursos y capacitaciones', 10485760, false, 5, NULL, false),
	('EXPERIENCIA', 'Sustentos de experiencia', 10485760, true, 6, NULL, false),
	('LICENCIADO_FFAA', 'Sustento de Personal licenciado(a) de las Fuerzas Armadas', 5242880, false, 7, NULL, true),
	('DISCAPACIDAD_CONADIS', 'Sustento de Persona con Discapacidad (CONADIS)', 5242880, false, 8, NULL, true),
	('DEPORTISTA_ALTO_NIVEL', 'Sustento de Deportista Calificado de Alto Nivel', 5242880, false, 9, NULL, true),
	('DECLARACIONES_JURADAS', 'Declaraciones Juradas', 5242880, true, 10, NULL, false);--> statement-breakpoint
-- Every existing convocatoria keeps the rules it was published with: its snapshot is today's catalogue.
ALTER TABLE "convocatoria_documentos" ADD COLUMN "nombre" text;--> statement-breakpoint
ALTER TABLE "convocatoria_documentos" ADD COLUMN "max_bytes" integer;--> statement-breakpoint
ALTER TABLE "convocatoria_documentos" ADD COLUMN "orden" integer;--> statement-breakpoint
UPDATE "convocatoria_documentos" AS d SET "nombre" = t."nombre", "max_bytes" = t."max_bytes", "orden" = t."orden"
	FROM "tipos_documento" AS t WHERE t."codigo" = d."tipo";--> statement-breakpoint
ALTER TABLE "convocatoria_documentos" ALTER COLUMN "nombre" SET NOT NULL;--> statement-breakpoint
ALTER TABLE "convocatoria_documentos" ALTER COLUMN "max_bytes" SET NOT NULL;--> statement-breakpoint
ALTER TABLE "convocatoria_documentos" ALTER COLUMN "orden" SET NOT NULL;--> statement-breakpoint
CREATE UNIQUE INDEX "tipos_documento_nombre_uq" ON "tipos_documento" USING btree (lower("nombre"));--> statement-breakpoint
ALTER TABLE "convocatoria_documentos" ADD CONSTRAINT "convocatoria_documentos_tipo_tipos_documento_codigo_fk" FOREIGN KEY ("tipo") REFERENCES "public"."tipos_documento"("codigo") ON DELETE no action ON UPDATE no action;