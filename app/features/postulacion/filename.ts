/**
 * File names as the applicant gave them are for display only: never a storage key,
 * never a path. Cleaned here (no path, no control characters, at most 120 characters
 * keeping the extension) and escaped by React when shown.
 */
export const MAX_FILENAME = 120;

export function cleanDisplayName(raw: string | null | undefined, fallback = "documento.pdf"): string {
  let name = String(raw ?? "");
  // Keep what follows the last separator of any platform ("C:\\Users\\x\\cv.pdf", "../../etc/passwd").
  name = name.split(/[\\/]/).pop() ?? "";
  name = name
    .normalize("NFC")
    // Control characters, bidi overrides and other format characters.
    .replace(/[\p{Cc}\p{Cf}\u2028\u2029]/gu, "")
    .replace(/\s+/g, " ")
    .trim()
    .replace(/^\.+/, "");
  if (!name) return fallback;
  const chars = Array.from(name);
  if (chars.length <= MAX_FILENAME) return name;
  const dot = name.lastIndexOf(".");
  const ext = dot > 0 && name.length - dot <= 10 ? Array.from(name.slice(dot)) : [];
  return chars.slice(0, MAX_FILENAME - ext.length - 1).join("") + "…" + ext.join("");
}

/**
 * `Content-Disposition` for a download: a plain ASCII fallback plus the UTF-8 name
 * (RFC 6266 / RFC 5987), so no header injection and no mojibake.
 */
export function contentDisposition(kind: "inline" | "attachment", name: string): string {
  const clean = cleanDisplayName(name);
  const ascii =
    clean
      .normalize("NFD")
      .replace(/[\u0300-\u036f]/g, "")
      .replace(/[^\x20-\x7e]/g, "_")
      .replace(/["\\%;]/g, "_")
      .slice(0, 150) || "documento.pdf";
  const encoded = encodeURIComponent(clean).replace(/['()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
  return `${kind}; filename="${ascii}"; filename*=UTF-8''${encoded}`;
}
