// The browser's upload checks decide like the server: by size and by the first bytes, never by the
// file's name or declared type.
import { describe, expect, test } from "vitest";
import { checkUpload, sniffImageType } from "../../web/src/upload_check";
import { t } from "../../web/src/i18n";

const bytes = (...parts: (number[] | string)[]) =>
  new Uint8Array(parts.flatMap((p) => (typeof p === "string" ? [...p].map((c) => c.charCodeAt(0)) : p)));
const PNG = bytes([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a], [0, 0, 0, 13]);
const JPEG = bytes([0xff, 0xd8, 0xff, 0xe0, 0, 16]);
const GIF = bytes("GIF89a", [1, 0, 1, 0]);
const WEBP = bytes("RIFF", [26, 0, 0, 0], "WEBPVP8L");

describe("sniffImageType", () => {
  test.each([
    ["png", PNG], ["jpeg", JPEG], ["gif", GIF], ["gif", bytes("GIF87a")], ["webp", WEBP],
  ])("%s from its signature", (type, head) => {
    expect(sniffImageType(head)).toBe(type);
  });

  test.each([
    ["a PNG signature cut short", PNG.subarray(0, 7)],
    ["a PNG signature with one byte off", bytes([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0b])],
    ["two JPEG bytes", JPEG.subarray(0, 2)],
    ["GIF90a", bytes("GIF90a")],
    ["RIFF that is not WebP", bytes("RIFF", [26, 0, 0, 0], "WAVEfmt ")],
    ["WebP cut before its fourcc", WEBP.subarray(0, 11)],
    ["text", bytes("hello, world")],
    ["nothing", new Uint8Array()],
  ])("null for %s", (_, head) => {
    expect(sniffImageType(head)).toBeNull();
  });
});

describe("checkUpload", () => {
  const file = (content: Uint8Array, name: string, type: string) => new File([content], name, { type });

  test("an image passes whatever its name and declared type", async () => {
    expect(await checkUpload(file(PNG, "notes.txt", "text/plain"), 1000)).toBeNull();
    expect(await checkUpload(file(WEBP, "x", ""), 1000)).toBeNull();
  });

  test("a non-image is refused even when named and typed as one", async () => {
    expect(await checkUpload(file(bytes("these are not pixels"), "photo.png", "image/png"), 1000)).toBe(t("upload.badType"));
  });

  test("an empty file is refused as empty", async () => {
    expect(await checkUpload(file(new Uint8Array(), "a.png", "image/png"), 1000)).toBe(t("upload.empty"));
  });

  test("the size cap is inclusive: exactly the cap passes, one byte more is refused", async () => {
    const padded = (n: number) => { const b = new Uint8Array(n); b.set(PNG); return b; };
    expect(await checkUpload(file(padded(2048), "a.png", "image/png"), 2048)).toBeNull();
    const refused = await checkUpload(file(padded(2049), "a.png", "image/png"), 2048);
    expect(refused).toBe(t("upload.tooLarge", { max: "2 KB" }));
  });
});
