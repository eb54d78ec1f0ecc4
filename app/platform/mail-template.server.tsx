import type { CSSProperties, ReactNode } from "react";
import { renderToStaticMarkup } from "react-dom/server";
import { mesaDeAyudaLines, type MailEntity } from "./entity-settings.server";

/**
 * Every e-mail the app sends, as its two parts from one description: the plain text and an
 * accessible HTML part (lang="es", inline styles only, the entity's name and help desk — "Datos
 * de la entidad", services.entidad — no remote images, links whose text says where they lead).
 * React renders the HTML, so every value is escaped. The entity's logo is not in e-mails: it
 * would be a remote image (blocked by most clients, and a read receipt) or an inline part.
 *
 *   await enqueueMail(tx, {
 *     causeKey, to, subject,
 *     ...composeMail({ entity: await services.entidad.current(), baseUrl, subject, greeting: `Hola, ${nombres}:`, blocks: [
 *       "Para confirmar su correo, abra este enlace:",
 *       { link: `${baseUrl}/verificar-correo?token=…`, label: "Verificar mi correo" },
 *       { fields: [["Número de postulación", "2026-000123"]] },
 *       { list: ["DNI: dni.pdf", "…"] },
 *     ] }),
 *   });
 *
 * Links must lead to the app (start with BASE_URL): a message never points elsewhere.
 */
export type MailBlock =
  | string
  | { link: string; label: string }
  | { fields: Array<[label: string, value: string]> }
  | { list: string[] }
  | { note: string };

export type ComposedMail = { text: string; html: string };

const COLORS = { text: "#1a1a1a", muted: "#4a4a4a", link: "#0b4f8a", accent: "#0b3d6b", rule: "#d0d0d0", page: "#f3f4f6" };
const FONT = "Arial, Helvetica, sans-serif";
const P: CSSProperties = { margin: "0 0 16px", fontSize: "16px", lineHeight: "1.5", color: COLORS.text };

type Input = { entity: MailEntity; subject: string; greeting?: string; blocks: MailBlock[] };

export function composeMail(input: {
  entity: MailEntity;
  baseUrl: string;
  subject: string;
  greeting?: string;
  blocks: MailBlock[];
}): ComposedMail {
  const base = input.baseUrl.replace(/\/$/, "");
  for (const block of input.blocks) {
    if (typeof block === "object" && "link" in block && block.link !== base && !block.link.startsWith(`${base}/`)) {
      throw new Error(`mail link outside BASE_URL: ${new URL(block.link).origin}`);
    }
  }
  return { text: textPart(input), html: htmlPart(input) };
}

function textPart(input: Input): string {
  const parts: string[] = [];
  if (input.greeting) parts.push(input.greeting);
  for (const block of input.blocks) {
    if (typeof block === "string") parts.push(block);
    else if ("link" in block) parts.push(`${block.label}:\n${block.link}`);
    else if ("fields" in block) parts.push(block.fields.map(([label, value]) => `${label}: ${value}`).join("\n"));
    else if ("list" in block) parts.push(block.list.map((item) => `- ${item}`).join("\n"));
    else parts.push(block.note);
  }
  const mesa = mesaDeAyudaLines(input.entity.mesaDeAyuda);
  parts.push([`--`, input.entity.nombre, `CAS Online`, ...(mesa.length ? [`Mesa de ayuda:`, ...mesa] : [])].join("\n"));
  return `${parts.join("\n\n")}\n`;
}

function htmlPart(input: Input): string {
  const mesa = mesaDeAyudaLines(input.entity.mesaDeAyuda);
  const body = (
    <html lang="es">
      <head>
        <meta charSet="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <title>{input.subject}</title>
      </head>
      <body style={{ margin: 0, padding: 0, backgroundColor: COLORS.page, fontFamily: FONT }}>
        <div style={{ maxWidth: "600px", margin: "0 auto", padding: "24px 16px", backgroundColor: "#ffffff" }}>
          <p style={{ ...P, fontSize: "18px", fontWeight: "bold", color: COLORS.accent }}>{input.entity.nombre}</p>
          {input.greeting ? <p style={P}>{input.greeting}</p> : null}
          {input.blocks.map((block, i) => (
            <Block key={i} block={block} />
          ))}
          <hr style={{ border: 0, borderTop: `1px solid ${COLORS.rule}`, margin: "24px 0 16px" }} />
          <p style={{ ...P, fontSize: "14px", color: COLORS.muted }}>
            {input.entity.nombre}
            <br />
            CAS Online
          </p>
          {mesa.length ? (
            <p style={{ ...P, fontSize: "14px", color: COLORS.muted }}>
              Mesa de ayuda:
              {mesa.map((line) => (
                <span key={line}>
                  <br />
                  {line}
                </span>
              ))}
            </p>
          ) : null}
        </div>
      </body>
    </html>
  );
  return `<!DOCTYPE html>${renderToStaticMarkup(body)}`;
}

function Block({ block }: { block: MailBlock }): ReactNode {
  if (typeof block === "string") return <p style={P}>{block}</p>;
  if ("link" in block) {
    return (
      <p style={P}>
        <a href={block.link} style={{ color: COLORS.link, fontWeight: "bold", textDecoration: "underline" }}>
          {block.label}
        </a>
      </p>
    );
  }
  if ("fields" in block) {
    return (
      <table style={{ ...P, borderCollapse: "collapse" }}>
        <tbody>
          {block.fields.map(([label, value]) => (
            <tr key={label}>
              <th scope="row" style={{ textAlign: "left", verticalAlign: "top", padding: "2px 12px 2px 0", fontWeight: "bold" }}>
                {label}
              </th>
              <td style={{ padding: "2px 0", wordBreak: "break-word" }}>{value}</td>
            </tr>
          ))}
        </tbody>
      </table>
    );
  }
  if ("list" in block) {
    return (
      <ul style={{ ...P, paddingLeft: "24px" }}>
        {block.list.map((item, i) => (
          <li key={i} style={{ marginBottom: "4px", wordBreak: "break-word" }}>
            {item}
          </li>
        ))}
      </ul>
    );
  }
  return <p style={{ ...P, fontSize: "14px", color: COLORS.muted }}>{block.note}</p>;
}
