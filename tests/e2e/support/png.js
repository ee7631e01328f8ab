// Real PNG files for upload tests, drawn here: an RGB gradient of any size (written by tests/support/png.js).
import { rgbPng } from "../../support/png.js";


// from/to: [r, g, b] at the top-left and bottom-right corners.
export function gradientPng(width, height, from = [255, 210, 63], to = [61, 90, 128]) {
  const raw = Buffer.alloc((width * 3 + 1) * height);
  for (let y = 0; y < height; y++) {
    const row = y * (width * 3 + 1);
    raw[row] = 0; // filter: none
    for (let x = 0; x < width; x++) {
      const t = (x / Math.max(1, width - 1) + y / Math.max(1, height - 1)) / 2;
      for (let c = 0; c < 3; c++) raw[row + 1 + x * 3 + c] = Math.round(from[c] + (to[c] - from[c]) * t);
    }
  }
  return rgbPng(width, height, raw);
}
