#include <catch2/catch.hpp>
#include <string>

#include "imaging/image_probe.h"
#include "imaging_samples.h"

namespace nb {
namespace {

std::string ProbeError(std::string_view bytes) {
  const Result<ImageProbe> probe = ProbeImage(bytes);
  REQUIRE_FALSE(probe.ok());
  CHECK(probe.status().code() == Status::Code::kInvalidArgument);
  return probe.status().message();
}

void CheckProbe(std::string_view bytes, ImageFormat format, uint32_t width, uint32_t height) {
  const Result<ImageProbe> probe = ProbeImage(bytes);
  REQUIRE(probe.ok());
  CHECK(probe->format == format);
  CHECK(probe->width == width);
  CHECK(probe->height == height);
}

const samples::GifColour kPalette[4] = {{0, 0, 0}, {255, 0, 0}, {0, 255, 0}, {0, 0, 255}};

TEST_CASE("ProbeImage reads the size of each format from its header", "[imaging][probe]") {
  CheckProbe(samples::Png(37, 21), ImageFormat::kPng, 37, 21);
  CheckProbe(samples::Png(5, 300, 4), ImageFormat::kPng, 5, 300);
  CheckProbe(samples::Jpeg(123, 45), ImageFormat::kJpeg, 123, 45);
  CheckProbe(samples::Gif(7, 3, std::vector<uint8_t>(21, 1), kPalette), ImageFormat::kGif, 7, 3);
  CheckProbe(samples::WebpLossy(640, 480), ImageFormat::kWebp, 640, 480);
  CheckProbe(samples::WebpLossless(16383, 2), ImageFormat::kWebp, 16383, 2);
  CheckProbe(samples::WebpExtended(5000, 4000), ImageFormat::kWebp, 5000, 4000);
}

TEST_CASE("ProbeImage walks JPEG markers past APPn, comments and fill bytes to the frame header",
          "[imaging][probe]") {
  const std::string jpeg = samples::Jpeg(64, 48);
  // Insert a large APP1 (EXIF-like), a COM and fill bytes between SOI and the encoder's segments.
  std::string extra("\xFF\xE1", 2);
  extra += {static_cast<char>(0x40), 0x02};  // length 0x4002
  extra += std::string(0x4000, 'x');
  extra += std::string("\xFF\xFF\xFF\xFE\x00\x05hi!", 9);
  const std::string padded = jpeg.substr(0, 2) + extra + jpeg.substr(2);
  CheckProbe(padded, ImageFormat::kJpeg, 64, 48);

  // A progressive frame header (SOF2) counts; DHT (C4) does not.
  std::string progressive(
      "\xFF\xD8\xFF\xC4\x00\x04\x00\x00\xFF\xC2\x00\x0B\x08\x00\x10\x00\x20\x01\x01\x11\x00", 21);
  CheckProbe(progressive, ImageFormat::kJpeg, 32, 16);
}

TEST_CASE("ProbeImage takes a GIF's first image descriptor when the screen size is zero",
          "[imaging][probe]") {
  std::string gif = samples::Gif(9, 4, std::vector<uint8_t>(36, 2), kPalette, 0);
  gif[6] = gif[7] = gif[8] = gif[9] = 0;
  CheckProbe(gif, ImageFormat::kGif, 9, 4);
}

TEST_CASE("ProbeImage refuses what is not an image", "[imaging][probe]") {
  CHECK(ProbeError("") == "not an image");
  CHECK(ProbeError("hello, I am a text file renamed to cat.png\n") == "not an image");
  CHECK(ProbeError("<svg xmlns='http://www.w3.org/2000/svg'/>") == "not an image");
  CHECK(ProbeError(std::string("RIFF\x10\x00\x00\x00WAVEfmt ", 16)) == "not an image");
  CHECK(ProbeError(std::string("\xFF\xD8\xFF\xD9", 4)) == "not an image");             // SOI, EOI: no frame
  CHECK(ProbeError(std::string("\xFF\xD8\xFF\xDA\x00\x02", 6)) == "not an image");     // scan before frame
  CHECK(ProbeError(std::string("\xFF\xD8\xFF\xE0\x00\x02ZZZ", 9)) == "not an image");  // junk, no marker
  std::string png = samples::Png(4, 4);
  png[12] = 'X';  // first chunk is not IHDR
  CHECK(ProbeError(png) == "not an image");
  png = samples::Png(4, 4);
  png[25] = 5;  // colour type 5 does not exist
  CHECK(ProbeError(png) == "not an image");
  std::string gif = samples::Gif(2, 2, {0, 1, 2, 3}, kPalette);
  gif[6] = gif[7] = gif[8] = gif[9] = 0;
  gif = gif.substr(0, 13 + 12) + ";";  // zero screen, trailer before any frame
  CHECK(ProbeError(gif) == "not an image");
}

TEST_CASE("ProbeImage refuses truncated headers", "[imaging][probe]") {
  const std::string png = samples::Png(10, 10);
  CHECK(ProbeError(png.substr(0, 4)) == "truncated header");
  CHECK(ProbeError(png.substr(0, 20)) == "truncated header");
  CHECK(ProbeError(png.substr(0, 32)) == "truncated header");
  CHECK(ProbeImage(png.substr(0, 33)).ok());  // a complete IHDR is all the probe reads

  const std::string jpeg = samples::Jpeg(10, 10);
  const size_t sof = jpeg.find("\xFF\xC0");
  REQUIRE(sof != std::string::npos);
  CHECK(ProbeError(jpeg.substr(0, 2)) == "truncated header");
  CHECK(ProbeError(jpeg.substr(0, sof)) == "truncated header");
  CHECK(ProbeError(jpeg.substr(0, sof + 6)) == "truncated header");
  CHECK(ProbeImage(jpeg.substr(0, sof + 10)).ok());

  CHECK(ProbeError(samples::WebpLossy(10, 10).substr(0, 25)) == "truncated header");
  CHECK(ProbeError(samples::WebpLossless(10, 10).substr(0, 22)) == "truncated header");
  CHECK(ProbeError(samples::WebpExtended(10, 10).substr(0, 10)) == "truncated header");
  CHECK(ProbeError(samples::Gif(2, 2, {0, 1, 2, 3}, kPalette).substr(0, 11)) == "truncated header");
}

TEST_CASE("ProbeImage refuses zero sizes and too many pixels before any decoding", "[imaging][probe]") {
  CHECK(ProbeError(samples::PngFromParts(100000, 100000, 8, 2, "")) == "too many pixels");
  CHECK(ProbeError(samples::PngFromParts(0xFFFFFFFF, 0xFFFFFFFF, 8, 6, "")) == "too many pixels");
  CHECK(ProbeError(samples::PngFromParts(0, 10, 8, 2, "")) == "zero dimension");
  CHECK(ProbeError(samples::PngFromParts(10, 0, 8, 2, "")) == "zero dimension");
  CHECK(ProbeError(samples::WebpExtended(1 << 24, 1 << 24)) == "too many pixels");
  CHECK(ProbeError(samples::WebpLossy(0, 10)) == "zero dimension");
  std::string jpeg = samples::Jpeg(8, 8);
  const size_t sof = jpeg.find("\xFF\xC0");
  jpeg[sof + 5] = jpeg[sof + 6] = 0;  // height 0 (defined later by DNL, which nothing supports)
  CHECK(ProbeError(jpeg) == "zero dimension");

  const uint64_t side = 6324;  // 6324^2 is just under the limit, 6325^2 just over
  REQUIRE(side * side <= kMaxImagePixels);
  REQUIRE((side + 1) * (side + 1) > kMaxImagePixels);
  CHECK(ProbeImage(samples::PngFromParts(side, side, 8, 2, "")).ok());
  CHECK(ProbeError(samples::PngFromParts(side + 1, side + 1, 8, 2, "")) == "too many pixels");
}

TEST_CASE("FormatName and MimeType name every format", "[imaging][probe]") {
  CHECK(std::string(FormatName(ImageFormat::kPng)) == "png");
  CHECK(std::string(FormatName(ImageFormat::kJpeg)) == "jpeg");
  CHECK(std::string(FormatName(ImageFormat::kWebp)) == "webp");
  CHECK(std::string(FormatName(ImageFormat::kGif)) == "gif");
  CHECK(std::string(MimeType(ImageFormat::kPng)) == "image/png");
  CHECK(std::string(MimeType(ImageFormat::kJpeg)) == "image/jpeg");
  CHECK(std::string(MimeType(ImageFormat::kWebp)) == "image/webp");
  CHECK(std::string(MimeType(ImageFormat::kGif)) == "image/gif");
}

}  // namespace
}  // namespace nb
