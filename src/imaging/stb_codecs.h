// Thin, Status-returning wrappers around stb_image_write, so no other file sees stb's macros or its C
// conventions: the PNG encoder of the offline placeholder generator and the JPEG encoder of the
// thumbnails. (Decoding lives in src/codecs, which the app module does not link.)
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>

#include "ports/status.h"

namespace nb {

// Baseline JPEG (4:2:0 below quality 91), channels 1-4 (alpha ignored).
Result<std::string> EncodeJpeg(const uint8_t* pixels, uint32_t width, uint32_t height, uint32_t channels,
                               int quality);

struct PngOptions {
  int compression_level = 8;  // stb's zlib effort, 5 (fastest) and up
  int filter = -1;            // PNG row filter 0-4, or -1 to try all five on every row
};

// PNG, channels 1-4, rows packed.
Result<std::string> EncodePng(const uint8_t* pixels, uint32_t width, uint32_t height, uint32_t channels,
                              const PngOptions& options = {});

}  // namespace nb
