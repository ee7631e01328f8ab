// The checks the server makes on an upload, made first in the browser so a wrong file fails at
// once: the size cap (config.maxUploadBytes) and the type, decided like the server does, by the
// file's first bytes (PNG, JPEG, WebP, GIF), not by its name or declared type.
import { formatBytes, t } from "./i18n";

export const ACCEPT = "image/png,image/jpeg,image/webp,image/gif";

export function sniffImageType(head: Uint8Array): "png" | "jpeg" | "gif" | "webp" | null {
  const ascii = (from: number, to: number) => String.fromCharCode(...head.subarray(from, to));
  if (head.length >= 8 && [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a].every((b, i) => head[i] === b)) return "png";
  if (head.length >= 3 && head[0] === 0xff && head[1] === 0xd8 && head[2] === 0xff) return "jpeg";
  if (head.length >= 6 && (ascii(0, 6) === "GIF87a" || ascii(0, 6) === "GIF89a")) return "gif";
  if (head.length >= 12 && ascii(0, 4) === "RIFF" && ascii(8, 12) === "WEBP") return "webp";
  return null;
}

// Resolves to a message for the person, or null when the file may be sent.
export async function checkUpload(file: File, maxBytes: number): Promise<string | null> {
  if (file.size === 0) return t("upload.empty");
  if (file.size > maxBytes) return t("upload.tooLarge", { max: formatBytes(maxBytes) });
  const head = new Uint8Array(await file.slice(0, 16).arrayBuffer());
  if (!sniffImageType(head)) return t("upload.badType");
  return null;
}
