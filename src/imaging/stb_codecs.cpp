#include "imaging/stb_codecs.h"

#include <climits>

#define STB_IMAGE_IMPLEMENTATION
#define STB_IMAGE_WRITE_IMPLEMENTATION
#include "imaging/stb_config.h"

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

void StbPixelsDeleter::operator()(uint8_t* pixels) const { stbi_image_free(pixels); }

Result<DecodedPixels> DecodePixels(std::string_view bytes, uint32_t channels, size_t budget_bytes,
                                   size_t max_block_bytes) {
  if (bytes.size() > INT_MAX) return Status::InvalidArgument("image too large");
  if (channels < 3 || channels > 4) return Status::Internal("DecodePixels wants 3 or 4 channels");
  int width = 0, height = 0, components = 0;
  DecodedPixels out;
  const DecodeBudgetStats before = GetDecodeBudgetStats();
  {
    DecodeBudget budget(budget_bytes, max_block_bytes);
    out.pixels.reset(stbi_load_from_memory(reinterpret_cast<const stbi_uc*>(bytes.data()),
                                           static_cast<int>(bytes.size()), &width, &height, &components,
                                           static_cast<int>(channels)));
  }
  if (!out.pixels) {
    // The budget's own counters say whether it refused something; stb_image's failure string is not
    // always set on that path.
    const DecodeBudgetStats after = GetDecodeBudgetStats();
    if (after.refused_blocks > before.refused_blocks) {
      return Status::InvalidArgument("image data inflates past its declared size");
    }
    if (after.refused_allocations > before.refused_allocations) {
      return Status::OutOfRange("decoder memory budget exceeded");
    }
    const char* reason = stbi_failure_reason();
    return Status::InvalidArgument(std::string("cannot decode image: ") +
                                   (reason ? reason : "unknown error"));
  }
  out.width = static_cast<uint32_t>(width);
  out.height = static_cast<uint32_t>(height);
  out.channels = channels;
  return out;
}

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
