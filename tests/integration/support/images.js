// Image bytes made in the test (no binaries in the repo) and raw multipart bodies, so every byte a
// test sends is under its control: hostile file names, two files, broken boundaries.
import { Buffer } from "node:buffer";
import { createHash } from "node:crypto";
import { createDeflate } from "node:zlib";
import { PNG_SIGNATURE, pngFromParts, rgbPng } from "../../support/png.js";

export { pngFromParts };

// An RGB PNG whose pixels come from pixel(x, y) -> [r, g, b].
// The default is gradients and 8-pixel checks: varied enough to show resize mistakes, and compact.
export function png(width, height, pixel = (x, y) => [(x * 255) / width, (y * 255) / height, (((x >> 3) ^ (y >> 3)) & 1) * 255]) {
  const raw = Buffer.alloc(height * (1 + width * 3));
  for (let y = 0; y < height; y++) {
    const row = y * (1 + width * 3);
    raw[row] = 0; // filter: none
    for (let x = 0; x < width; x++) {
      const [r, g, b] = pixel(x, y);
      raw[row + 1 + x * 3] = r;
      raw[row + 2 + x * 3] = g;
      raw[row + 3 + x * 3] = b;
    }
  }
  return rgbPng(width, height, raw);
}

// A zlib stream of `size` zero bytes, made in pieces so the test never holds `size` bytes itself.
export async function zerosZlib(size) {
  const deflate = createDeflate({ level: 9 });
  const out = [];
  deflate.on("data", (d) => out.push(d));
  const done = new Promise((resolve, reject) => {
    deflate.on("end", resolve);
    deflate.on("error", reject);
  });
  const piece = Buffer.alloc(1 << 20);
  for (let left = size; left > 0; left -= piece.length) {
    const part = left >= piece.length ? piece : piece.subarray(0, left);
    if (!deflate.write(part)) await new Promise((r) => deflate.once("drain", r));
  }
  deflate.end();
  await done;
  return Buffer.concat(out);
}

// Width and height from a PNG's IHDR or a JPEG's SOFn, as a browser would read them.
export function imageSize(bytes) {
  const b = Buffer.from(bytes);
  if (b.subarray(0, 8).equals(PNG_SIGNATURE)) return { format: "png", width: b.readUInt32BE(16), height: b.readUInt32BE(20) };
  if (b[0] === 0xff && b[1] === 0xd8) {
    let pos = 2;
    while (pos + 4 <= b.length) {
      if (b[pos] !== 0xff) throw new Error(`bad JPEG marker at ${pos}`);
      const marker = b[pos + 1];
      const length = b.readUInt16BE(pos + 2);
      const isSof = marker >= 0xc0 && marker <= 0xcf && ![0xc4, 0xc8, 0xcc].includes(marker);
      if (isSof) return { format: "jpeg", width: b.readUInt16BE(pos + 7), height: b.readUInt16BE(pos + 5) };
      pos += 2 + length;
    }
  }
  throw new Error("neither PNG nor JPEG");
}

export const sha256Hex = (bytes) => createHash("sha256").update(bytes).digest("hex");

// The classic 1x1 GIF and a 1x1 lossless WebP: well-formed, tiny, and in every browser's test suite.
export const GIF_1X1 = Buffer.from("R0lGODlhAQABAIAAAP///wAAACH5BAEAAAAALAAAAAABAAEAAAICRAEAOw==", "base64");
export const WEBP_1X1 = Buffer.from("UklGRhoAAABXRUJQVlA4TA0AAAAvAAAAEAcQERGIiP4HAA==", "base64");

// A multipart/form-data body from parts: {name, value} for text, {name, filename, type, data} for files.
// `filename` goes into the header byte for byte (latin1), so tests can send NUL, quotes or raw UTF-8.
export function multipart(parts, boundary = `----nbtest${Math.random().toString(16).slice(2)}`) {
  const pieces = [];
  for (const p of parts) {
    let head = `--${boundary}\r\nContent-Disposition: form-data; name="${p.name}"`;
    if (p.filename !== undefined) head += `; filename="${p.filename}"`;
    head += "\r\n";
    if (p.filename !== undefined) head += `Content-Type: ${p.type ?? "application/octet-stream"}\r\n`;
    pieces.push(Buffer.from(head + "\r\n", p.rawHeader ? "latin1" : "utf8"));
    pieces.push(p.data !== undefined ? Buffer.from(p.data) : Buffer.from(p.value ?? "", "utf8"));
    pieces.push(Buffer.from("\r\n"));
  }
  pieces.push(Buffer.from(`--${boundary}--\r\n`));
  return { body: new Uint8Array(Buffer.concat(pieces)), contentType: `multipart/form-data; boundary=${boundary}` };
}
