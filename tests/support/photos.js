// Photo-like test pictures made in code (no binaries in the repo): smooth lighting, soft blobs, fine
// texture and sensor-like grain, which is what makes real photos heavy to decode and big on disk. A
// flat colour or a checkerboard would compress and decode far faster than any camera file.
// JPEG and WebP come from Debian's own encoders (cjpeg from libjpeg-turbo-progs, cwebp from webp),
// installed by scripts/setup.sh; PNG from tests/support/png.js.
import { spawnSync } from "node:child_process";
import { deflateSync } from "node:zlib";
import { pngFromParts } from "./png.js";

// width x height x 3 bytes of RGB; grain is the noise half-range in levels. Deterministic.
export function photoRgb(width, height, { grain = 10, seed = 7 } = {}) {
  const lowX = new Float32Array(width * 3), lowY = new Float32Array(height * 3);
  const midX = new Float32Array(width * 3), midY = new Float32Array(height * 3);
  for (let c = 0; c < 3; c++) {
    for (let x = 0; x < width; x++) {
      const u = x / width;
      lowX[x * 3 + c] = 60 * Math.sin(2 * Math.PI * (u * (0.7 + 0.3 * c) + 0.1 * c));
      midX[x * 3 + c] = Math.sin(2 * Math.PI * u * (23 + 7 * c)) + 0.5 * Math.sin(2 * Math.PI * u * 97);
    }
    for (let y = 0; y < height; y++) {
      const v = y / height;
      lowY[y * 3 + c] = 50 * Math.cos(2 * Math.PI * (v * (0.5 + 0.4 * c) + 0.2 * c));
      midY[y * 3 + c] = Math.sin(2 * Math.PI * v * (17 + 5 * c)) + 0.5 * Math.cos(2 * Math.PI * v * 71);
    }
  }
  const out = Buffer.alloc(width * height * 3);
  let noise = (seed * 2654435761 + 1) >>> 0;
  const base = [128, 118, 104];
  for (let y = 0; y < height; y++) {
    const dy = (y / width - 0.45) ** 2;
    for (let x = 0; x < width; x++) {
      const blob = Math.exp(-(((x / width - 0.4) ** 2 + dy) / 0.03));
      for (let c = 0; c < 3; c++) {
        noise = (Math.imul(noise, 1664525) + 1013904223) >>> 0;
        const n = grain ? (((noise >>> 8) & 0xff) + ((noise >>> 16) & 0xff) - 255) / 255 * grain : 0;
        const value = base[c] + lowX[x * 3 + c] + lowY[y * 3 + c] + 14 * midX[x * 3 + c] * midY[y * 3 + c] +
          (c === 0 ? 60 : -30) * blob + n;
        out[(y * width + x) * 3 + c] = value < 0 ? 0 : value > 255 ? 255 : value;
      }
    }
  }
  return out;
}

function ppm(width, height, rgb) {
  return Buffer.concat([Buffer.from(`P6\n${width} ${height}\n255\n`), rgb]);
}

function run(command, args, input) {
  const r = spawnSync(command, args, { input, maxBuffer: 1 << 30 });
  if (r.status !== 0) throw new Error(`${command} ${args.join(" ")}: ${r.error ?? r.stderr}`);
  return r.stdout;
}

// A JPEG at `quality` (progressive when asked), lowered in steps until it weighs at most maxBytes.
export function photoJpeg(width, height, { quality = 90, progressive = false, grain = 10, maxBytes = Infinity } = {}) {
  const input = ppm(width, height, photoRgb(width, height, { grain }));
  for (let q = quality; ; q -= 6) {
    const args = ["-quality", String(q), ...(progressive ? ["-progressive"] : []), "-optimize"];
    const jpeg = run("cjpeg", args, input);
    if (jpeg.length <= maxBytes || q <= 40) return jpeg;
  }
}

// A WebP from cwebp: lossy at `quality`, or lossless.
export function photoWebp(width, height, { quality = 80, lossless = false, grain = 6 } = {}) {
  const input = ppm(width, height, photoRgb(width, height, { grain }));
  return run("cwebp", ["-quiet", ...(lossless ? ["-lossless"] : ["-q", String(quality)]), "-o", "-", "--", "-"], input);
}

// An 8-bit RGB PNG, rows with the Sub filter (what a real encoder picks for smooth pictures).
export function photoPng(width, height, { grain = 2, level = 6 } = {}) {
  const rgb = photoRgb(width, height, { grain });
  const stride = width * 3;
  const raw = Buffer.alloc(height * (stride + 1));
  for (let y = 0; y < height; y++) {
    const row = y * (stride + 1);
    raw[row] = 1;  // Sub
    for (let i = 0; i < stride; i++) {
      const left = i >= 3 ? rgb[y * stride + i - 3] : 0;
      raw[row + 1 + i] = (rgb[y * stride + i] - left) & 0xff;
    }
  }
  return pngFromParts(width, height, deflateSync(raw, { level }));
}
