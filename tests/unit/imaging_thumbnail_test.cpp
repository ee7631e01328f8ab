#include <catch2/catch.hpp>
#include <string>

#include "codecs/decode_budget.h"
#include "codecs/thumbnail.h"
#include "imaging/stb_codecs.h"
#include "imaging_samples.h"
#include "imaging_stb.h"

namespace nb {
namespace {

ImageProbe Probe(std::string_view bytes) {
  Result<ImageProbe> probe = ProbeImage(bytes);
  REQUIRE(probe.ok());
  return *probe;
}

// Decodes a thumbnail back to RGB to look at its pixels.
samples::DecodedPixels DecodeThumbnail(const Thumbnail& thumb) {
  REQUIRE(ProbeImage(thumb.bytes).ok());
  CHECK(ProbeImage(thumb.bytes)->format == ImageFormat::kJpeg);
  samples::DecodedPixels decoded = samples::StbDecode(thumb.bytes, 3);
  REQUIRE(decoded.pixels != nullptr);
  CHECK(decoded.width == thumb.width);
  CHECK(decoded.height == thumb.height);
  return decoded;
}

Thumbnail ThumbnailOf(std::string_view bytes) {
  Result<Thumbnail> thumb = MakeThumbnail(bytes, Probe(bytes));
  INFO(thumb.status().ToString());
  REQUIRE(thumb.ok());
  CHECK(thumb->content_type == "image/jpeg");
  return std::move(thumb).value();
}

const samples::GifColour kPalette[4] = {{0, 0, 0}, {255, 0, 0}, {0, 200, 0}, {0, 0, 255}};

TEST_CASE("ThumbnailSize keeps the aspect ratio with the longest side at most 384", "[imaging][thumbnail]") {
  const auto size = [](uint32_t w, uint32_t h) {
    uint32_t tw = 0, th = 0;
    ThumbnailSize(w, h, tw, th);
    return std::pair<uint32_t, uint32_t>(tw, th);
  };
  CHECK(size(1024, 1024) == std::pair<uint32_t, uint32_t>(384, 384));
  CHECK(size(4000, 3000) == std::pair<uint32_t, uint32_t>(384, 288));
  CHECK(size(3000, 4000) == std::pair<uint32_t, uint32_t>(288, 384));
  CHECK(size(1344, 768) == std::pair<uint32_t, uint32_t>(384, 219));  // 219.43
  CHECK(size(768, 1344) == std::pair<uint32_t, uint32_t>(219, 384));
  CHECK(size(1536, 672) == std::pair<uint32_t, uint32_t>(384, 168));
  CHECK(size(1000, 999) == std::pair<uint32_t, uint32_t>(384, 384));  // 383.6 rounds up
  CHECK(size(385, 2) == std::pair<uint32_t, uint32_t>(384, 2));
  CHECK(size(200, 100) == std::pair<uint32_t, uint32_t>(200, 100));  // never upscaled
  CHECK(size(384, 384) == std::pair<uint32_t, uint32_t>(384, 384));
  CHECK(size(1, 5000) == std::pair<uint32_t, uint32_t>(1, 384));  // never 0 wide
  CHECK(size(5000, 1) == std::pair<uint32_t, uint32_t>(384, 1));
  CHECK(size(1, 1) == std::pair<uint32_t, uint32_t>(1, 1));
}

TEST_CASE("MakeThumbnail shrinks landscape, portrait and strip images to the right size",
          "[imaging][thumbnail]") {
  struct Case {
    std::string bytes;
    uint32_t width, height;
  };
  const Case cases[] = {
      {samples::Png(1024, 1024), 384, 384}, {samples::Jpeg(1600, 900), 384, 216},
      {samples::Jpeg(900, 1600), 216, 384}, {samples::Png(2000, 500, 4), 384, 96},
      {samples::Png(1, 1000), 1, 384},      {samples::Jpeg(1000, 1), 384, 1},
      {samples::Png(300, 200), 300, 200},   {samples::Jpeg(17, 9), 17, 9},
  };
  for (const Case& c : cases) {
    const Thumbnail thumb = ThumbnailOf(c.bytes);
    CHECK(thumb.width == c.width);
    CHECK(thumb.height == c.height);
    DecodeThumbnail(thumb);
  }
}

TEST_CASE("MakeThumbnail keeps what the picture shows", "[imaging][thumbnail]") {
  // Left half red, right half blue, 800x400: the thumbnail is 384x192 with the same halves.
  std::vector<uint8_t> pixels(800 * 400 * 3);
  for (size_t i = 0; i < 800 * 400; ++i) {
    const bool left = i % 800 < 400;
    pixels[3 * i] = left ? 220 : 10;
    pixels[3 * i + 2] = left ? 10 : 220;
  }
  const std::string png = samples::OrDie(EncodePng(pixels.data(), 800, 400, 3));
  const samples::DecodedPixels thumb = DecodeThumbnail(ThumbnailOf(png));
  REQUIRE(thumb.width == 384);
  REQUIRE(thumb.height == 192);
  const auto at = [&](uint32_t x, uint32_t y, int c) { return int{thumb.pixels[(y * 384 + x) * 3 + c]}; };
  CHECK(at(50, 96, 0) == Approx(220).margin(8));
  CHECK(at(50, 96, 2) == Approx(10).margin(8));
  CHECK(at(330, 96, 0) == Approx(10).margin(8));
  CHECK(at(330, 96, 2) == Approx(220).margin(8));
}

TEST_CASE("MakeThumbnail flattens transparency onto white", "[imaging][thumbnail]") {
  SECTION("PNG alpha") {
    std::vector<uint8_t> pixels(64 * 64 * 4, 0);                   // fully transparent black...
    for (size_t i = 0; i < 32 * 64; ++i) pixels[4 * i + 3] = 255;  // ...except an opaque black top half
    const std::string png = samples::OrDie(EncodePng(pixels.data(), 64, 64, 4));
    const samples::DecodedPixels thumb = DecodeThumbnail(ThumbnailOf(png));
    CHECK(int{thumb.pixels[(10 * 64 + 10) * 3]} < 20);   // top: black
    CHECK(int{thumb.pixels[(50 * 64 + 10) * 3]} > 235);  // bottom: white, not black
    CHECK(int{thumb.pixels[(50 * 64 + 10) * 3 + 2]} > 235);
  }
  SECTION("GIF transparent index") {
    std::vector<uint8_t> indices(40 * 40, 3);             // blue...
    for (size_t i = 0; i < 20 * 40; ++i) indices[i] = 0;  // ...under a transparent top half
    const std::string gif = samples::Gif(40, 40, indices, kPalette, 0);
    const samples::DecodedPixels thumb = DecodeThumbnail(ThumbnailOf(gif));
    const uint8_t* top = &thumb.pixels[(5 * 40 + 5) * 3];
    const uint8_t* bottom = &thumb.pixels[(35 * 40 + 5) * 3];
    CHECK(int{top[0]} > 235);
    CHECK(int{top[1]} > 235);
    CHECK(int{top[2]} > 235);
    CHECK(int{bottom[0]} < 30);
    CHECK(int{bottom[2]} > 220);
  }
}

TEST_CASE("MakeThumbnail decodes the first GIF frame", "[imaging][thumbnail]") {
  std::vector<uint8_t> indices(500 * 100);
  for (size_t i = 0; i < indices.size(); ++i) indices[i] = (i % 500) < 250 ? 1 : 2;
  const Thumbnail thumb = ThumbnailOf(samples::Gif(500, 100, indices, kPalette));
  CHECK(thumb.width == 384);
  CHECK(thumb.height == 77);  // 76.8
  const samples::DecodedPixels pixels = DecodeThumbnail(thumb);
  CHECK(int{pixels.pixels[(38 * 384 + 20) * 3]} > 200);       // red on the left
  CHECK(int{pixels.pixels[(38 * 384 + 360) * 3 + 1]} > 160);  // green on the right
}

TEST_CASE("MakeThumbnail re-checks the probe it is given", "[imaging][thumbnail]") {
  const std::string png = samples::Png(50, 40);
  CHECK_FALSE(MakeThumbnail(png, ImageProbe{ImageFormat::kPng, 40, 50}).ok());
  CHECK_FALSE(MakeThumbnail(png, ImageProbe{ImageFormat::kJpeg, 50, 40}).ok());
  CHECK_FALSE(MakeThumbnail("not an image at all", ImageProbe{ImageFormat::kPng, 1, 1}).ok());
}

TEST_CASE("MakeThumbnail refuses huge declared sizes before decoding", "[imaging][thumbnail][bomb]") {
  const uint64_t opened = GetDecodeBudgetStats().budgets_opened;
  // 100000 x 100000 in a 60-byte file: the probe refuses it, so a forged probe cannot get it decoded.
  const std::string giant = samples::PngFromParts(100000, 100000, 8, 2, samples::ZeroBombZlib(1000));
  CHECK_FALSE(ProbeImage(giant).ok());
  CHECK_FALSE(MakeThumbnail(giant, ImageProbe{ImageFormat::kPng, 100000, 100000}).ok());
  // A 6000 x 6000 GIF passes the probe (36 MP) but stb_image would need ~9 bytes a pixel: the plan
  // refuses it and the decoder never runs.
  std::string gif = samples::Gif(2, 2, {0, 1, 2, 3}, kPalette);
  gif[6] = static_cast<char>(6000 & 0xFF), gif[7] = static_cast<char>(6000 >> 8);
  gif[8] = static_cast<char>(6000 & 0xFF), gif[9] = static_cast<char>(6000 >> 8);
  const Result<Thumbnail> thumb = MakeThumbnail(gif, Probe(gif));
  REQUIRE_FALSE(thumb.ok());
  CHECK(thumb.status().code() == Status::Code::kFailedPrecondition);
  CHECK(GetDecodeBudgetStats().budgets_opened == opened);  // the decoder never ran
}

TEST_CASE("the sample zlib bomb is a valid stream of zeros", "[imaging][thumbnail][bomb]") {
  for (uint64_t size : {1u, 257u, 258u, 259u, 100000u}) {
    const std::string stream = samples::ZeroBombZlib(size);
    int length = -1;
    char* inflated = stbi_zlib_decode_malloc(stream.data(), static_cast<int>(stream.size()), &length);
    REQUIRE(inflated != nullptr);
    CHECK(static_cast<uint64_t>(length) == size);
    CHECK(std::string(inflated, length) == std::string(size, '\0'));
    stbi_image_free(inflated);
  }
}

TEST_CASE("MakeThumbnail stops a PNG whose data inflates far beyond its size", "[imaging][thumbnail][bomb]") {
  // 16 x 16 RGB needs 784 bytes of filtered rows; this IDAT (about 32 KB) inflates to 32 MB.
  const std::string bomb = samples::PngFromParts(16, 16, 8, 2, samples::ZeroBombZlib(32u << 20));
  CHECK(bomb.size() < 40 * 1024);
  const Result<Thumbnail> thumb = MakeThumbnail(bomb, Probe(bomb));
  REQUIRE_FALSE(thumb.ok());
  CHECK(thumb.status().code() == Status::Code::kInvalidArgument);  // damaged, not merely large
  CHECK(LastThumbnailStats().peak_bytes > 0);                      // the decoder ran...
  CHECK(LastThumbnailStats().peak_bytes < (2u << 20));             // ...row by row, never near 32 MB
  // The same stream inflating to exactly the declared size is a fine (black) picture.
  const std::string honest = samples::PngFromParts(16, 16, 8, 2, samples::ZeroBombZlib(16 * (1 + 16 * 3)));
  CHECK(MakeThumbnail(honest, Probe(honest)).ok());
}

TEST_CASE("MakeThumbnail honours a smaller working-memory ceiling", "[imaging][thumbnail]") {
  const std::string png = samples::Png(600, 600);
  const Result<ThumbnailPlan> plan = PlanThumbnail(png, Probe(png));
  REQUIRE(plan.ok());
  ThumbnailLimits tight;
  tight.max_working_bytes = plan->working_bytes - 1;
  const Result<Thumbnail> refused = MakeThumbnail(png, Probe(png), tight);
  REQUIRE_FALSE(refused.ok());
  CHECK(refused.status().code() == Status::Code::kFailedPrecondition);  // a fine image, just too big
  ThumbnailLimits roomy;
  roomy.max_working_bytes = plan->working_bytes;
  CHECK(MakeThumbnail(png, Probe(png), roomy).ok());
  CHECK(LastThumbnailStats().peak_bytes <= plan->working_bytes);
}

// [native-only]: its JPEG sections end in libjpeg's fatal error, which longjmps natively and traps in
// wasm by design (src/codecs/fatal_error.h; tests/wasm/codec_module_check.mjs checks that path).
TEST_CASE("MakeThumbnail returns an error for a corrupt or cut body", "[imaging][thumbnail][native-only]") {
  const std::string png = samples::Png(200, 150);
  const std::string jpeg = samples::Jpeg(200, 150);

  SECTION("PNG cut in the middle of its pixel data") {
    const std::string cut = png.substr(0, png.size() / 2);
    CHECK_FALSE(MakeThumbnail(cut, Probe(cut)).ok());
  }
  SECTION("PNG whose compressed data is garbage") {
    std::string bad = png;
    const size_t idat = bad.find("IDAT");
    REQUIRE(idat != std::string::npos);
    for (size_t i = idat + 4; i < bad.size() - 12; ++i) bad[i] = static_cast<char>(i * 131 + 7);
    CHECK_FALSE(MakeThumbnail(bad, Probe(bad)).ok());
  }
  SECTION("PNG with a valid header and no IDAT") {
    const std::string headless = png.substr(0, 33) + samples::PngChunk("IEND", "");
    CHECK_FALSE(MakeThumbnail(headless, Probe(headless)).ok());
  }
  SECTION("JPEG cut after its frame header") {
    const size_t sof = jpeg.find("\xFF\xC0");
    const std::string cut = jpeg.substr(0, sof + 19);
    CHECK_FALSE(MakeThumbnail(cut, Probe(cut)).ok());
  }
  SECTION("JPEG whose Huffman table claims more than 256 codes") {
    std::string bad = jpeg;
    const size_t dht = bad.find("\xFF\xC4");
    REQUIRE(dht != std::string::npos);
    for (size_t i = dht + 5; i < dht + 21; ++i) bad[i] = '\x11';  // 16 lengths x 17 codes = 272
    const Result<Thumbnail> thumb = MakeThumbnail(bad, Probe(bad));
    REQUIRE_FALSE(thumb.ok());
    CHECK(thumb.status().code() == Status::Code::kInvalidArgument);
  }
  SECTION("JPEG whose Huffman table cannot exist") {
    std::string bad = jpeg;
    const size_t dht = bad.find("\xFF\xC4");
    REQUIRE(dht != std::string::npos);
    bad[dht + 5] = '\x03';  // three 1-bit codes cannot exist
    const Result<Thumbnail> thumb = MakeThumbnail(bad, Probe(bad));
    REQUIRE_FALSE(thumb.ok());
    CHECK(thumb.status().code() == Status::Code::kInvalidArgument);
  }
  SECTION("JPEG scan data scrambled: libjpeg's corrupt-data warnings make it damaged") {
    std::string bad = jpeg;
    const size_t sos = bad.find("\xFF\xDA");
    REQUIRE(sos != std::string::npos);
    for (size_t i = sos + 20; i + 2 < bad.size(); i += 3) bad[i] = static_cast<char>(i * 7);
    const Result<Thumbnail> thumb = MakeThumbnail(bad, Probe(bad));
    REQUIRE_FALSE(thumb.ok());
    CHECK(thumb.status().code() == Status::Code::kInvalidArgument);
  }
  SECTION("GIF cut before its first frame") {
    const std::string gif = samples::Gif(30, 30, std::vector<uint8_t>(900, 1), kPalette);
    const std::string cut = gif.substr(0, 13 + 12);  // screen descriptor and palette only
    CHECK_FALSE(MakeThumbnail(cut, Probe(cut)).ok());
  }
  SECTION("GIF cut inside its frame data shows what arrived, as browsers do") {
    // stb_image keeps the pixels decoded before the cut (the rest stays background): a thumbnail of
    // the full size, not an error. JPEG/PNG/WebP cut short are refused (sections above).
    const std::string gif = samples::Gif(30, 30, std::vector<uint8_t>(900, 1), kPalette);
    const std::string cut = gif.substr(0, gif.size() / 2);
    const Result<Thumbnail> thumb = MakeThumbnail(cut, Probe(cut));
    REQUIRE(thumb.ok());
    CHECK(thumb->width == 30);
    CHECK(thumb->height == 30);
  }
}

}  // namespace
}  // namespace nb
