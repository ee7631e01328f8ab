// libjpeg-turbo's paths: baseline and progressive, DCT-domain scaling, the lossy DC store, CMYK,
// grayscale, EXIF orientation, and the bad-input list.
#include <catch2/catch.hpp>
#include <string>
#include <vector>

#include "codecs/decode_budget.h"
#include "codecs/jpeg_decoder.h"
#include "codecs/jpeg_memory.h"
#include "codecs/thumbnail.h"
#include "imaging/jpeg_headers.h"
#include "imaging/thumbnail_plan.h"
#include "imaging_codec_samples.h"
#include "imaging_test_util.h"

namespace nb {
namespace {

using samples::JpegOptions;

class CollectRows final : public RowSink {
 public:
  void Row(const uint8_t* rgb) override { rows.append(reinterpret_cast<const char*>(rgb), width * 3); }
  uint32_t width = 0;
  std::string rows;
};

ThumbnailPlan PlanOf(std::string_view bytes) {
  Result<ThumbnailPlan> plan = PlanThumbnail(bytes, samples::ProbeOf(bytes));
  INFO(plan.status().ToString());
  REQUIRE(plan.ok());
  return *plan;
}

// Decodes at 1/8 with the coefficients either in the lossy DC store or all in memory.
std::string DecodeAtEighth(std::string_view bytes, bool dc_store, uint32_t* stores = nullptr) {
  ThumbnailPlan plan = PlanOf(bytes);
  plan.jpeg.scale_denom = 8;
  plan.jpeg.dc_store = dc_store;
  plan.decode_width = (plan.width + 7) / 8;
  plan.decode_height = (plan.height + 7) / 8;
  CollectRows sink;
  sink.width = plan.decode_width;
  JpegDecodeStats stats;
  DecodeBudget budget(256u << 20);
  const Status status = DecodeJpegRows(bytes, plan, sink, &stats);
  INFO(status.ToString());
  REQUIRE(status.ok());
  REQUIRE(sink.rows.size() == size_t{plan.decode_width} * plan.decode_height * 3);
  if (stores) *stores = stats.stores_opened;
  return sink.rows;
}

TEST_CASE("The lossy DC store decodes a progressive JPEG at 1/8 exactly as keeping every coefficient",
          "[imaging][jpeg][progressive]") {
  struct Case {
    const char* name;
    uint32_t width, height;
    JpegOptions options;
  };
  const Case cases[] = {
      {"4:2:0 colour", 1203, 805, JpegOptions{85, true, true, false, 0}},
      {"4:4:4 colour", 640, 480, JpegOptions{92, true, false, false, 0}},
      {"grayscale", 517, 999, JpegOptions{75, true, true, true, 0}},
      {"4:2:0 at quality 100", 400, 300, JpegOptions{100, true, true, false, 0}},
  };
  for (const Case& c : cases) {
    INFO(c.name);
    const std::string jpeg = samples::LibJpeg(c.width, c.height, c.options, 7);
    REQUIRE(PlanOf(jpeg).jpeg.progressive);
    uint32_t stores = 0, in_memory_stores = 0;
    const std::string lossy = DecodeAtEighth(jpeg, true, &stores);
    const std::string exact = DecodeAtEighth(jpeg, false, &in_memory_stores);
    CHECK(stores == (c.options.grayscale ? 1u : 3u));  // every coefficient array went to the store
    CHECK(in_memory_stores == 0);
    CHECK(lossy == exact);  // byte for byte
  }
}

TEST_CASE("The DC store keeps the coefficients each IDCT size reads", "[imaging][jpeg][progressive]") {
  CHECK(KeptCoefficients(1) == 1);
  CHECK(__builtin_popcountll(KeptCoefficients(2)) == 25);
  CHECK((KeptCoefficients(2) & (1ull << 2)) == 0);  // column 2 is never read by jpeg_idct_2x2
  CHECK((KeptCoefficients(2) & (1ull << 9)) != 0);  // row 1, column 1 is
  CHECK(KeptCoefficients(4) == ~0ull);
}

TEST_CASE("JPEG plans pick the DCT scale and the coefficient strategy", "[imaging][jpeg][plan]") {
  SECTION("a large baseline JPEG decodes at 1/8 with no coefficient storage") {
    const ThumbnailPlan plan = PlanOf(samples::LibJpeg(3200, 2400));
    CHECK(plan.jpeg.scale_denom == 8);
    CHECK_FALSE(plan.jpeg.multi_scan);
    CHECK(plan.decode_width == 400);
    CHECK(plan.thumb_width == 384);
    CHECK(plan.thumb_height == 288);
  }
  SECTION("a mid-size progressive JPEG keeps its coefficients in memory above 1/8") {
    const ThumbnailPlan plan = PlanOf(samples::LibJpeg(1600, 1200, JpegOptions{90, true}));
    CHECK(plan.jpeg.scale_denom == 4);
    CHECK(plan.jpeg.multi_scan);
    CHECK_FALSE(plan.jpeg.dc_store);
    CHECK(plan.jpeg.coefficient_bytes == (200 * 150 + 2 * 100 * 75) * 128ull);
  }
  SECTION("a large progressive JPEG goes to the DC store at 1/8") {
    const ThumbnailPlan plan = PlanOf(samples::LibJpeg(3600, 2400, JpegOptions{80, true}));
    CHECK(plan.jpeg.scale_denom == 8);
    CHECK(plan.jpeg.dc_store);
    // 10 bytes per luma block, 58 per chroma block (jpeg_idct_2x2 reads 25 coefficients).
    CHECK(plan.jpeg.coefficient_bytes == 450ull * 300 * 10 + 2ull * 225 * 150 * 58);
  }
  SECTION("a small image is decoded at full size") {
    const ThumbnailPlan plan = PlanOf(samples::LibJpeg(300, 200));
    CHECK(plan.jpeg.scale_denom == 1);
    CHECK(plan.thumb_width == 300);
  }
}

TEST_CASE("Progressive JPEGs get thumbnails on both coefficient paths", "[imaging][jpeg][progressive]") {
  for (auto [w, h] : {std::pair<uint32_t, uint32_t>{1600, 1200}, {3600, 2400}}) {
    const std::string jpeg = samples::LibJpeg(w, h, JpegOptions{85, true});
    const Thumbnail thumb = samples::ThumbOf(jpeg);
    CHECK(thumb.width == 384);
    CHECK(thumb.height == 256 + (h == 1200 ? 32 : 0));
    CHECK(LastThumbnailStats().jpeg_dc_stores == (w == 3600 ? 3u : 0u));
    CHECK(LastThumbnailStats().peak_bytes <= LastThumbnailStats().planned_bytes);
    // The thumbnail shows the same picture as a baseline encode of the same pixels.
    const samples::DecodedPixels a = samples::PixelsOf(thumb);
    const samples::DecodedPixels b =
        samples::PixelsOf(samples::ThumbOf(samples::LibJpeg(w, h, JpegOptions{85, false})));
    for (uint32_t y = 10; y < a.height; y += 50)
      for (uint32_t x = 10; x < a.width; x += 50)
        CHECK(samples::Near(samples::At(a, x, y), b.pixels[(y * b.width + x) * 3],
                            b.pixels[(y * b.width + x) * 3 + 1], b.pixels[(y * b.width + x) * 3 + 2], 12));
  }
}

TEST_CASE("A 16-megapixel progressive JPEG gets a thumbnail within 16 MB", "[imaging][jpeg][progressive]") {
  const std::string jpeg = samples::LibJpeg(4896, 3264, JpegOptions{85, true});
  const ThumbnailPlan plan = PlanOf(jpeg);
  CHECK(plan.jpeg.dc_store);
  CHECK(plan.working_bytes <= (16u << 20));
  const Thumbnail thumb = samples::ThumbOf(jpeg);
  CHECK(thumb.width == 384);
  CHECK(thumb.height == 256);
  WARN("16 MP progressive: plan " << plan.working_bytes << " peak " << LastThumbnailStats().peak_bytes);
  CHECK(LastThumbnailStats().peak_bytes <= plan.working_bytes);
}

TEST_CASE("CMYK and YCCK JPEGs (Adobe, inverted) come out in the right colours", "[imaging][jpeg][cmyk]") {
  const uint8_t red_ink[4] = {0, 255, 255, 0};   // magenta + yellow
  const uint8_t blue_ink[4] = {255, 255, 0, 0};  // cyan + magenta
  for (bool ycck : {false, true}) {
    INFO((ycck ? "YCCK" : "CMYK"));
    const samples::DecodedPixels red =
        samples::PixelsOf(samples::ThumbOf(samples::CmykJpeg(64, 48, red_ink, ycck)));
    CHECK(samples::Near(samples::At(red, 30, 20), 255, 0, 0));
    const samples::DecodedPixels blue =
        samples::PixelsOf(samples::ThumbOf(samples::CmykJpeg(600, 400, blue_ink, ycck)));
    CHECK(samples::Near(samples::At(blue, 100, 100), 0, 0, 255));
  }
}

TEST_CASE("Grayscale JPEG comes out gray", "[imaging][jpeg]") {
  const Thumbnail thumb = samples::ThumbOf(samples::LibJpeg(800, 600, JpegOptions{90, false, true, true}));
  const samples::DecodedPixels px = samples::PixelsOf(thumb);
  const uint8_t* p = samples::At(px, 100, 100);
  CHECK(std::abs(p[0] - p[1]) <= 4);
  CHECK(std::abs(p[1] - p[2]) <= 4);
}

TEST_CASE("EXIF orientation turns the thumbnail upright", "[imaging][jpeg][exif]") {
  // 800 x 400 as stored, left half red and right half blue; orientation 6 means "rotate 90 clockwise
  // to display", so the upright picture is 400 x 800 with red on top.
  std::vector<uint8_t> pixels(800 * 400 * 3);
  for (size_t i = 0; i < 800 * 400; ++i) {
    const bool left = i % 800 < 400;
    pixels[3 * i] = left ? 230 : 10, pixels[3 * i + 1] = 10, pixels[3 * i + 2] = left ? 10 : 230;
  }
  const auto with = [&](uint32_t orientation) {
    return samples::LibjpegEncode(pixels.data(), 800, 400, JpegOptions{90, false, true, false, orientation});
  };
  REQUIRE(ReadJpegHeaders(with(6))->orientation == 6);
  const Thumbnail upright = samples::ThumbOf(with(6));
  CHECK(upright.width == 192);
  CHECK(upright.height == 384);
  const samples::DecodedPixels px = samples::PixelsOf(upright);
  CHECK(samples::Near(samples::At(px, 96, 40), 230, 10, 10));   // top: red
  CHECK(samples::Near(samples::At(px, 96, 340), 10, 10, 230));  // bottom: blue
  const samples::DecodedPixels ccw = samples::PixelsOf(samples::ThumbOf(with(8)));
  CHECK(samples::Near(samples::At(ccw, 96, 40), 10, 10, 230));  // 8: blue on top
  const samples::DecodedPixels flipped = samples::PixelsOf(samples::ThumbOf(with(2)));
  CHECK(flipped.width == 384);
  CHECK(samples::Near(samples::At(flipped, 40, 96), 10, 10, 230));  // 2: mirrored, blue on the left
  const samples::DecodedPixels plain = samples::PixelsOf(samples::ThumbOf(with(1)));
  CHECK(samples::Near(samples::At(plain, 40, 96), 230, 10, 10));
}

TEST_CASE("ExifOrientation reads both byte orders and ignores nonsense", "[imaging][jpeg][exif]") {
  // "Exif\0\0", TIFF header, IFD0 at 8 with one entry: tag 0x0112, type SHORT, count 1, value.
  const std::string little("Exif\0\0II*\0\x08\0\0\0\x01\0\x12\x01\x03\0\x01\0\0\0\x06\0\0\0", 28);
  const std::string big("Exif\0\0MM\0*\0\0\0\x08\0\x01\x01\x12\0\x03\0\0\0\x01\0\x08\0\0", 28);
  CHECK(ExifOrientation(little) == 6);
  CHECK(ExifOrientation(big) == 8);
  std::string out_of_range = little;
  out_of_range[24] = 9;
  CHECK(ExifOrientation(out_of_range) == 1);
  CHECK(ExifOrientation(little.substr(0, 20)) == 1);  // cut inside the entry
  std::string far_ifd = little;
  far_ifd[10] = '\x7F';  // IFD offset past the end
  CHECK(ExifOrientation(far_ifd) == 1);
  CHECK(ExifOrientation("JFIF") == 1);
}

// [native-only]: libjpeg's fatal error longjmps natively; in wasm it traps by design (fatal_error.h),
// which only a fresh codec instance survives (tests/wasm/codec_module_check.mjs checks that path).
TEST_CASE("The decoder caps the scan count by itself too", "[imaging][jpeg][bad][native-only]") {
  // A plan made for an honest progressive file, then the same file with its last scan repeated
  // 1500 times handed straight to the decoder (as if the plan had missed them): libjpeg stops it as
  // damage, at the latest when the progress monitor sees scan 1001.
  const std::string progressive = samples::LibJpeg(320, 240, JpegOptions{85, true});
  const ThumbnailPlan plan = PlanOf(progressive);
  const size_t last_sos = progressive.rfind("\xFF\xDA");
  const std::string scan = progressive.substr(last_sos, progressive.size() - 2 - last_sos);
  std::string many = progressive.substr(0, progressive.size() - 2);
  for (int i = 0; i < 1500; ++i) many += scan;
  many += "\xFF\xD9";
  CollectRows sink;
  sink.width = plan.decode_width;
  DecodeBudget budget(64u << 20);
  const Status status = DecodeJpegRows(many, plan, sink);
  CHECK(status.code() == Status::Code::kInvalidArgument);
}

// [native-only]: libjpeg's fatal errors trap in wasm by design (see above).
TEST_CASE("Bad JPEGs give a clear answer", "[imaging][jpeg][bad][native-only]") {
  const std::string progressive = samples::LibJpeg(640, 480, JpegOptions{85, true});
  SECTION("truncated progressive JPEG") {
    for (size_t cut : {progressive.size() / 3, progressive.size() / 2, progressive.size() - 10}) {
      CHECK(samples::CodeOf(progressive.substr(0, cut)) == Status::Code::kInvalidArgument);
    }
  }
  SECTION("corrupt entropy data in a progressive JPEG: an error or a picture, never a crash") {
    std::string bad = progressive;
    for (size_t i = bad.size() / 2; i + 2 < bad.size(); i += 5) bad[i] = static_cast<char>(i * 13);
    const Status::Code code = samples::CodeOf(bad);
    CHECK((code == Status::Code::kOk || code == Status::Code::kInvalidArgument));
  }
  SECTION("a JPEG claiming 65535 x 65535 is refused by the probe") {
    std::string big = samples::LibJpeg(64, 64);
    const size_t sof = big.find("\xFF\xC0");
    REQUIRE(sof != std::string::npos);
    big[sof + 5] = big[sof + 6] = big[sof + 7] = big[sof + 8] = '\xFF';
    CHECK(samples::CodeOf(big) == Status::Code::kInvalidArgument);
    CHECK(ProbeImage(big).status().message() == "too many pixels");
  }
  SECTION("a progressive JPEG with thousands of scans") {
    // Repeat the last scan (an AC refinement) 2000 times before EOI.
    const size_t last_sos = progressive.rfind("\xFF\xDA");
    REQUIRE(last_sos != std::string::npos);
    const std::string scan = progressive.substr(last_sos, progressive.size() - 2 - last_sos);
    std::string many = progressive.substr(0, progressive.size() - 2);
    for (int i = 0; i < 2000; ++i) many += scan;
    many += "\xFF\xD9";
    REQUIRE(ReadJpegHeaders(many)->scans > kMaxJpegScans);
    const Result<ImageProbe> probe = ProbeImage(many);
    REQUIRE(probe.ok());
    const Result<Thumbnail> thumb = MakeThumbnail(many, *probe);
    REQUIRE_FALSE(thumb.ok());
    CHECK(thumb.status().code() == Status::Code::kInvalidArgument);
    CHECK(thumb.status().message() == "JPEG has too many scans");
  }
  SECTION("arithmetic-coded JPEG is refused as unsupported") {
    std::string arith = samples::LibJpeg(64, 64);
    const size_t sof = arith.find("\xFF\xC0");
    arith[sof + 1] = '\xC9';
    CHECK(samples::CodeOf(arith) == Status::Code::kFailedPrecondition);
  }
}

}  // namespace
}  // namespace nb
