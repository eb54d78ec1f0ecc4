/**
 * File names as a person gave them are for display only: never a storage key, never a
 * path. The one way a name is cleaned, wherever it is stored, shown or served:
 *
 *   cleanFileName(raw)                       → kept and shown (React escapes it)
 *   contentDisposition("inline", name)       → served: ends in ".pdf" whatever was sent
 *   contentDisposition("attachment", n, "docx")
 *
 * Removed: any path (a Windows or Unix one, "../"), control characters, bidi overrides,
 * embeddings and isolates and every other format character (U+202E would show
 * "cv\u202Efdp.exe" as "cvexe.pdf"), line and paragraph separators, lone surrogates,
 * leading dots. At most 120 characters, the extension kept.
 */
export const MAX_FILE_NAME = 120;

export function cleanFileName(raw: string | null | undefined, fallback = "documento.pdf"): string {
  let name = String(raw ?? "");
  // Keep what follows the last separator of any platform ("C:\\Users\\x\\cv.pdf", "../../etc/passwd").
  name = name.split(/[\\/]/).pop() ?? "";
  name = name
    .normalize("NFC")
    .replace(/[\p{Cc}\p{Cf}\p{Cs}\p{Zl}\p{Zp}]/gu, "")
    .replace(/\s+/g, " ")
    .trim()
    .replace(/^\.+/, "")
    .trim();
  if (!name) return fallback;
  const chars = Array.from(name);
  if (chars.length <= MAX_FILE_NAME) return name;
  const dot = name.lastIndexOf(".");
  const ext = dot > 0 && name.length - dot <= 10 ? Array.from(name.slice(dot)) : [];
  return chars.slice(0, MAX_FILE_NAME - ext.length - 1).join("") + "…" + ext.join("");
}

/**
 * The name a file is served under: cleaned, and ending in `.<ext>` (the type the server
 * answers with), so what the browser saves opens as what it is: "cvfdp.exe" → "cvfdp.exe.pdf".
 */
export function servedFileName(name: string, ext = "pdf"): string {
  const clean = cleanFileName(name, `documento.${ext}`);
  if (clean.toLowerCase().endsWith(`.${ext}`)) return clean;
  const suffix = `.${ext}`;
  const chars = Array.from(clean);
  return (chars.length + suffix.length > MAX_FILE_NAME ? chars.slice(0, MAX_FILE_NAME - suffix.length).join("") : clean) + suffix;
}

/**
 * `Content-Disposition` for a download: a plain ASCII fallback plus the UTF-8 name
 * (RFC 6266 / RFC 5987), so no header injection and no mojibake.
 */
export function contentDisposition(kind: "inline" | "attachment", name: string, ext = "pdf"): string {
  const served = servedFileName(name, ext);
  // Accents dropped after NFD (NFC first: "o" + U+0301 and "ó" give the same "o", never "o-n"),
  // "N°"/"Nº" as "No", anything else outside printable ASCII as "_".
  const ascii = served
    .normalize("NFD")
    .replace(/[\u0300-\u036f]/g, "")
    .replace(/[°º]/g, "o")
    .replace(/ª/g, "a")
    .replace(/[^\x20-\x7e]/g, "_")
    .replace(/["\\%;]/g, "_");
  const encoded = encodeURIComponent(served).replace(/['()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
  return `${kind}; filename="${ascii}"; filename*=UTF-8''${encoded}`;
}
