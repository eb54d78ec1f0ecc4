import { expect, test } from "vitest";
import { composeMail } from "./mail-template.server";

const sinMesa = { email: null, telefono: null, horario: null };
const base = { entity: { nombre: "Superintendencia Nacional de Migraciones", mesaDeAyuda: sinMesa }, baseUrl: "https://cas.entidad.test", subject: "Asunto «prueba»" };

test("both parts from one description: paragraphs, a link with its own text, fields, a list, a note", () => {
  const { text, html } = composeMail({
    ...base,
    greeting: "Hola, Ñusta:",
    blocks: [
      "Su postulación ha sido registrada.",
      { fields: [["Número de postulación", "2026-000123"]] },
      { list: ["DNI: dni.pdf", "Ficha: ficha.pdf"] },
      { link: "https://cas.entidad.test/mis-postulaciones", label: "Ver mis postulaciones" },
      { note: "Si usted no lo solicitó, ignore este mensaje." },
    ],
  });
  expect(text).toBe(
    [
      "Hola, Ñusta:",
      "Su postulación ha sido registrada.",
      "Número de postulación: 2026-000123",
      "- DNI: dni.pdf\n- Ficha: ficha.pdf",
      "Ver mis postulaciones:\nhttps://cas.entidad.test/mis-postulaciones",
      "Si usted no lo solicitó, ignore este mensaje.",
      "--\nSuperintendencia Nacional de Migraciones\nCAS Online",
    ].join("\n\n") + "\n",
  );
  expect(html).toMatch(/^<!DOCTYPE html><html lang="es"><head><meta charSet="utf-8"\/>/);
  expect(html).toContain("<title>Asunto «prueba»</title>");
  expect(html).toMatch(/<a href="https:\/\/cas\.entidad\.test\/mis-postulaciones" style="[^"]+">Ver mis postulaciones<\/a>/);
  expect(html).toMatch(/<th scope="row"[^>]*>Número de postulación<\/th><td[^>]*>2026-000123<\/td>/);
  expect(html).toContain("Superintendencia Nacional de Migraciones");
});

test("whatever a value holds is escaped in the HTML part (names and file names come from applicants)", () => {
  const { html, text } = composeMail({
    ...base,
    greeting: 'Hola, <script>alert(1)</script> & "Ana":',
    blocks: [{ list: ['<img src="https://evil.example/x.png">.pdf'] }],
  });
  expect(html).not.toContain("<script>");
  expect(html).not.toContain("<img");
  expect(html).toContain("Hola, &lt;script&gt;alert(1)&lt;/script&gt; &amp; &quot;Ana&quot;:");
  expect(text).toContain('<script>alert(1)</script> & "Ana"');
});

test("a link outside BASE_URL is a programming error, not a message", () => {
  expect(() => composeMail({ ...base, blocks: [{ link: "https://evil.example/x", label: "Ver" }] })).toThrow(/outside BASE_URL/);
  expect(() => composeMail({ ...base, blocks: [{ link: "https://cas.entidad.test.evil.example/x", label: "Ver" }] })).toThrow(/outside BASE_URL/);
});

test("the help desk of Datos de la entidad closes both parts; none set, no line about it", () => {
  const mesaDeAyuda = { email: "mesadeayuda@entidad.gob.pe", telefono: "(01) 200-1000 anexo 123", horario: "lunes a viernes de 8:30 a 16:30" };
  const { text, html } = composeMail({ ...base, entity: { nombre: "Gobierno Regional de Piura", mesaDeAyuda }, blocks: ["Hola."] });
  expect(text).toBe(
    "Hola.\n\n--\nGobierno Regional de Piura\nCAS Online\nMesa de ayuda:\nCorreo: mesadeayuda@entidad.gob.pe\nTeléfono: (01) 200-1000 anexo 123\nHorario: lunes a viernes de 8:30 a 16:30\n",
  );
  expect(html).toContain("Gobierno Regional de Piura");
  expect(html).toContain("Correo: mesadeayuda@entidad.gob.pe");
  expect(html).toContain("Horario: lunes a viernes de 8:30 a 16:30");
  expect(html).not.toContain("Superintendencia");
  const plain = composeMail({ ...base, blocks: ["Hola."] });
  expect(plain.text).not.toContain("Mesa de ayuda");
  expect(plain.html).not.toContain("Mesa de ayuda");
});
