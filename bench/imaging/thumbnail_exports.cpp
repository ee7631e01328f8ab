// Bench-only wasm reactor (never part of the app): the app's thumbnail path (ProbeImage, then
// MakeThumbnail, the engine codec.wasm runs) behind a minimal C ABI, so
// bench/imaging-workerd/worker.js can time it in workerd beside @cf-wasm/photon. It also makes the
// benchmark's input pictures (bench/imaging.js runs that part under Node's WASI) so no binary is
// committed. Built by bench/imaging/build-reactor.sh (CMake target imaging_bench_reactor).
#include <cstdint>
#include <cstdlib>
#include <string>

#include "codecs/thumbnail.h"
#include "imaging/image_probe.h"
#include "imaging/stb_codecs.h"
#include "imaging_codec_samples.h"
#include "photo_sample.h"

namespace {

std::string g_output;  // the last result, read by the host through nb_bench_output()

int32_t Publish(nb::Result<std::string> result) {
  if (!result.ok()) return -1;
  g_output = std::move(result).value();
  return static_cast<int32_t>(g_output.size());
}

}  // namespace

extern "C" {

__attribute__((export_name("nb_bench_alloc"))) void* nb_bench_alloc(uint32_t size) {
  return std::malloc(size);
}
__attribute__((export_name("nb_bench_free"))) void nb_bench_free(void* block) { std::free(block); }
__attribute__((export_name("nb_bench_output"))) const char* nb_bench_output() { return g_output.data(); }

// Thumbnail of the image in [data, data + size); returns the JPEG's length (bytes at nb_bench_output())
// or -1 when ProbeImage or MakeThumbnail refuses it.
__attribute__((export_name("nb_bench_thumbnail"))) int32_t nb_bench_thumbnail(const char* data,
                                                                              uint32_t size) {
  const std::string_view bytes(data, size);
  const nb::Result<nb::ImageProbe> probe = nb::ProbeImage(bytes);
  if (!probe.ok()) return -1;
  nb::Result<nb::Thumbnail> thumb = nb::MakeThumbnail(bytes, *probe);
  if (!thumb.ok()) return -1;
  return Publish(std::move(thumb).value().bytes);
}

// A photo-like benchmark input: kind 0 = PNG (RGB, 8 bits), 1 = baseline JPEG at `quality`,
// 2 = progressive JPEG at `quality` (libjpeg-turbo's compressor), 3 = lossy WebP at `quality`
// (libwebp's encoder, linked into this bench module only); grain is the noise's half-range in levels
// (see PhotoLikeRgb).
__attribute__((export_name("nb_bench_make_input"))) int32_t nb_bench_make_input(uint32_t kind, uint32_t width,
                                                                                uint32_t height,
                                                                                uint32_t quality,
                                                                                uint32_t grain) {
  const std::vector<uint8_t> rgb = nb::bench::PhotoLikeRgb(width, height, static_cast<float>(grain));
  if (kind == 0) return Publish(nb::EncodePng(rgb.data(), width, height, 3));
  if (kind == 2) {
    g_output = nb::samples::LibjpegEncode(rgb.data(), width, height,
                                          nb::samples::JpegOptions{static_cast<int>(quality), true});
    return static_cast<int32_t>(g_output.size());
  }
  if (kind == 3) {
    uint8_t* out = nullptr;
    const size_t size = WebPEncodeRGB(rgb.data(), static_cast<int>(width), static_cast<int>(height),
                                      static_cast<int>(width * 3), static_cast<float>(quality), &out);
    if (size == 0) return -1;
    g_output.assign(reinterpret_cast<const char*>(out), size);
    WebPFree(out);
    return static_cast<int32_t>(g_output.size());
  }
  return Publish(nb::EncodeJpeg(rgb.data(), width, height, 3, static_cast<int>(quality)));
}

}  // extern "C"
