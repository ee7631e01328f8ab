// Times MakeThumbnail on a generated 1024x1024 PNG (a Gemini-sized output) and a 4000x3000 JPEG (a
// 12-megapixel phone photo) with its peak memory against the plan, the resize kernels alone, and
// DrawPlaceholder. Built natively
// (cmake --build <dir> --target imaging_bench, Release) and for wasm (scripts/imaging-wasm.sh bench),
// where it runs in V8 like the Worker. Optional argument: iterations (default 9).
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <functional>
#include <string>
#include <vector>

#include "codecs/area_resize.h"
#include "codecs/decode_budget.h"
#include "codecs/thumbnail.h"
#include "imaging/placeholder.h"
#include "imaging/stb_codecs.h"
#include "imaging_codec_samples.h"
#include "imaging_samples.h"

namespace {

double TimeMs(const std::function<void()>& run) {
  const auto start = std::chrono::steady_clock::now();
  run();
  return std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start).count();
}

// Median after two warm-up runs: in V8 a function starts in the baseline compiler (Liftoff) and is
// tiered up to TurboFan in the background once hot, as in a warm Worker isolate.
double MedianMs(int iterations, const std::function<void()>& run) {
  run();
  run();
  std::vector<double> ms;
  for (int i = 0; i < iterations; ++i) ms.push_back(TimeMs(run));
  std::sort(ms.begin(), ms.end());
  return ms[ms.size() / 2];
}

void Require(bool ok, const char* what) {
  if (!ok) {
    std::fprintf(stderr, "imaging_bench: %s failed\n", what);
    std::exit(1);
  }
}

void BenchThumbnail(const char* name, const std::string& bytes, int iterations) {
  const nb::Result<nb::ImageProbe> probe = nb::ProbeImage(bytes);
  Require(probe.ok(), "probe");
  size_t jpeg_size = 0;
  const auto thumbnail = [&] {
    const nb::Result<nb::Thumbnail> thumb = nb::MakeThumbnail(bytes, *probe);
    Require(thumb.ok(), "thumbnail");
    jpeg_size = thumb->bytes.size();
  };
  const double first = TimeMs(thumbnail);
  const double total = MedianMs(iterations, thumbnail);
  const nb::ThumbnailStats stats = nb::LastThumbnailStats();
  std::printf(
      "%s (%u x %u, %zu KB): MakeThumbnail %.1f ms (first call %.1f ms), peak %.2f MB of a %.2f MB plan,"
      " JPEG %zu KB\n",
      name, probe->width, probe->height, bytes.size() / 1024, total, first, stats.peak_bytes / 1048576.0,
      stats.planned_bytes / 1048576.0, jpeg_size / 1024);
}

// The resize kernels alone on a whole 12-megapixel RGB image (the streaming resize's inner loops).
void BenchResize(int iterations) {
  const uint32_t w = 4000, h = 3000, tw = 384, th = 288;
  const std::vector<uint8_t> rgb = nb::samples::Pattern(w, h, 3);
  std::vector<uint8_t> small(size_t{tw} * th * 3);
  const auto resize_with = [&](const nb::ResizeKernels& kernels) {
    return MedianMs(iterations,
                    [&] { nb::AreaResizeRgbWith(kernels, rgb.data(), w, h, small.data(), tw, th); });
  };
  std::printf("resize 4000 x 3000 -> 384 x 288: %.2f ms scalar", resize_with(nb::ScalarResizeKernels()));
  if (nb::Simd128ResizeKernels()) std::printf(" / %.2f ms simd128", resize_with(*nb::Simd128ResizeKernels()));
  std::printf("\n");
}

}  // namespace

int main(int argc, char** argv) {
  const int iterations = argc > 1 ? std::max(1, std::atoi(argv[1])) : 9;
  BenchThumbnail("png", nb::samples::Png(1024, 1024, 3), iterations);
  BenchThumbnail("jpeg", nb::samples::Jpeg(4000, 3000, 90), std::max(1, iterations / 3));
  BenchResize(std::max(1, iterations / 3));
  // With the test-only encoders (libjpeg-turbo's in both builds, libwebp's natively): the issue's
  // other inputs.
  namespace s = nb::samples;
  BenchThumbnail("jpeg 40 MP", s::LibJpeg(7300, 5479, s::JpegOptions{90}), 3);
  BenchThumbnail("progressive jpeg 12 MP", s::LibJpeg(4000, 3000, s::JpegOptions{90, true}), 3);
  BenchThumbnail("progressive jpeg 16 MP", s::LibJpeg(4896, 3264, s::JpegOptions{90, true}), 3);
#ifdef NB_BENCH_WEBP_ENCODER
  BenchThumbnail("webp lossy 2048", s::WebpLossyReal(2048, 2048), 3);
#endif
  {
    const std::vector<uint8_t> rgb = s::Pattern(4000, 4000, 3);
    BenchThumbnail("png 4000",
                   s::PngEncode(s::PngSpec{4000, 4000, 8, 2, false, "", ""},
                                std::vector<uint16_t>(rgb.begin(), rgb.end())),
                   3);
    BenchThumbnail("png 4000 interlaced",
                   s::PngEncode(s::PngSpec{4000, 4000, 8, 2, true, "", ""},
                                std::vector<uint16_t>(rgb.begin(), rgb.end())),
                   3);
  }
  size_t png_size = 0;
  const double placeholder = MedianMs(iterations, [&] {
    const auto image = nb::DrawPlaceholder("a banana in a tuxedo", "1:1");
    Require(image.ok(), "placeholder");
    png_size = image->png.size();
  });
  std::printf("placeholder 1024 x 1024: %.1f ms, PNG %zu KB\n", placeholder, png_size / 1024);
  return 0;
}
