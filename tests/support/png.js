// The one PNG writer of the JS tests, fakes and benches: real, decodable files drawn in code, so no
// image binaries live in the repo. zlib (deflate and CRC-32) comes from node:zlib.
import { crc32, deflateSync } from "node:zlib";

export const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

// One chunk: length, type, data, CRC over type and data.
export function pngChunk(type, data) {
  const out = Buffer.alloc(12 + data.length);
  out.writeUInt32BE(data.length, 0);
  out.write(type, 4, "latin1");
  data.copy(out, 8);
  out.writeUInt32BE(crc32(out.subarray(4, 8 + data.length)), 8 + data.length);
  return out;
}

// A PNG from its parts: the IHDR fields as given, one IDAT holding `zlibData`, IEND. Tests use it to
// write files that lie (a huge size, a zlib bomb).
export function pngFromParts(width, height, zlibData, { depth = 8, colourType = 2 } = {}) {
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(width, 0);
  ihdr.writeUInt32BE(height, 4);
  ihdr[8] = depth;
  ihdr[9] = colourType;
  return Buffer.concat([PNG_SIGNATURE, pngChunk("IHDR", ihdr), pngChunk("IDAT", zlibData), pngChunk("IEND", Buffer.alloc(0))]);
}

// An 8-bit RGB PNG from its filtered rows: each row is a filter byte (0 = none) then width x 3 bytes.
export function rgbPng(width, height, rows) {
  return pngFromParts(width, height, deflateSync(rows));
}
