// libspng's paths: every colour type and bit depth, palette + tRNS, 16-bit, Adam7 interlacing, and the
// bad-input list (cut, corrupt, bad CRC; the zlib bomb is in imaging_thumbnail_test.cpp).
#include <catch2/catch.hpp>
#include <string>
#include <vector>

#include "codecs/thumbnail.h"
#include "imaging_codec_samples.h"
#include "imaging_test_util.h"

namespace nb {
namespace {

using samples::PngSpec;

// Left half one colour, right half another, in any colour type: samples per the spec's channels.
std::vector<uint16_t> Halves(const PngSpec& s, std::vector<uint16_t> left, std::vector<uint16_t> right) {
  std::vector<uint16_t> out;
  for (uint32_t y = 0; y < s.height; ++y)
    for (uint32_t x = 0; x < s.width; ++x) {
      const auto& v = x < s.width / 2 ? left : right;
      out.insert(out.end(), v.begin(), v.end());
    }
  return out;
}

TEST_CASE("PNG in every colour type and bit depth", "[imaging][png]") {
  struct Case {
    uint8_t colour_type, depth;
    std::vector<uint16_t> left, right;
    int left_rgb[3], right_rgb[3];
  };
  const Case cases[] = {
      {0, 1, {0}, {1}, {0, 0, 0}, {255, 255, 255}},
      {0, 2, {1}, {3}, {85, 85, 85}, {255, 255, 255}},
      {0, 4, {0}, {15}, {0, 0, 0}, {255, 255, 255}},
      {0, 8, {40}, {200}, {40, 40, 40}, {200, 200, 200}},
      {0, 16, {65535}, {0}, {255, 255, 255}, {0, 0, 0}},
      {2, 8, {230, 10, 10}, {10, 10, 230}, {230, 10, 10}, {10, 10, 230}},
      {2, 16, {65535, 0, 0}, {0, 0, 65535}, {255, 0, 0}, {0, 0, 255}},
      {4, 8, {0, 255}, {0, 0}, {0, 0, 0}, {255, 255, 255}},  // gray + alpha: clear is white
      {4, 16, {0, 65535}, {0, 0}, {0, 0, 0}, {255, 255, 255}},
      {6, 8, {255, 0, 0, 255}, {0, 0, 0, 0}, {255, 0, 0}, {255, 255, 255}},
      {6, 16, {0, 65535, 0, 65535}, {0, 0, 0, 0}, {0, 255, 0}, {255, 255, 255}},
  };
  for (bool interlaced : {false, true}) {
    for (const Case& c : cases) {
      INFO("colour type " << int{c.colour_type} << " depth " << int{c.depth}
                          << (interlaced ? " interlaced" : ""));
      PngSpec spec{600, 300, c.depth, c.colour_type, interlaced, "", ""};
      const std::string png = samples::PngEncode(spec, Halves(spec, c.left, c.right));
      const Thumbnail thumb = samples::ThumbOf(png);
      CHECK(thumb.width == 384);
      CHECK(thumb.height == 192);
      const samples::DecodedPixels px = samples::PixelsOf(thumb);
      CHECK(samples::Near(samples::At(px, 60, 96), c.left_rgb[0], c.left_rgb[1], c.left_rgb[2]));
      CHECK(samples::Near(samples::At(px, 320, 96), c.right_rgb[0], c.right_rgb[1], c.right_rgb[2]));
      CHECK(LastThumbnailStats().peak_bytes <= LastThumbnailStats().planned_bytes);
    }
  }
}

TEST_CASE("Palette PNG with tRNS: the transparent entry is flattened onto white", "[imaging][png]") {
  for (uint8_t depth : {1, 2, 4, 8}) {
    for (bool interlaced : {false, true}) {
      INFO("depth " << int{depth} << (interlaced ? " interlaced" : ""));
      PngSpec spec{500,
                   250,
                   depth,
                   3,
                   interlaced,
                   std::string("\x00\x00\x00\xC8\x14\x14", 6),
                   std::string("\x00", 1)};  // entry 0 black, fully transparent; entry 1 red
      const std::string png = samples::PngEncode(spec, Halves(spec, {0}, {1}));
      const samples::DecodedPixels px = samples::PixelsOf(samples::ThumbOf(png));
      CHECK(samples::Near(samples::At(px, 50, 100), 255, 255, 255));
      CHECK(samples::Near(samples::At(px, 330, 100), 200, 20, 20));
    }
  }
}

TEST_CASE("An interlaced PNG gives the same thumbnail as the same pixels not interlaced", "[imaging][png]") {
  const std::vector<uint8_t> pattern = samples::Pattern(997, 613, 3, 5);
  const std::vector<uint16_t> values(pattern.begin(), pattern.end());
  const std::string plain = samples::PngEncode(PngSpec{997, 613, 8, 2, false, "", ""}, values);
  const std::string adam7 = samples::PngEncode(PngSpec{997, 613, 8, 2, true, "", ""}, values);
  const Result<Thumbnail> a = MakeThumbnail(plain, samples::ProbeOf(plain));
  const Result<Thumbnail> b = MakeThumbnail(adam7, samples::ProbeOf(adam7));
  REQUIRE(a.ok());
  REQUIRE(b.ok());
  REQUIRE(a->width == b->width);
  REQUIRE(a->height == b->height);
  // Compare before JPEG: decode both thumbnails and allow JPEG's own noise plus one level of rounding.
  const samples::DecodedPixels pa = samples::PixelsOf(*a), pb = samples::PixelsOf(*b);
  int worst = 0;
  for (size_t i = 0; i < size_t{pa.width} * pa.height * 3; ++i)
    worst = std::max(worst, std::abs(pa.pixels[i] - pb.pixels[i]));
  CHECK(worst <= 6);
}

TEST_CASE("Bad PNGs give a clear answer", "[imaging][png][bad]") {
  const std::vector<uint8_t> pattern = samples::Pattern(300, 200, 3);
  const std::vector<uint16_t> values(pattern.begin(), pattern.end());
  for (bool interlaced : {false, true}) {
    const std::string png = samples::PngEncode(PngSpec{300, 200, 8, 2, interlaced, "", ""}, values);
    SECTION(std::string("cut short") + (interlaced ? " (interlaced)" : "")) {
      for (size_t cut : {size_t{60}, png.size() / 2, png.size() - 20}) {
        CHECK(samples::CodeOf(png.substr(0, cut)) == Status::Code::kInvalidArgument);
      }
    }
    SECTION(std::string("bad CRC on the image data") + (interlaced ? " (interlaced)" : "")) {
      std::string bad = png;
      const size_t idat = bad.find("IDAT");
      const size_t length =
          (static_cast<uint8_t>(bad[idat - 4]) << 24 | static_cast<uint8_t>(bad[idat - 3]) << 16 |
           static_cast<uint8_t>(bad[idat - 2]) << 8 | static_cast<uint8_t>(bad[idat - 1]));
      bad[idat + 4 + length] ^= 0x55;  // first CRC byte
      CHECK(samples::CodeOf(bad) == Status::Code::kInvalidArgument);
    }
  }
}

}  // namespace
}  // namespace nb
