#include "imaging/stb_codecs.h"

#include <climits>

#define STB_IMAGE_WRITE_IMPLEMENTATION
#define STB_IMAGE_WRITE_STATIC
#define STBI_WRITE_NO_STDIO
#include <stb/stb_image_write.h>

namespace nb {
namespace {

void AppendToString(void* context, void* data, int size) {
  static_cast<std::string*>(context)->append(static_cast<const char*>(data), static_cast<size_t>(size));
}

bool FitsStb(uint32_t width, uint32_t height, uint32_t channels) {
  return width > 0 && height > 0 && channels >= 1 && channels <= 4 &&
         static_cast<uint64_t>(width) * height * channels <= INT_MAX;
}

}  // namespace

Result<std::string> EncodeJpeg(const uint8_t* pixels, uint32_t width, uint32_t height, uint32_t channels,
                               int quality) {
  if (!FitsStb(width, height, channels)) return Status::InvalidArgument("bad JPEG encoder input");
  std::string out;
  if (!stbi_write_jpg_to_func(AppendToString, &out, static_cast<int>(width), static_cast<int>(height),
                              static_cast<int>(channels), pixels, quality)) {
    return Status::Internal("JPEG encoder failed");
  }
  return out;
}

Result<std::string> EncodePng(const uint8_t* pixels, uint32_t width, uint32_t height, uint32_t channels,
                              const PngOptions& options) {
  if (!FitsStb(width, height, channels)) return Status::InvalidArgument("bad PNG encoder input");
  // stb_image_write takes these as globals; set for every call (the module is single-threaded).
  stbi_write_png_compression_level = options.compression_level;
  stbi_write_force_png_filter = options.filter;
  std::string out;
  if (!stbi_write_png_to_func(AppendToString, &out, static_cast<int>(width), static_cast<int>(height),
                              static_cast<int>(channels), pixels, static_cast<int>(width * channels))) {
    return Status::Internal("PNG encoder failed");
  }
  return out;
}

}  // namespace nb
