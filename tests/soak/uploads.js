// What the soak uploads: ordinary images, and the hostile files an open upload form gets (a cut-off
// PNG, a PNG that is not one, a small file claiming 400 million pixels whose IDAT inflates to
// gigabytes, a body past MAX_UPLOAD_BYTES). Each kind carries the statuses the API may answer with;
// anything else (a 5xx in particular) is for the checker to judge.
import { Buffer } from "node:buffer";
import { multipart, png, pngFromParts, zerosZlib } from "../integration/support/images.js";

const MiB = 1024 * 1024;

// Built once per run: the bomb's zlib stream takes a moment, and the oversize body is 10 MB.
export async function makeUploadKinds({ maxUploadBytes = 10 * MiB } = {}) {
  const bomb = pngFromParts(20_000, 20_000, await zerosZlib(64 * MiB));
  const oversize = Buffer.alloc(maxUploadBytes + 64 * 1024, 7);
  const goodPngs = [
    png(96, 64),
    png(640, 400, (x, y) => [x & 255, y & 255, (x ^ y) & 255]),
    png(300, 300, (x, y) => [(x * y) & 255, 128, 255 - (x & 255)]),
  ];
  const truncated = goodPngs[1].subarray(0, Math.floor(goodPngs[1].length / 2));
  const wrongMagic = Buffer.concat([Buffer.from("GIF87a not really"), goodPngs[0].subarray(17)]);
  return {
    good: { weight: 70, ok: [201], file: (i) => ({ data: goodPngs[i % goodPngs.length], type: "image/png", name: "photo.png" }) },
    truncated: { weight: 8, ok: [400, 415, 422], file: () => ({ data: truncated, type: "image/png", name: "cut.png" }) },
    wrongMagic: { weight: 8, ok: [400, 415, 422], file: () => ({ data: wrongMagic, type: "image/png", name: "fake.png" }) },
    zipBomb: { weight: 8, ok: [400, 413, 415, 422], file: () => ({ data: bomb, type: "image/png", name: "bomb.png" }) },
    oversize: { weight: 2, ok: [413], file: () => ({ data: oversize, type: "image/png", name: "huge.png" }) },
  };
}

export function uploadBody(file, title) {
  return multipart([
    { name: "file", filename: file.name, type: file.type, data: file.data },
    { name: "title", value: title },
  ]);
}
