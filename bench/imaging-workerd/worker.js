// Bench-only Worker (never deployed), driven by bench/imaging.js. One request times one implementation
// making N thumbnails back to back of the image in the request body, inside this isolate:
//
// POST /thumb?impl=cpp|photon&n=N[&filter=triangle|lanczos3][&workingBytes=B]   body: PNG, JPEG or WebP
//   cpp     the Worker's own path: js-shim/codec_runner.js thumbnail(env, {workingBytes}, body), i.e. the
//           isolate's codec lane admits the decode, a fresh codec.wasm instance with an imported memory
//           capped at input + base + workingBytes makes the thumbnail (libjpeg-turbo / libspng /
//           libwebp, streaming area resize, encode), and is dropped. Exactly the function the `thumbnail`
//           host import of the app runs.
//   photon  @cf-wasm/photon: PhotonImage.new_from_byteslice (decode), resize() with a Triangle
//           (default) or Lanczos3 filter, get_bytes_jpeg(82); one module instance for the isolate.
//   Both copy the input into wasm memory and the thumbnail out of it on every run, as a caller would.
//   Answers {msPerThumb, totalMs, n, width, height, bytes, contentType, memory}; 500 when a thumbnail
//   is not an image of the expected size (longest side 384, aspect kept as ThumbnailSize rounds it).
//   memory: cpp {codecBytesAtEnd: each fresh instance's memory when its run ended (max over the batch)};
//   photon {pagesBefore, pagesAfter} of its one long-lived module memory.
//
// POST /calibrate   body: an image. Runs the codec module once by hand in a memory with no budget
//   (1 GiB maximum) and answers its whole result record, including peak_heap_bytes (what the engine's
//   counting allocator saw at its highest), and PlanThumbnail's working_bytes for the image from the
//   module's nb_codec_plan export (the same src/imaging/thumbnail_plan.cpp the app plans with; null
//   when the module predates that export): the workingBytes the app would pass.
//
// GET /instantiate?k=K   K fresh codec instances as codec_runner.js makes them (memory + instance +
//   _initialize), no thumbnail: the fixed cost a thumbnail pays for its throwaway instance.
//
// workerd's clock ticks in whole milliseconds, so callers ask for batches and the time is divided.
import { PhotonImage, SamplingFilter, initPhoton, resize } from "@cf-wasm/photon/workerd";
import codecModule from "../../build/wasm/codec.opt.wasm";
import { CODEC_BASE_BYTES, thumbnail } from "../../js-shim/codec_runner.js";
import { isolateMemory } from "../../js-shim/isolate_memory.js";
import { makeWasi } from "../../js-shim/wasi.js";

const MAX_SIDE = 384;
const JPEG_QUALITY = 82; // what our engine writes (src/codecs/thumbnail.cpp); photon is asked for the same
const PAGE = 65536;

// ThumbnailSize (src/imaging/thumbnail_plan.cpp): longest side 384, the other rounded to nearest, never 0.
function thumbnailSize(width, height) {
  const longest = Math.max(width, height);
  if (longest <= MAX_SIDE) return [width, height];
  const scale = (side) => Math.max(1, Math.floor((side * MAX_SIDE + Math.floor(longest / 2)) / longest));
  return [width === longest ? MAX_SIDE : scale(width), height === longest ? MAX_SIDE : scale(height)];
}

// ------------------------------------------------------------------------------ headers
// Width and height from a JPEG's first start-of-frame marker; null if there is none.
function jpegSize(bytes) {
  if (bytes[0] !== 0xff || bytes[1] !== 0xd8) return null;
  for (let i = 2; i + 9 < bytes.length; ) {
    if (bytes[i] !== 0xff) return null;
    const marker = bytes[i + 1];
    const length = (bytes[i + 2] << 8) | bytes[i + 3];
    if (marker >= 0xc0 && marker <= 0xcf && marker !== 0xc4 && marker !== 0xc8 && marker !== 0xcc) {
      return { height: (bytes[i + 5] << 8) | bytes[i + 6], width: (bytes[i + 7] << 8) | bytes[i + 8] };
    }
    i += 2 + length;
  }
  return null;
}

