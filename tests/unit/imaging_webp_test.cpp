// libwebp's paths: lossy, lossless, alpha (flattened onto white), VP8X, scaled decoding, and the bad
// input list (cut, corrupt, a RIFF size that lies).
#include <catch2/catch.hpp>
#include <string>
#include <vector>

#include "codecs/thumbnail.h"
#include "imaging_codec_samples.h"
#include "imaging_test_util.h"

namespace nb {
namespace {

std::vector<uint8_t> HalvesRgba(uint32_t w, uint32_t h, const uint8_t left[4], const uint8_t right[4]) {
  std::vector<uint8_t> out(size_t{w} * h * 4);
  for (size_t i = 0; i < size_t{w} * h; ++i)
    for (int c = 0; c < 4; ++c) out[i * 4 + c] = (i % w) < w / 2 ? left[c] : right[c];
  return out;
}

TEST_CASE("WebP lossy, lossless and alpha get thumbnails", "[imaging][webp]") {
  SECTION("lossy") {
    const std::string webp = samples::WebpLossyReal(1600, 900);
    const Result<ThumbnailPlan> plan = PlanThumbnail(webp, samples::ProbeOf(webp));
    REQUIRE(plan.ok());
    CHECK_FALSE(plan->webp_lossless);
    const Thumbnail thumb = samples::ThumbOf(webp);
    CHECK(thumb.width == 384);
    CHECK(thumb.height == 216);
    CHECK(LastThumbnailStats().peak_bytes <= plan->working_bytes);
  }
  const uint8_t red[4] = {220, 20, 20, 255}, clear[4] = {0, 0, 0, 0}, blue[4] = {20, 20, 220, 255};
  for (bool lossless : {false, true}) {
    SECTION(lossless ? "lossless with alpha" : "lossy with alpha (VP8X + ALPH)") {
      const std::string webp = samples::WebpRgba(HalvesRgba(800, 400, red, clear), 800, 400, lossless);
      const Thumbnail thumb = samples::ThumbOf(webp);
      CHECK(thumb.width == 384);
      CHECK(thumb.height == 192);
      const samples::DecodedPixels px = samples::PixelsOf(thumb);
      CHECK(samples::Near(samples::At(px, 50, 96), 220, 20, 20));
      CHECK(samples::Near(samples::At(px, 330, 96), 255, 255, 255));  // transparent: white
      CHECK(LastThumbnailStats().peak_bytes <= LastThumbnailStats().planned_bytes);
    }
  }
  SECTION("lossless without alpha, small enough to keep its size") {
    const std::string webp = samples::WebpRgba(HalvesRgba(300, 100, red, blue), 300, 100, true);
    const samples::DecodedPixels px = samples::PixelsOf(samples::ThumbOf(webp));
    CHECK(px.width == 300);
    CHECK(samples::Near(samples::At(px, 20, 50), 220, 20, 20));
    CHECK(samples::Near(samples::At(px, 280, 50), 20, 20, 220));
  }
}

TEST_CASE("The hand-made solid-colour lossless WebP decodes to its colour", "[imaging][webp]") {
  const std::string webp = samples::WebpLossless(900, 300, 30, 160, 220);
  const Thumbnail thumb = samples::ThumbOf(webp);
  CHECK(thumb.width == 384);
  CHECK(thumb.height == 128);
  const samples::DecodedPixels px = samples::PixelsOf(thumb);
  CHECK(samples::Near(samples::At(px, 200, 60), 30, 160, 220, 6));
}

TEST_CASE("Lossless WebP beyond the plan's cap is refused before decoding", "[imaging][webp]") {
  // A VP8L header claiming 4000 x 4000 (64 MB of ARGB inside libwebp).
  const std::string big = samples::WebpLossless(4000, 4000);
  const Result<ThumbnailPlan> plan = PlanThumbnail(big, samples::ProbeOf(big));
  REQUIRE_FALSE(plan.ok());
  CHECK(plan.status().code() == Status::Code::kFailedPrecondition);
}

TEST_CASE("Bad WebPs give a clear answer", "[imaging][webp][bad]") {
  const std::string lossy = samples::WebpLossyReal(640, 480);
  const uint8_t red[4] = {220, 20, 20, 255}, clear[4] = {0, 0, 0, 0};
  const std::string lossless = samples::WebpRgba(HalvesRgba(320, 240, red, clear), 320, 240, true);
  for (const std::string* webp : {&lossy, &lossless}) {
    SECTION("cut short") {
      for (size_t cut : {size_t{40}, webp->size() / 2, webp->size() - 7}) {
        const std::string part = webp->substr(0, cut);
        if (!ProbeImage(part).ok()) continue;
        CHECK(samples::CodeOf(part) == Status::Code::kInvalidArgument);
      }
    }
    SECTION("corrupt payload: an error or a picture, never a crash") {
      std::string bad = *webp;
      for (size_t i = 40; i + 2 < bad.size(); i += 7) bad[i] = static_cast<char>(i * 31);
      const Status::Code code = samples::CodeOf(bad);
      CHECK((code == Status::Code::kOk || code == Status::Code::kInvalidArgument));
    }
    SECTION("a RIFF size that lies") {
      for (uint32_t lie : {uint32_t(webp->size() * 4), uint32_t(12), uint32_t(0xFFFFFFF0)}) {
        std::string bad = *webp;
        bad[4] = static_cast<char>(lie & 0xFF), bad[5] = static_cast<char>((lie >> 8) & 0xFF);
        bad[6] = static_cast<char>((lie >> 16) & 0xFF), bad[7] = static_cast<char>(lie >> 24);
        const Status::Code code = samples::CodeOf(bad);
        INFO("RIFF size " << lie);
        CHECK((code == Status::Code::kInvalidArgument || code == Status::Code::kFailedPrecondition ||
               code == Status::Code::kOk));
      }
    }
  }
}

}  // namespace
}  // namespace nb
