// Thin, Status-returning wrappers around stb_image (decode) and stb_image_write (encode), so no other
// file sees stb's macros or its C conventions.
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

#include "ports/status.h"

namespace nb {

struct StbPixelsDeleter {
  void operator()(uint8_t* pixels) const;
};
using PixelBuffer = std::unique_ptr<uint8_t[], StbPixelsDeleter>;

// Interleaved 8-bit pixels, rows packed (stride = width * channels).
struct DecodedPixels {
  PixelBuffer pixels;
  uint32_t width = 0;
  uint32_t height = 0;
  uint32_t channels = 0;
};

// Decodes PNG, JPEG or the first GIF frame into `channels` (3 or 4) per pixel; everything the decoder
// allocates counts against budget_bytes, and no single allocation may exceed max_block_bytes.
// OutOfRange when the budget runs out; InvalidArgument when a block over max_block_bytes was wanted
// (the data inflates past what its header declares) or, with stb's reason, when the data is corrupt.
Result<DecodedPixels> DecodePixels(std::string_view bytes, uint32_t channels, size_t budget_bytes,
                                   size_t max_block_bytes = SIZE_MAX);

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