const ascii = (bytes, at, n) => String.fromCharCode(...bytes.subarray(at, at + n));

// Width and height of a still WebP (VP8, VP8L or VP8X); null if it is not one.
function webpSize(bytes) {
  if (bytes.length < 30 || ascii(bytes, 0, 4) !== "RIFF" || ascii(bytes, 8, 4) !== "WEBP") return null;
  const chunk = ascii(bytes, 12, 4);
  const u16 = (at) => bytes[at] | (bytes[at + 1] << 8);
  const u24 = (at) => bytes[at] | (bytes[at + 1] << 8) | (bytes[at + 2] << 16);
  if (chunk === "VP8 ") return { width: u16(26) & 0x3fff, height: u16(28) & 0x3fff };
  if (chunk === "VP8L") {
    const bits = bytes[21] | (bytes[22] << 8) | (bytes[23] << 16) | (bytes[24] << 24);
    return { width: (bits & 0x3fff) + 1, height: ((bits >>> 14) & 0x3fff) + 1 };
  }
  if (chunk === "VP8X") return { width: u24(24) + 1, height: u24(27) + 1 };
  return null;
}

// The picture's size from its own header (PNG IHDR, JPEG frame, WebP).
function imageSize(bytes) {
  if (bytes[0] === 0x89 && bytes[1] === 0x50) {
    const view = new DataView(bytes.buffer, bytes.byteOffset);
    return { width: view.getUint32(16), height: view.getUint32(20), type: "image/png" };
  }
  const jpeg = jpegSize(bytes);
  if (jpeg) return { ...jpeg, type: "image/jpeg" };
  const webp = webpSize(bytes);
  return webp ? { ...webp, type: "image/webp" } : null;
}

// ------------------------------------------------------------------------------ ours
// Every codec memory codec_runner.js registers with the isolate's account is unregistered when its run
// ends (in its `finally`); its size there is what that throwaway instance grew to. Watching that call
// measures the production path without changing it.
let codecBytesAtEnd = 0;
let watched = null;
function watchCodecMemory(env) {
  const memory = isolateMemory(env);
  if (watched === memory) return;
  const unregister = memory.unregister.bind(memory);
  memory.unregister = (m) => {
    codecBytesAtEnd = Math.max(codecBytesAtEnd, m.buffer.byteLength);
    return unregister(m);
  };
  watched = memory;
}

async function cppThumbnail(env, bytes, workingBytes) {
  const reply = await thumbnail(env, { workingBytes }, bytes);
  return { bytes: reply.body, width: reply.head.width, height: reply.head.height, contentType: reply.head.contentType };
}

// The codec by hand, outside any budget: its full result record (see codec_runner.js for the layout).
function calibrate(bytes) {
  const pages = (b) => Math.ceil(b / PAGE);
  const linear = new WebAssembly.Memory({ initial: pages(CODEC_BASE_BYTES), maximum: 16384 });
  const codec = new WebAssembly.Instance(codecModule, { env: { memory: linear }, wasi_snapshot_preview1: makeWasi(() => linear) }).exports;
  codec._initialize();
  const input = codec.nb_codec_alloc(bytes.length);
  new Uint8Array(linear.buffer, input, bytes.length).set(bytes);
  const planWorkingBytes = typeof codec.nb_codec_plan === "function" ? codec.nb_codec_plan(input, bytes.length) >>> 0 : null;
  let record;
  let trapped = null;
  try {
    record = codec.nb_codec_thumbnail(input, bytes.length);
  } catch (e) {
    trapped = String(e);
    record = codec.nb_codec_result();
  }
  const f = new Uint32Array(linear.buffer.slice(record, record + 40));
  const text = (ptr, len) => new TextDecoder().decode(new Uint8Array(linear.buffer, ptr, len));
  return {
    status: f[0], message: text(f[1], f[2]), thumbnailBytes: f[4], width: f[5], height: f[6], contentType: text(f[7], f[8]),
    peakHeapBytes: f[9], memoryBytesAtEnd: linear.buffer.byteLength, inputBytes: bytes.length, planWorkingBytes, trapped,
  };
}

