// stb_image for the tests only (implementation in imaging_stb_impl.cpp): decoding thumbnails and
// placeholders back to pixels to look at them, and stb's zlib for checking the sample bomb stream.
// The engine itself decodes with libjpeg-turbo/libspng/libwebp (src/codecs); its stb GIF decoder is
// private to gif_decoder.cpp.
#pragma once

#include <cstdint>
#include <cstdlib>
#include <memory>
#include <string_view>

#define STBI_NO_STDIO
#define STBI_NO_LINEAR
#define STBI_NO_HDR
#include <stb/stb_image.h>

namespace nb::samples {

struct StbFree {
  void operator()(uint8_t* p) const { stbi_image_free(p); }
};

struct DecodedPixels {
  std::unique_ptr<uint8_t[], StbFree> pixels;
  uint32_t width = 0;
  uint32_t height = 0;
};

// channels 3 or 4; pixels is null when stb cannot decode the bytes.
inline DecodedPixels StbDecode(std::string_view bytes, int channels) {
  int w = 0, h = 0, n = 0;
  DecodedPixels out;
  out.pixels.reset(stbi_load_from_memory(reinterpret_cast<const stbi_uc*>(bytes.data()),
                                         static_cast<int>(bytes.size()), &w, &h, &n, channels));
  out.width = static_cast<uint32_t>(w);
  out.height = static_cast<uint32_t>(h);
  return out;
}

}  // namespace nb::samples
