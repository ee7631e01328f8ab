// The codec path on the real Worker: every thumbnail is made in a throwaway codec.wasm instance. Bad
// input of every kind gets a clear answer with nothing stored, libjpeg's fatal errors (which trap the
// codec instance by design) never take a pooled app instance with them, and the formats that had no
// thumbnail before (WebP, progressive JPEG, EXIF-rotated photos) now get an upright one.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { startWorker } from "./support/worker.js";
import { Client } from "./support/client.js";
import { imageSize, multipart, pngFromParts } from "./support/images.js";
import { photoJpeg, photoPng, photoWebp } from "../support/photos.js";
import { deflateSync } from "node:zlib";

let worker, alice, aliceId;

before(async () => {
  worker = await startWorker({ vars: { DEBUG_ROUTES: "true" } });
  alice = new Client(worker.url);
  aliceId = (await alice.devLogin("codecs@example.com")).id;
});
after(async () => worker?.stop());

function upload(bytes, filename, type = "application/octet-stream") {
  const { body, contentType } = multipart([{ name: "file", filename, type, data: bytes }]);
  return alice.json("/api/images", { method: "POST", headers: { "content-type": contentType }, body });
}

async function pool() {
  return (await worker.fetch("/api/_debug/pool")).json();
}

async function objects() {
  const r = await worker.fetch(`/api/_debug/objects?prefix=${encodeURIComponent(`images/${aliceId}/`)}`);
  return (await r.json()).objects.map((o) => o.key);
}

async function thumbnailOf(image) {
  assert.ok(image.thumbnailUrl, `no thumbnail: ${JSON.stringify(image)}`);
  const r = await alice.fetch(image.thumbnailUrl);
  assert.equal(r.status, 200);
  return imageSize(new Uint8Array(await r.arrayBuffer()));
}

// JPEG segments up to the first scan: [marker, offset, length].
function segments(jpeg) {
  const out = [];
  for (let pos = 2; pos < jpeg.length;) {
    const marker = jpeg[pos + 1];
    const length = jpeg.readUInt16BE(pos + 2);
    out.push([marker, pos, length]);
    if (marker === 0xda) break;
    pos += 2 + length;
  }
  return out;
}

// An APP1 Exif segment holding only an Orientation tag (little-endian TIFF, one IFD entry).
function exifOrientation(value) {
  const tiff = Buffer.alloc(26);
  tiff.write("II", 0, "latin1");
  tiff.writeUInt16LE(42, 2);
  tiff.writeUInt32LE(8, 4);        // first IFD
  tiff.writeUInt16LE(1, 8);        // one entry
  tiff.writeUInt16LE(0x0112, 10);  // Orientation
  tiff.writeUInt16LE(3, 12);       // SHORT
  tiff.writeUInt32LE(1, 14);       // count
  tiff.writeUInt16LE(value, 18);
  tiff.writeUInt32LE(0, 22);       // no next IFD
  const body = Buffer.concat([Buffer.from("Exif\0\0", "latin1"), tiff]);
  const head = Buffer.from([0xff, 0xe1, 0, 0]);
  head.writeUInt16BE(body.length + 2, 2);
  return Buffer.concat([head, body]);
}

// A VP8X WebP (100 x 80, no flags) whose next chunk claims `size` bytes.
function vp8xWithChunk(type, size) {
  const b = Buffer.alloc(46);
  b.write("RIFF", 0, "latin1");
  b.writeUInt32LE(38, 4);
  b.write("WEBPVP8X", 8, "latin1");
  b.writeUInt32LE(10, 16);
  b.writeUIntLE(99, 24, 3);
  b.writeUIntLE(79, 27, 3);
  b.write(type, 30, "latin1");
  b.writeUInt32LE(size, 34);
  return b;
}