// ------------------------------------------------------------------------------ photon
function photonThumbnail(bytes, filter) {
  const image = PhotonImage.new_from_byteslice(bytes);
  const [width, height] = thumbnailSize(image.get_width(), image.get_height());
  const small = resize(image, width, height, filter);
  image.free();
  const jpeg = small.get_bytes_jpeg(JPEG_QUALITY);
  small.free();
  return { bytes: jpeg, width, height, contentType: "image/jpeg" };
}

// ------------------------------------------------------------------------------ routes
async function thumb(request, url, env) {
  const impl = url.searchParams.get("impl");
  const n = Math.min(Math.max(Number(url.searchParams.get("n") ?? 1), 1), 100);
  const filterName = url.searchParams.get("filter") ?? "triangle";
  const filter = { triangle: SamplingFilter.Triangle, lanczos3: SamplingFilter.Lanczos3 }[filterName];
  const workingBytes = Number(url.searchParams.get("workingBytes") ?? 0);
  if (!["cpp", "photon"].includes(impl) || filter === undefined) return new Response("bad impl or filter", { status: 400 });
  const bytes = new Uint8Array(await request.arrayBuffer());
  const source = imageSize(bytes);
  if (!source) return new Response("input is not a PNG, JPEG or WebP", { status: 400 });

  watchCodecMemory(env);
  codecBytesAtEnd = 0;
  const photonMemory = (await initPhoton.promise).memory;
  const pagesBefore = photonMemory.buffer.byteLength / PAGE;
  let out = null;
  const t0 = performance.now();
  if (impl === "cpp") {
    for (let i = 0; i < n; i++) out = await cppThumbnail(env, bytes, workingBytes);
  } else {
    for (let i = 0; i < n; i++) out = photonThumbnail(bytes, filter);
  }
  const totalMs = performance.now() - t0;

  const got = imageSize(out.bytes);
  const [width, height] = thumbnailSize(source.width, source.height);
  if (!got || got.width !== width || got.height !== height || got.type !== out.contentType) {
    return new Response(`bad thumbnail: got ${JSON.stringify(got)} (${out.contentType}), want ${width} x ${height}`, { status: 500 });
  }
  const memory = impl === "cpp"
    ? { codecBytesAtEnd }
    : { pagesBefore, pagesAfter: photonMemory.buffer.byteLength / PAGE };
  return Response.json({ impl, filter: impl === "photon" ? filterName : "area", n, totalMs, msPerThumb: totalMs / n,
    width, height, bytes: out.bytes.length, contentType: out.contentType, memory });
}

function instantiate(url) {
  const k = Math.min(Math.max(Number(url.searchParams.get("k") ?? 50), 1), 500);
  const t0 = performance.now();
  for (let i = 0; i < k; i++) {
    const linear = new WebAssembly.Memory({ initial: Math.ceil(CODEC_BASE_BYTES / PAGE), maximum: 1024 });
    const instance = new WebAssembly.Instance(codecModule, { env: { memory: linear }, wasi_snapshot_preview1: makeWasi(() => linear) });
    instance.exports._initialize();
  }
  return Response.json({ k, ms: performance.now() - t0 });
}

export default {
  async fetch(request, env) {
    const url = new URL(request.url);
    try {
      if (url.pathname === "/thumb" && request.method === "POST") return await thumb(request, url, env);
      if (url.pathname === "/calibrate" && request.method === "POST") return Response.json(calibrate(new Uint8Array(await request.arrayBuffer())));
      if (url.pathname === "/instantiate") return instantiate(url);
      return new Response("not found", { status: 404 });
    } catch (e) {
      return new Response(`${e?.kind ? `[${e.kind}] ` : ""}${String(e?.stack ?? e)}`, { status: 500 });
    }
  },
};
