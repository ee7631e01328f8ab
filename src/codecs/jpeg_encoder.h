// Thumbnails encoded by libjpeg-turbo's compressor: baseline 4:2:0 with optimised Huffman tables
// (about 6.5% smaller than stb_image_write's at the same quality; src/codecs/README.md), its memory
// and its output on the decode budget.
#pragma once

#include <cstdint>
#include <string>

#include "ports/status.h"

namespace nb {

// Packed RGB in, JPEG out. In wasm a libjpeg error traps (see fatal_error.h); none is expected for
// valid sizes.
Result<std::string> EncodeThumbnailJpeg(const uint8_t* rgb, uint32_t width, uint32_t height, int quality);

}  // namespace nb
