// Runs in the wasm build (scripts/imaging-wasm.sh check, under Node's WASI): the native unit tests
// cannot reach the SIMD128 resize kernels, so this checks they exist and produce exactly the scalar
// kernels' bytes over many sizes, that the lossy DC store (with its SIMD128 nonzero mask) decodes
// progressive JPEGs exactly like keeping every coefficient, and that thumbnails come out right end to
// end in wasm.
#include <cstdio>
#include <string>
#include <vector>

#include "codecs/area_resize.h"
#include "codecs/decode_budget.h"
#include "codecs/jpeg_decoder.h"
#include "codecs/thumbnail.h"
#include "imaging_codec_samples.h"
#include "imaging_samples.h"

namespace {

int failures = 0;

void Expect(bool ok, const std::string& what) {
  if (!ok) {
    ++failures;
    std::printf("FAIL: %s\n", what.c_str());
  }
}

class CollectRows final : public nb::RowSink {
 public:
  void Row(const uint8_t* rgb) override { rows.append(reinterpret_cast<const char*>(rgb), width * 3); }
  uint32_t width = 0;
  std::string rows;
};

std::string DecodeAtEighth(const std::string& jpeg, bool dc_store) {
  const auto probe = nb::ProbeImage(jpeg);
  auto plan = nb::PlanThumbnail(jpeg, *probe);
  if (!plan.ok()) return "plan failed";
  plan->jpeg.scale_denom = 8;
  plan->jpeg.dc_store = dc_store;
  plan->decode_width = (plan->width + 7) / 8;
  plan->decode_height = (plan->height + 7) / 8;
  CollectRows sink;
  sink.width = plan->decode_width;
  nb::DecodeBudget budget(256u << 20);
  const nb::Status status = nb::DecodeJpegRows(jpeg, *plan, sink);
  return status.ok() ? sink.rows : status.ToString();
}

}  // namespace

int main() {
  const nb::ResizeKernels* simd = nb::Simd128ResizeKernels();
  Expect(simd != nullptr, "this build has SIMD128 resize kernels");
  int compared = 0;
  if (simd != nullptr) {
    uint32_t seed = 12345;
    const auto next = [&](uint32_t bound) {
      seed = seed * 1103515245u + 12345u;
      return 1 + (seed >> 8) % bound;
    };
    for (int round = 0; round < 300; ++round) {
      const uint32_t sw = next(round < 200 ? 70 : 1200), sh = next(round < 200 ? 70 : 400);
      const uint32_t dw = next(sw), dh = next(sh);
      const std::vector<uint8_t> src = nb::samples::Pattern(sw, sh, 3, round);
      std::vector<uint8_t> scalar(size_t{dw} * dh * 3), vector(scalar.size());
      nb::AreaResizeRgbWith(nb::ScalarResizeKernels(), src.data(), sw, sh, scalar.data(), dw, dh);
      nb::AreaResizeRgbWith(*simd, src.data(), sw, sh, vector.data(), dw, dh);
      Expect(scalar == vector, "simd == scalar for " + std::to_string(sw) + "x" + std::to_string(sh) +
                                   " -> " + std::to_string(dw) + "x" + std::to_string(dh));
      ++compared;
    }
  }
  for (const nb::samples::JpegOptions& options :
       {nb::samples::JpegOptions{85, true}, nb::samples::JpegOptions{92, true, false},
        nb::samples::JpegOptions{75, true, true, true}}) {
    const std::string jpeg = nb::samples::LibJpeg(1203, 805, options, 3);
    const std::string lossy = DecodeAtEighth(jpeg, true), exact = DecodeAtEighth(jpeg, false);
    Expect(lossy.size() == size_t{151} * 101 * 3 && lossy == exact, "DC store == in-memory coefficients");
  }
  const nb::samples::GifColour palette[4] = {{0, 0, 0}, {255, 0, 0}, {0, 255, 0}, {0, 0, 255}};
  const std::pair<std::string, std::pair<uint32_t, uint32_t>> inputs[] = {
      {nb::samples::Png(1024, 1024, 3), {384, 384}},
      {nb::samples::Png(900, 300, 4), {384, 128}},
      {nb::samples::Jpeg(1600, 1200), {384, 288}},
      {nb::samples::LibJpeg(1600, 1200, nb::samples::JpegOptions{85, true}), {384, 288}},
      {nb::samples::LibJpeg(3600, 2400, nb::samples::JpegOptions{85, true}), {384, 256}},
      {nb::samples::Gif(100, 400, std::vector<uint8_t>(40000, 2), palette, 1), {96, 384}},
  };
  for (const auto& [bytes, size] : inputs) {
    const auto probe = nb::ProbeImage(bytes);
    Expect(probe.ok(), "probe");
    if (!probe.ok()) continue;
    const auto thumb = nb::MakeThumbnail(bytes, *probe);
    Expect(thumb.ok() && thumb->width == size.first && thumb->height == size.second,
           std::string("thumbnail of a ") + nb::FormatName(probe->format) + ": " +
               (thumb.ok() ? std::to_string(thumb->width) + "x" + std::to_string(thumb->height)
                           : thumb.status().ToString()));
  }
  std::printf("imaging wasm check: %d kernel comparisons, %d failures\n", compared, failures);
  return failures == 0 ? 0 : 1;
}
