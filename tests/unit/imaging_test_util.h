// Small helpers the codec tests share: probing, thumbnails decoded back to pixels, colour checks.
#pragma once

#include <catch2/catch.hpp>
#include <string>
#include <string_view>

#include "codecs/thumbnail.h"
#include "imaging/image_probe.h"
#include "imaging_stb.h"

namespace nb::samples {

inline ImageProbe ProbeOf(std::string_view bytes) {
  Result<ImageProbe> probe = ProbeImage(bytes);
  INFO(probe.status().ToString());
  REQUIRE(probe.ok());
  return *probe;
}

inline Thumbnail ThumbOf(std::string_view bytes) {
  Result<Thumbnail> thumb = MakeThumbnail(bytes, ProbeOf(bytes));
  INFO(thumb.status().ToString());
  REQUIRE(thumb.ok());
  CHECK(thumb->content_type == "image/jpeg");
  return std::move(thumb).value();
}

inline DecodedPixels PixelsOf(const Thumbnail& thumb) {
  DecodedPixels d = StbDecode(thumb.bytes, 3);
  REQUIRE(d.pixels != nullptr);
  REQUIRE(d.width == thumb.width);
  REQUIRE(d.height == thumb.height);
  return d;
}

inline const uint8_t* At(const DecodedPixels& d, uint32_t x, uint32_t y) {
  return d.pixels.get() + (size_t{y} * d.width + x) * 3;
}

inline bool Near(const uint8_t* px, int r, int g, int b, int margin = 24) {
  return std::abs(px[0] - r) <= margin && std::abs(px[1] - g) <= margin && std::abs(px[2] - b) <= margin;
}

inline Status::Code CodeOf(std::string_view bytes) {
  Result<ImageProbe> probe = ProbeImage(bytes);
  if (!probe.ok()) return probe.status().code();
  return MakeThumbnail(bytes, *probe).status().code();
}

}  // namespace nb::samples
