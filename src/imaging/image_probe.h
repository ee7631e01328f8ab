// What an image's bytes say it is, decided by magic bytes and header fields only — never by a file
// name or a declared type. Cheap: no pixel is decoded.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "ports/status.h"

namespace nb {

enum class ImageFormat { kPng, kJpeg, kWebp, kGif };

const char* FormatName(ImageFormat format);  // "png", "jpeg", "webp", "gif"
const char* MimeType(ImageFormat format);    // "image/png", ...

struct ImageProbe {
  ImageFormat format = ImageFormat::kPng;
  uint32_t width = 0;
  uint32_t height = 0;
};

// Refuse before decoding anything larger (a 100000x100000 PNG header is 40 bytes).
inline constexpr uint64_t kMaxImagePixels = 40'000'000;

// UnsupportedFormat-style errors are InvalidArgument with a stable message: "not an image",
// "truncated header", "zero dimension", "too many pixels".
Result<ImageProbe> ProbeImage(std::string_view bytes);

}  // namespace nb
