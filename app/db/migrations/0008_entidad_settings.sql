CREATE TABLE "entidad_settings" (
	"id" smallint PRIMARY KEY DEFAULT 1 NOT NULL,
	"nombre" text NOT NULL,
	"siglas" text,
	"ruc" char(11),
	"logo_key" text,
	"logo_content_type" text,
	"logo_sha256" text,
	"logo_size" integer,
	"mesa_ayuda_email" text,
	"mesa_ayuda_telefono" text,
	"mesa_ayuda_horario" text,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_by" uuid,
	CONSTRAINT "entidad_settings_single_row_ck" CHECK ("entidad_settings"."id" = 1),
	CONSTRAINT "entidad_settings_ruc_ck" CHECK ("entidad_settings"."ruc" ~ '^[0-9]{11}$')
);
--> statement-breakpoint
ALTER TABLE "entidad_settings" ADD CONSTRAINT "entidad_settings_updated_by_staff_id_fk" FOREIGN KEY ("updated_by") REFERENCES "public"."staff"("id") ON DELETE no action ON UPDATE no action;