test("bad input of every kind: a clear 422, nothing stored, and no app instance lost", async () => {
  const jpeg = photoJpeg(640, 480, { quality: 85 });
  const [, dqtAt, dqtLength] = segments(jpeg).filter(([m]) => m === 0xdb).at(-1);
  const progressive = photoJpeg(640, 480, { quality: 85, progressive: true });
  const [, sosAt] = segments(progressive).find(([m]) => m === 0xda);
  // Its first scan (SOS header + entropy data) repeated until the file has 1500 scans.
  const eoi = progressive.length - 2;
  let nextMarker = sosAt + 2;
  while (!(progressive[nextMarker] === 0xff && progressive[nextMarker + 1] !== 0 &&
    !(progressive[nextMarker + 1] >= 0xd0 && progressive[nextMarker + 1] <= 0xd7))) nextMarker++;
  const scan = progressive.subarray(sosAt, nextMarker);
  const manyScans = Buffer.concat([progressive.subarray(0, eoi), ...Array(1500).fill(scan), progressive.subarray(eoi)]);
  const webp = photoWebp(64, 48);
  const lyingWebp = Buffer.from(webp);
  lyingWebp.writeUInt32LE(0x7ffffff0, 4);
  const giantJpeg = Buffer.from(jpeg);
  const [, sofAt] = segments(jpeg).find(([m]) => m === 0xc0);
  giantJpeg.writeUInt16BE(65535, sofAt + 5);
  giantJpeg.writeUInt16BE(65535, sofAt + 7);

  const cases = [
    // libjpeg's fatal error (a component names a quantization table that was never defined): the
    // codec instance traps, the shim reads the reason it wrote first, and the answer is a plain 422.
    ["missing-table.jpg", Buffer.concat([jpeg.subarray(0, dqtAt), jpeg.subarray(dqtAt + 2 + dqtLength)])],
    ["truncated.jpg", jpeg.subarray(0, Math.floor(jpeg.length * 0.6))],
    ["truncated-progressive.jpg", progressive.subarray(0, Math.floor(progressive.length * 0.5))],
    ["1500-scans.jpg", manyScans],
    ["65535x65535.jpg", giantJpeg],
    ["truncated.webp", webp.subarray(0, Math.floor(webp.length * 0.5))],
    ["lying-riff.webp", lyingWebp],
    // A chunk size near 2^32: once wrapped a 32-bit position back onto itself (an endless loop in wasm).
    ["huge-chunk.webp", vp8xWithChunk("ICCP", 0xfffffff8)],
    ["crc.png", (() => { const p = Buffer.from(photoPng(64, 48)); p[p.length - 20] ^= 0xff; return p; })()],
  ];
  const before = await pool();
  for (const [name, bytes] of cases) {
    const r = await upload(bytes, name);
    assert.equal(r.status, 422, `${name}: ${JSON.stringify(r.body)}`);
    assert.equal(r.body.error.code, "VALIDATION_FAILED", name);
    assert.ok(r.body.error.fields.file, name);
  }
  assert.deepEqual(await objects(), []);
  assert.equal((await alice.json("/api/images")).body.total, 0);
  const after = await pool();
  // Small requests: the one app instance served them all and was never dropped (a trap would have).
  assert.equal(after.created, before.created, JSON.stringify({ before, after }));
  assert.equal(after.dropped, before.dropped);
  assert.equal(after.codec.used, 0);
  assert.ok(after.codec.traps > before.codec.traps, "the missing table trapped its codec instance");
});

// 16-bit RGB rows, filter 0, a horizontal ramp over the full 16-bit range.
function deepRows(width, height) {
  const stride = 1 + width * 6;
  const raw = Buffer.alloc(height * stride);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      for (let c = 0; c < 3; c++) raw.writeUInt16BE(Math.floor((x * 65535) / width), y * stride + 1 + x * 6 + c * 2);
    }
  }
  return raw;
}

test("formats that had no thumbnail before get an upright one", async () => {
  const landscape = photoJpeg(800, 400, { quality: 85 });
  const rotated = Buffer.concat([landscape.subarray(0, 2), exifOrientation(6), landscape.subarray(2)]);
  const cases = [
    ["rotated.jpg", rotated, [192, 384]],  // orientation 6: shown turned a quarter, so portrait
    ["progressive.jpg", photoJpeg(4000, 3000, { quality: 88, progressive: true }), [384, 288]],
    ["lossy.webp", photoWebp(2048, 1024), [384, 192]],
    ["lossless.webp", photoWebp(600, 900, { lossless: true }), [256, 384]],
    ["deep.png", pngFromParts(300, 200, deflateSync(deepRows(300, 200)), { depth: 16 }), [300, 200]],
  ];
  for (const [name, bytes, size] of cases) {
    const r = await upload(bytes, name);
    assert.equal(r.status, 201, `${name}: ${JSON.stringify(r.body)}`);
    const thumb = await thumbnailOf(r.body.image);
    assert.deepEqual([thumb.format, thumb.width, thumb.height], ["jpeg", ...size], name);
  }
});
