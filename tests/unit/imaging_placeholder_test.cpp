#include <catch2/catch.hpp>
#include <set>
#include <string>

#include "imaging/image_probe.h"
#include "imaging/placeholder.h"
#include "imaging_stb.h"

namespace nb {
namespace {

TEST_CASE("GeminiImageSize knows Gemini 2.5 Flash Image's sizes", "[imaging][placeholder]") {
  const std::pair<std::string, std::pair<uint32_t, uint32_t>> table[] = {
      {"1:1", {1024, 1024}}, {"2:3", {832, 1248}},  {"3:2", {1248, 832}}, {"3:4", {864, 1184}},
      {"4:3", {1184, 864}},  {"4:5", {896, 1152}},  {"5:4", {1152, 896}}, {"9:16", {768, 1344}},
      {"16:9", {1344, 768}}, {"21:9", {1536, 672}},
  };
  for (const auto& [ratio, size] : table) {
    const auto got = GeminiImageSize(ratio);
    REQUIRE(got.ok());
    CHECK(*got == size);
  }
  for (const char* bad : {"", "2:1", "1:1 ", "16:10", "1024x1024"}) {
    const auto got = GeminiImageSize(bad);
    REQUIRE_FALSE(got.ok());
    CHECK(got.status().code() == Status::Code::kInvalidArgument);
  }
}

struct Decoded {
  int width = 0, height = 0;
  std::string rgb;
};

Decoded DecodePng(const std::string& png) {
  Decoded d;
  int components = 0;
  stbi_uc* pixels = stbi_load_from_memory(reinterpret_cast<const stbi_uc*>(png.data()),
                                          static_cast<int>(png.size()), &d.width, &d.height, &components, 3);
  REQUIRE(pixels != nullptr);
  CHECK(components == 3);
  d.rgb.assign(reinterpret_cast<const char*>(pixels), size_t(d.width) * d.height * 3);
  stbi_image_free(pixels);
  return d;
}

TEST_CASE("DrawPlaceholder draws a PNG in Gemini's size for the ratio", "[imaging][placeholder]") {
  for (const char* ratio : {"1:1", "9:16", "21:9"}) {
    const auto image = DrawPlaceholder("a banana wearing sunglasses", ratio);
    REQUIRE(image.ok());
    const auto size = GeminiImageSize(ratio);
    CHECK(image->width == size->first);
    CHECK(image->height == size->second);
    const auto probe = ProbeImage(image->png);
    REQUIRE(probe.ok());
    CHECK(probe->format == ImageFormat::kPng);
    CHECK(probe->width == image->width);
    CHECK(probe->height == image->height);
    const Decoded decoded = DecodePng(image->png);  // round-trips through an independent decoder
    CHECK(decoded.width == int(image->width));
    CHECK(decoded.height == int(image->height));
    // A gradient: opposite corners differ, neighbours barely do.
    const auto pixel = [&](int x, int y) {
      return decoded.rgb.substr((size_t(y) * decoded.width + x) * 3, 3);
    };
    CHECK(pixel(0, 0) != pixel(decoded.width - 1, decoded.height - 1));
    const std::string a = pixel(100, 100), b = pixel(101, 100);
    for (int c = 0; c < 3; ++c) CHECK(std::abs(int(uint8_t(a[c])) - int(uint8_t(b[c]))) <= 1);
  }
  CHECK_FALSE(DrawPlaceholder("x", "7:3").ok());
}

TEST_CASE("DrawPlaceholder is deterministic per prompt and differs between prompts",
          "[imaging][placeholder]") {
  const auto first = DrawPlaceholder("a red fox in snow", "16:9");
  const auto again = DrawPlaceholder("a red fox in snow", "16:9");
  REQUIRE(first.ok());
  REQUIRE(again.ok());
  CHECK(first->png == again->png);

  std::set<std::string> corners;
  for (const char* prompt : {"a red fox in snow", "a red fox in snow.", "a blue fox in snow", "", "猫"}) {
    const auto image = DrawPlaceholder(prompt, "16:9");
    REQUIRE(image.ok());
    if (std::string(prompt) != "a red fox in snow") CHECK(image->png != first->png);
    corners.insert(DecodePng(image->png).rgb.substr(0, 3));
  }
  CHECK(corners.size() == 5);  // different prompts, different colours
}

}  // namespace
}  // namespace nb
