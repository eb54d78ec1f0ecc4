ALTER TYPE "public"."estado_postulacion" ADD VALUE 'desistida';--> statement-breakpoint
ALTER TABLE "postulaciones" ADD COLUMN "desistida_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "postulaciones" ADD COLUMN "motivo_desistimiento" text;--> statement-breakpoint
ALTER TABLE "postulaciones" ADD COLUMN "constancia_desistimiento_key" text;--> statement-breakpoint
ALTER TABLE "postulaciones" ADD CONSTRAINT "postulaciones_desistida_ck" CHECK (("postulaciones"."estado"::text = 'desistida') = ("postulaciones"."desistida_at" is not null and "postulaciones"."constancia_desistimiento_key" is not null));--> statement-breakpoint
ALTER TABLE "postulaciones" ADD CONSTRAINT "postulaciones_motivo_desistimiento_ck" CHECK (char_length("postulaciones"."motivo_desistimiento") <= 500);