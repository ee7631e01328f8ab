// The thumbnail plan: honest (the real peak never exceeds it, for every kind of input) and small
// (baseline JPEG, PNG and lossy WebP stay under 16 MB up to the 40-megapixel cap).
#include <catch2/catch.hpp>
#include <chrono>
#include <string>
#include <vector>

#include "codecs/thumbnail.h"
#include "imaging/thumbnail_plan.h"
#include "imaging_codec_samples.h"
#include "imaging_test_util.h"

namespace nb {
namespace {

using samples::JpegOptions;
using samples::PngSpec;

std::string PatchedJpegSize(uint32_t width, uint32_t height, const JpegOptions& o = {}) {
  std::string jpeg = samples::LibJpeg(64, 64, o);
  size_t sof = jpeg.find(o.progressive ? "\xFF\xC2" : "\xFF\xC0");
  REQUIRE(sof != std::string::npos);
  jpeg[sof + 5] = static_cast<char>(height >> 8), jpeg[sof + 6] = static_cast<char>(height & 0xFF);
  jpeg[sof + 7] = static_cast<char>(width >> 8), jpeg[sof + 8] = static_cast<char>(width & 0xFF);
  return jpeg;
}

uint64_t PlanBytes(const std::string& bytes) {
  const Result<ThumbnailPlan> plan = PlanThumbnail(bytes, samples::ProbeOf(bytes));
  INFO(plan.status().ToString());
  REQUIRE(plan.ok());
  return plan->working_bytes;
}

TEST_CASE("Plans for baseline JPEG, PNG and lossy WebP stay under 16 MB up to 40 megapixels",
          "[imaging][plan]") {
  constexpr uint64_t k16MB = 16u << 20;
  for (auto [w, h] :
       {std::pair<uint32_t, uint32_t>{7300, 5479}, {40000, 1000}, {1000, 40000}, {6324, 6324}}) {
    INFO(w << " x " << h);
    CHECK(PlanBytes(PatchedJpegSize(w, h)) <= k16MB);
    for (bool interlaced : {false, true}) {
      std::string png =
          samples::PngEncode(PngSpec{8, 8, 16, 6, interlaced, "", ""}, std::vector<uint16_t>(8 * 8 * 4, 1));
      for (int i = 0; i < 4; ++i)
        png[16 + i] = static_cast<char>(w >> (24 - 8 * i)),
                 png[20 + i] = static_cast<char>(h >> (24 - 8 * i));
      CHECK(PlanBytes(png) <= k16MB);
    }
    if (w <= 16383 && h <= 16383) CHECK(PlanBytes(samples::WebpLossy(w, h)) <= k16MB);
  }
  // Progressive JPEG up to 16 MP goes through the DC store, also under 16 MB.
  CHECK(PlanBytes(PatchedJpegSize(4896, 3264, JpegOptions{85, true})) <= k16MB);
  // ... and up to the 40 MP cap it still gets a thumbnail, under the overall ceiling.
  CHECK(PlanBytes(PatchedJpegSize(7300, 5479, JpegOptions{85, true})) <= kMaxThumbnailWorkingBytes);
  CHECK(PlanBytes(PatchedJpegSize(7300, 5479, JpegOptions{85, true, false})) <= kMaxThumbnailWorkingBytes);
}

TEST_CASE("The real peak never exceeds the plan, for every kind of input", "[imaging][plan]") {
  const uint8_t half[4] = {200, 30, 30, 128};
  std::vector<uint8_t> rgba = samples::Pattern(1200, 900, 4, 3);
  for (size_t i = 3; i < rgba.size(); i += 8) rgba[i] = half[3];
  const std::vector<uint8_t> rgb = samples::Pattern(1500, 1000, 3, 4);
  const std::vector<uint16_t> rgb16(rgb.begin(), rgb.end());
  struct Case {
    const char* name;
    std::string bytes;
  };
  std::vector<Case> cases = {
      {"baseline JPEG 4:2:0 3000x2000", samples::LibJpeg(3000, 2000)},
      {"baseline JPEG 4:4:4 1000x700", samples::LibJpeg(1000, 700, JpegOptions{90, false, false})},
      {"progressive JPEG 1600x1200 (in memory)", samples::LibJpeg(1600, 1200, JpegOptions{85, true})},
      {"progressive JPEG 3600x2400 (DC store)", samples::LibJpeg(3600, 2400, JpegOptions{85, true})},
      {"progressive JPEG 4:4:4 2500x2000", samples::LibJpeg(2500, 2000, JpegOptions{85, true, false})},
      {"stb baseline JPEG 2000x1500", samples::Jpeg(2000, 1500)},
      {"PNG RGB 1500x1000", samples::PngEncode(PngSpec{1500, 1000, 8, 2, false, "", ""}, rgb16)},
      {"PNG RGB interlaced 1500x1000", samples::PngEncode(PngSpec{1500, 1000, 8, 2, true, "", ""}, rgb16)},
      {"PNG RGBA 16-bit 1500x1000",
       [&] {
         std::vector<uint16_t> v;
         for (size_t i = 0; i < rgb16.size(); i += 3)
           v.insert(v.end(), {uint16_t(rgb16[i] * 257), uint16_t(rgb16[i + 1] * 257),
                              uint16_t(rgb16[i + 2] * 257), 40000});
         return samples::PngEncode(PngSpec{1500, 1000, 16, 6, false, "", ""}, v);
       }()},
      {"stb PNG RGBA 1200x900", samples::Png(1200, 900, 4)},
      {"WebP lossy 2000x1500", samples::WebpLossyReal(2000, 1500)},
      {"WebP lossy alpha 1200x900", samples::WebpRgba(rgba, 1200, 900, false)},
      {"WebP lossless 1200x900", samples::WebpRgba(rgba, 1200, 900, true)},
      {"GIF 600x400", samples::Gif(600, 400, std::vector<uint8_t>(600 * 400, 2),
                                   {{0, 0, 0}, {255, 0, 0}, {0, 200, 0}, {0, 0, 255}})},
  };
  for (const Case& c : cases) {
    INFO(c.name);
    const Result<ThumbnailPlan> plan = PlanThumbnail(c.bytes, samples::ProbeOf(c.bytes));
    REQUIRE(plan.ok());
    const auto start = std::chrono::steady_clock::now();
    const Result<Thumbnail> thumb = MakeThumbnail(c.bytes, samples::ProbeOf(c.bytes));
    const double ms =
        std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start).count();
    INFO(thumb.status().ToString());
    REQUIRE(thumb.ok());
    const ThumbnailStats stats = LastThumbnailStats();
    CHECK(stats.planned_bytes == plan->working_bytes);
    CHECK(stats.peak_bytes > 0);
    CHECK(stats.peak_bytes <= plan->working_bytes);
    WARN(c.name << ": plan " << plan->working_bytes << " peak " << stats.peak_bytes << " ("
                << (100 * stats.peak_bytes / plan->working_bytes) << "%) " << ms << " ms");
  }
}

TEST_CASE("The largest inputs get thumbnails within their plans", "[imaging][plan]") {
  // The memory test inputs, at full size: a 40-megapixel baseline JPEG and a 4000 x 4000 PNG.
  const std::string jpeg = samples::LibJpeg(7300, 5479, JpegOptions{85});
  // The PNG is black (a zero stream of exactly the declared size) so the test stays quick; the decoder
  // still inflates and filters all 48 MB of rows.
  const std::string png =
      samples::PngFromParts(4000, 4000, 8, 2, samples::ZeroBombZlib(4000ull * (1 + 4000 * 3)));
  for (const std::string* bytes : {&jpeg, &png}) {
    const Thumbnail thumb = samples::ThumbOf(*bytes);
    CHECK(thumb.width == 384);
    const ThumbnailStats stats = LastThumbnailStats();
    CHECK(stats.planned_bytes <= (16u << 20));
    CHECK(stats.peak_bytes <= stats.planned_bytes);
  }
}

}  // namespace
}  // namespace nb

