import { randomUUID } from "node:crypto";
import { mkdir, writeFile } from "node:fs/promises";
import path from "node:path";
import { desc, eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { auditLog } from "~/db/schema";
import { referencedKeys } from "~/platform/file-sweeper.server";
import type { UploadedFile } from "~/shared/uploaded-file";
import { createStaff, type TestStaff } from "../../../tests/support/accounts";
import { expectRefusal } from "../../../tests/support/errors";
import { JPEG_1x1, pngBytes } from "../../../tests/support/images";
import { createTestServices, type TestServices } from "../../../tests/support/services";
import { entidadSchema, type EntidadInput } from "./entidad.schema";
import { getEntitySettings } from "./get-entity-settings.server";
import { LOGO_MAX_BYTES } from "./logo.server";
import { isValidRuc } from "./ruc";
import { updateEntitySettings } from "./update-entity-settings.server";

const FORM = {
  nombre: "  Gobierno   Regional de Piura ",
  siglas: "GORE Piura",
  ruc: "20484004421",
  mesaAyudaEmail: "MesaDeAyuda@RegionPiura.gob.pe",
  mesaAyudaTelefono: "(073) 28-4600 anexo 1234",
  mesaAyudaHorario: "lunes a viernes de 8:00 a 16:30",
};

const parse = (fields: Record<string, string>) => entidadSchema.safeParse(fields);
const input = (fields: Record<string, string> = FORM): EntidadInput => entidadSchema.parse(fields);
/** The first message of each field, as parseForm shows it. */
const errorsOf = (fields: Record<string, string>) => {
  const errors: Record<string, string> = {};
  const r = parse(fields);
  if (!r.success) for (const i of r.error.issues) errors[String(i.path[0])] ??= i.message;
  return errors;
};

describe("the RUC's check digit (SUNAT, module 11)", () => {
  it("accepts real RUCs and refuses each with its last digit changed", () => {
    // SUNAT, the Ministerio de Economía y Finanzas, a persona natural's 10… RUC.
    for (const ruc of ["20131312955", "20131370645", "10074838460", "20484004421"]) {
      expect(isValidRuc(ruc), ruc).toBe(true);
      const wrong = ruc.slice(0, 10) + String((Number(ruc[10]) + 1) % 10);
      expect(isValidRuc(wrong), wrong).toBe(false);
    }
    expect(isValidRuc("2013131295")).toBe(false);
    expect(isValidRuc("2013131295a")).toBe(false);
  });

  it("the form says which of the two is wrong, in Spanish", () => {
    expect(errorsOf({ ...FORM, ruc: "2013131295" }).ruc).toBe("El RUC tiene 11 dígitos.");
    expect(errorsOf({ ...FORM, ruc: "20131312956" }).ruc).toBe("El RUC no es válido: revise los dígitos (el último es de verificación).");
    expect(errorsOf({ ...FORM, ruc: "" }).ruc).toBeUndefined();
  });
});

describe("entidadSchema", () => {
  it("normalises what was typed and leaves empty fields null", () => {
    expect(input()).toEqual({
      nombre: "Gobierno Regional de Piura",
      siglas: "GORE Piura",
      ruc: "20484004421",
      mesaAyudaEmail: "mesadeayuda@regionpiura.gob.pe",
      mesaAyudaTelefono: "(073) 28-4600 anexo 1234",
      mesaAyudaHorario: "lunes a viernes de 8:00 a 16:30",
      quitarLogo: false,
    });
    expect(input({ nombre: "Municipalidad de Lima" })).toMatchObject({ siglas: null, ruc: null, mesaAyudaEmail: null, mesaAyudaTelefono: null, mesaAyudaHorario: null });
  });

  it("refuses each bad field with its own message", () => {
    expect(errorsOf({ nombre: "" }).nombre).toBe("Ingrese el nombre de la entidad.");
    expect(errorsOf({ nombre: "x".repeat(201) }).nombre).toBe("Use como máximo 200 caracteres.");
    expect(errorsOf({ ...FORM, mesaAyudaEmail: "mesa@" }).mesaAyudaEmail).toMatch(/^Ingrese un correo electrónico válido/);
    expect(errorsOf({ ...FORM, mesaAyudaTelefono: "llame" }).mesaAyudaTelefono).toMatch(/^Ingrese un teléfono con al menos 6 dígitos/);
    expect(errorsOf({ ...FORM, siglas: "<b>" }).siglas).toBe("Use solo letras, números, espacios, puntos o guiones.");
    expect(errorsOf({ ...FORM, mesaAyudaHorario: "8\u202Eam" }).mesaAyudaHorario).toBe("Contiene caracteres no permitidos.");
  });
});

describe("updateEntitySettings", () => {
  let s: TestServices;
  let admin: TestStaff;
  const actor = () => ({ type: "staff" as const, id: admin.id });
  beforeAll(async () => {
    s = await createTestServices({ env: { ENTITY_NAME: "Entidad por Defecto del Estado" } });
    admin = await createStaff(s, "administrador");
  });
  afterAll(async () => s?.close());

  async function upload(bytes: Uint8Array, filename = "logo.png"): Promise<UploadedFile> {
    const dir = path.join(s.config.dataDir, "tmp");
    await mkdir(dir, { recursive: true });
    const file = path.join(dir, `${randomUUID()}.upload`);
    await writeFile(file, bytes);
    return { path: file, size: bytes.length, filename };
  }
  const lastAudit = async () =>
    (await s.db.select().from(auditLog).where(eq(auditLog.event, "entidad.actualizada")).orderBy(desc(auditLog.id)).limit(1))[0];

  it("with nothing stored, the settings are ENTITY_NAME and nothing else", async () => {
    expect(await getEntitySettings(s)).toEqual({
      nombre: "Entidad por Defecto del Estado",
      siglas: null,
      ruc: null,
      logo: null,
      mesaDeAyuda: { email: null, telefono: null, horario: null },
      updatedAt: null,
    });
    expect((await s.entidad.current()).nombre).toBe("Entidad por Defecto del Estado");
  });

  it("stores the settings and a PNG logo, audits the fields that changed, and the pages' copy shows them at once", async () => {
    const png = pngBytes(40, 20);
    const { fields } = await updateEntitySettings({ services: s, actor: actor(), input: input(), logo: await upload(png) });
    expect(fields).toEqual(["nombre", "siglas", "ruc", "mesaAyudaEmail", "mesaAyudaTelefono", "mesaAyudaHorario", "logo"]);
    const saved = await getEntitySettings(s);
    expect(saved).toMatchObject({
      nombre: "Gobierno Regional de Piura",
      siglas: "GORE Piura",
      ruc: "20484004421",
      mesaDeAyuda: { email: "mesadeayuda@regionpiura.gob.pe", telefono: "(073) 28-4600 anexo 1234", horario: "lunes a viernes de 8:00 a 16:30" },
      logo: { contentType: "image/png", size: png.length },
    });
    expect(Buffer.compare(await s.storage.getBuffer(saved.logo!.key), png)).toBe(0);
    // The file sweeper keeps what a row names.
    expect((await referencedKeys(s.db)).has(saved.logo!.key)).toBe(true);
    // This process's copy was dropped: the header shows the new name on the next request.
    expect((await s.entidad.current()).nombre).toBe("Gobierno Regional de Piura");

    const row = await lastAudit();
    expect(row).toMatchObject({ actorType: "staff", actorId: admin.id, entityType: "entidad" });
    expect(row!.details).toEqual({ fields, logoSha256: saved.logo!.sha256, logoSize: png.length });
    // Names of fields only: never the values typed.
    expect(JSON.stringify(row!.details)).not.toMatch(/mesadeayuda@|Piura|20484004421/);
  });

  it("a second save names only what changed; a save with no change writes no audit row", async () => {
    const before = (await lastAudit())!.id;
    expect((await updateEntitySettings({ services: s, actor: actor(), input: input() })).fields).toEqual([]);
    expect((await lastAudit())!.id).toBe(before);
    const { fields } = await updateEntitySettings({ services: s, actor: actor(), input: input({ ...FORM, mesaAyudaHorario: "lunes a viernes de 8:30 a 16:30" }) });
    expect(fields).toEqual(["mesaAyudaHorario"]);
    expect((await lastAudit())!.details).toEqual({ fields: ["mesaAyudaHorario"] });
  });

  it("a JPEG replaces the PNG; 'Quitar el logo' removes it", async () => {
    const old = (await getEntitySettings(s)).logo!;
    await updateEntitySettings({ services: s, actor: actor(), input: input(), logo: await upload(JPEG_1x1, "logo.jpg") });
    const jpeg = (await getEntitySettings(s)).logo!;
    expect(jpeg).toMatchObject({ contentType: "image/jpeg", size: JPEG_1x1.length });
    expect(jpeg.key).not.toBe(old.key);
    // The replaced file is the sweeper's: no row names it any more.
    expect((await referencedKeys(s.db)).has(old.key)).toBe(false);
    const { fields } = await updateEntitySettings({ services: s, actor: actor(), input: input({ ...FORM, quitarLogo: "on" }) });
    expect(fields).toEqual(["logo"]);
    expect((await getEntitySettings(s)).logo).toBeNull();
  });

  it("refuses a logo that is not a PNG or JPEG by its bytes, whatever its name, and stores nothing", async () => {
    const before = (await lastAudit())!.id;
    const storedLogos = async () => {
      const keys: string[] = [];
      for await (const o of s.storage.list()) if (o.key.startsWith("entidad/")) keys.push(o.key);
      return keys.sort();
    };
    const logosBefore = await storedLogos();
    const cases: [Uint8Array, string, string][] = [
      [Buffer.from("GIF89a\x01\x00\x01\x00"), "logo.png", "El logo debe ser una imagen PNG o JPEG."],
      [Buffer.from("<svg xmlns='http://www.w3.org/2000/svg'/>"), "logo.png", "El logo debe ser una imagen PNG o JPEG."],
      [Buffer.from("%PDF-1.7\n"), "logo.jpg", "El logo debe ser una imagen PNG o JPEG."],
      [Buffer.alloc(0), "logo.png", "El archivo del logo está vacío."],
      // The PNG signature and then nothing readable.
      [Buffer.concat([pngBytes().subarray(0, 8), Buffer.from("not a chunk at all")]), "logo.png", "El logo está dañado: no se puede leer la imagen."],
      // A small file holding a huge image.
      [pngBytes(3000, 3000, [255, 255, 255]), "logo.png", "El logo es demasiado grande: use una imagen de hasta 2000 × 2000 píxeles."],
    ];
    for (const [bytes, filename, message] of cases) {
      await expectRefusal(
        updateEntitySettings({ services: s, actor: actor(), input: input({ ...FORM, nombre: "Otro nombre" }), logo: await upload(bytes, filename) }),
        "entidad.logo_invalido",
        422,
        new RegExp(`^${message.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}$`),
      );
    }
    const tooLarge = Buffer.concat([pngBytes(), Buffer.alloc(LOGO_MAX_BYTES)]);
    await expectRefusal(
      updateEntitySettings({ services: s, actor: actor(), input: input(), logo: await upload(tooLarge) }),
      "entidad.logo_invalido",
      422,
      /^El logo no debe superar los 300 KB\.$/,
    );
    expect((await getEntitySettings(s)).nombre).toBe("Gobierno Regional de Piura");
    expect((await lastAudit())!.id).toBe(before);
    expect(await storedLogos()).toEqual(logosBefore);
  });
});
