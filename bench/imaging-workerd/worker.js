// Bench-only Worker (never deployed), driven by bench/imaging.js. One request times one implementation
// making N thumbnails back to back of the image in the request body, inside this isolate:
//
// POST /thumb?impl=cpp|photon&n=N[&filter=triangle|lanczos3]   body: a PNG or JPEG
//   cpp     the app's path: ProbeImage + MakeThumbnail (decode, area-filter resize, JPEG q82), in the
//           bench reactor built from src/imaging with the app's flags
//   photon  @cf-wasm/photon: PhotonImage.new_from_byteslice (decode), resize() with a Triangle
//           (default) or Lanczos3 filter, get_bytes_jpeg(82)
//   Both copy the input into their wasm memory and the JPEG out of it on every run, as a caller would.
//   Answers {msPerThumb, totalMs, n, width, height, bytes, memoryPages}; 500 when a thumbnail is not
//   a JPEG of the expected size (longest side 384, aspect kept as MakeThumbnail rounds it).
//
// workerd's clock ticks in whole milliseconds, so callers ask for batches and the time is divided.
import { PhotonImage, SamplingFilter, initPhoton, resize } from "@cf-wasm/photon/workerd";
import reactorModule from "../../build/wasm-imaging/imaging_bench_reactor.opt.wasm";

const MAX_SIDE = 384;
const JPEG_QUALITY = 82; // MakeThumbnail's (src/imaging/thumbnail.cpp)

// Ours: the reactor imports nothing; one instance for the isolate's life, like the app's pool.
const reactor = new WebAssembly.Instance(reactorModule, {}).exports;
reactor._initialize();

function cppThumbnail(bytes) {
  const input = reactor.nb_bench_alloc(bytes.length);
  new Uint8Array(reactor.memory.buffer, input, bytes.length).set(bytes);
  const length = reactor.nb_bench_thumbnail(input, bytes.length);
  reactor.nb_bench_free(input);
  if (length < 0) throw new Error("MakeThumbnail refused the image");
  return new Uint8Array(reactor.memory.buffer, reactor.nb_bench_output(), length).slice();
}

// MakeThumbnail's ThumbnailSize: longest side 384, the other rounded to nearest, never 0.
function thumbnailSize(width, height) {
  const longest = Math.max(width, height);
  if (longest <= MAX_SIDE) return [width, height];
  const scale = (side) => Math.max(1, Math.floor((side * MAX_SIDE + Math.floor(longest / 2)) / longest));
  return [width === longest ? MAX_SIDE : scale(width), height === longest ? MAX_SIDE : scale(height)];
}

function photonThumbnail(bytes, filter) {
  const image = PhotonImage.new_from_byteslice(bytes);
  const [width, height] = thumbnailSize(image.get_width(), image.get_height());
  const small = resize(image, width, height, filter);
  image.free();
  const jpeg = small.get_bytes_jpeg(JPEG_QUALITY);
  small.free();
  return jpeg;
}

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

// The source's size from its own header (PNG IHDR, or the JPEG's frame), for the expected thumbnail.
function sourceSize(bytes) {
  if (bytes[0] === 0x89 && bytes[1] === 0x50) {
    const view = new DataView(bytes.buffer, bytes.byteOffset);
    return { width: view.getUint32(16), height: view.getUint32(20) };
  }
  return jpegSize(bytes);
}

async function thumb(request, url) {
  const impl = url.searchParams.get("impl");
  const n = Math.min(Math.max(Number(url.searchParams.get("n") ?? 1), 1), 100);
  const filterName = url.searchParams.get("filter") ?? "triangle";
  const filter = { triangle: SamplingFilter.Triangle, lanczos3: SamplingFilter.Lanczos3 }[filterName];
  if (!["cpp", "photon"].includes(impl) || filter === undefined) return new Response("bad impl or filter", { status: 400 });
  const bytes = new Uint8Array(await request.arrayBuffer());
  const source = sourceSize(bytes);
  if (!source) return new Response("input is neither PNG nor JPEG", { status: 400 });

  const make = impl === "cpp" ? () => cppThumbnail(bytes) : () => photonThumbnail(bytes, filter);
  let out = null;
  const t0 = performance.now();
  for (let i = 0; i < n; i++) out = make();
  const totalMs = performance.now() - t0;

  const got = jpegSize(out);
  const [width, height] = thumbnailSize(source.width, source.height);
  if (!got || got.width !== width || got.height !== height) {
    return new Response(`bad thumbnail: got ${JSON.stringify(got)}, want ${width} x ${height}`, { status: 500 });
  }
  const memory = impl === "cpp" ? reactor.memory : (await initPhoton.promise).memory;
  return Response.json({ impl, filter: impl === "photon" ? filterName : "area", n, totalMs, msPerThumb: totalMs / n,
    width, height, bytes: out.length, memoryPages: memory.buffer.byteLength / 65536 });
}

export default {
  async fetch(request) {
    const url = new URL(request.url);
    try {
      if (url.pathname === "/thumb" && request.method === "POST") return await thumb(request, url);
      return new Response("not found", { status: 404 });
    } catch (e) {
      return new Response(String(e?.stack ?? e), { status: 500 });
    }
  },
};
