CREATE TABLE "alertas" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"email" text NOT NULL,
	"postulante_id" uuid,
	"q" text DEFAULT '' NOT NULL,
	"estado" text DEFAULT '' NOT NULL,
	"unidad" text DEFAULT '' NOT NULL,
	"tipo_contrato" text DEFAULT '' NOT NULL,
	"departamento" text DEFAULT '' NOT NULL,
	"confirmacion_hash" text,
	"confirmed_at" timestamp with time zone,
	"desde" timestamp with time zone,
	"proximo_envio_at" timestamp with time zone,
	"last_sent_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "alertas_email_ck" CHECK ("alertas"."email" = lower("alertas"."email")),
	CONSTRAINT "alertas_confirmada_ck" CHECK ("alertas"."confirmed_at" is null or ("alertas"."desde" is not null and "alertas"."proximo_envio_at" is not null))
);
--> statement-breakpoint
ALTER TABLE "outbox" ADD COLUMN "headers" jsonb DEFAULT '{}'::jsonb NOT NULL;--> statement-breakpoint
ALTER TABLE "alertas" ADD CONSTRAINT "alertas_postulante_id_postulantes_id_fk" FOREIGN KEY ("postulante_id") REFERENCES "public"."postulantes"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "alertas_email_idx" ON "alertas" USING btree ("email");--> statement-breakpoint
CREATE INDEX "alertas_postulante_idx" ON "alertas" USING btree ("postulante_id");--> statement-breakpoint
CREATE UNIQUE INDEX "alertas_confirmacion_uq" ON "alertas" USING btree ("confirmacion_hash");--> statement-breakpoint
CREATE INDEX "alertas_due_idx" ON "alertas" USING btree ("proximo_envio_at") WHERE confirmed_at is not null;