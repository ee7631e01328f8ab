// Times MakeThumbnail on a generated 1024x1024 PNG (a Gemini-sized output) and a 4000x3000 JPEG (a
// 12-megapixel phone photo), stage by stage, plus DrawPlaceholder. Built natively
// (cmake --build <dir> --target imaging_bench, Release) and for wasm (scripts/imaging-wasm.sh bench),
// where it runs in V8 like the Worker. Optional argument: iterations (default 9).
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <functional>
#include <string>
#include <vector>

#include "imaging/area_resize.h"
#include "imaging/decode_budget.h"
#include "imaging/placeholder.h"
#include "imaging/stb_codecs.h"
#include "imaging/thumbnail.h"
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
  const auto thumbnail = [&] { Require(nb::MakeThumbnail(bytes, *probe).ok(), "thumbnail"); };
  const double first = TimeMs(thumbnail);
  const double total = MedianMs(iterations, thumbnail);
  const size_t peak = nb::GetDecodeBudgetStats().last_peak_bytes;

  nb::Result<nb::DecodedPixels> decoded = nb::Status::Internal("not yet");
  const double decode = MedianMs(iterations, [&] {
    decoded = nb::Status::Internal("freed");  // one decoded image alive at a time, as in MakeThumbnail
    decoded = nb::DecodePixels(bytes, 3, nb::kMaxThumbnailDecodeBytes);
    Require(decoded.ok(), "decode");
  });
  uint32_t tw = 0, th = 0;
  nb::ThumbnailSize(probe->width, probe->height, tw, th);
  std::vector<uint8_t> small(size_t{tw} * th * 3);
  const auto resize_with = [&](const nb::ResizeKernels& kernels) {
    return MedianMs(iterations, [&] {
      nb::AreaResizeRgbWith(kernels, decoded->pixels.get(), probe->width, probe->height, small.data(), tw,
                            th);
    });
  };
  const double resize_scalar = resize_with(nb::ScalarResizeKernels());
  const double resize_simd = nb::Simd128ResizeKernels() ? resize_with(*nb::Simd128ResizeKernels()) : -1;
  size_t jpeg_size = 0;
  const double encode = MedianMs(iterations, [&] {
    const auto jpeg = nb::EncodeJpeg(small.data(), tw, th, 3, 82);
    Require(jpeg.ok(), "encode");
    jpeg_size = jpeg->size();
  });
  std::printf("%s (%u x %u, %zu KB): MakeThumbnail %.1f ms (first call %.1f ms), decoder peak %.1f MB\n",
              name, probe->width, probe->height, bytes.size() / 1024, total, first, peak / 1048576.0);
  std::printf("  stages: decode %.1f ms (RGB), resize %.2f ms scalar", decode, resize_scalar);
  if (resize_simd >= 0) std::printf(" / %.2f ms simd128", resize_simd);
  std::printf(", encode %.2f ms -> %u x %u JPEG %zu KB\n", encode, tw, th, jpeg_size / 1024);
}

}  // namespace

int main(int argc, char** argv) {
  const int iterations = argc > 1 ? std::max(1, std::atoi(argv[1])) : 9;
  BenchThumbnail("png", nb::samples::Png(1024, 1024, 3), iterations);
  BenchThumbnail("jpeg", nb::samples::Jpeg(4000, 3000, 90), std::max(1, iterations / 3));
  size_t png_size = 0;
  const double placeholder = MedianMs(iterations, [&] {
    const auto image = nb::DrawPlaceholder("a banana in a tuxedo", "1:1");
    Require(image.ok(), "placeholder");
    png_size = image->png.size();
  });
  std::printf("placeholder 1024 x 1024: %.1f ms, PNG %zu KB\n", placeholder, png_size / 1024);
  return 0;
}