namespace nb {
namespace {

// RIFF/WEBP with a VP8X header (no flags, 100 x 80) followed by `tail`.
std::string Vp8xWebp(const std::string& tail) {
  std::string b = "RIFF";
  const uint32_t riff = static_cast<uint32_t>(4 + 18 + tail.size());
  for (int i = 0; i < 4; ++i) b += static_cast<char>(riff >> (8 * i));
  b += "WEBPVP8X";
  b += std::string("\x0a\x00\x00\x00", 4);
  b += std::string("\x00\x00\x00\x00", 4);           // flags, reserved
  b += std::string("\x63\x00\x00\x4f\x00\x00", 6);   // width - 1 = 99, height - 1 = 79
  return b + tail;
}

TEST_CASE("A WebP chunk size near 2^32 ends the plan's chunk walk", "[imaging][plan]") {
  // On wasm32 a 32-bit position wrapped by such a size used to land on the same chunk forever.
  const std::string webp = Vp8xWebp(std::string("ICCP\xf8\xff\xff\xff", 8) + std::string(8, '\0'));
  const Result<ImageProbe> probe = ProbeImage(webp);
  REQUIRE(probe.ok());
  const Result<ThumbnailPlan> plan = PlanThumbnail(webp, *probe);
  REQUIRE(plan.ok());
  CHECK_FALSE(plan->may_have_alpha);
  CHECK_FALSE(MakeThumbnail(webp, *probe).ok());
}

TEST_CASE("An ALPH chunk counts as alpha even without the VP8X flag", "[imaging][plan]") {
  const std::string webp = Vp8xWebp(std::string("ALPH\x02\x00\x00\x00\x00\x00", 10) + std::string("VP8 \x00\x00\x00\x00", 8));
  const Result<ImageProbe> probe = ProbeImage(webp);
  REQUIRE(probe.ok());
  const Result<ThumbnailPlan> plan = PlanThumbnail(webp, *probe);
  REQUIRE(plan.ok());
  CHECK(plan->may_have_alpha);
}

}  // namespace
}  // namespace nb
