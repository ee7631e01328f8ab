// Thumbnails made by our own C++: decode (PNG, JPEG, GIF first frame), resize with an area filter
// so the longest side is at most kThumbnailMaxSide, encode JPEG. Used for uploads and generated images.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "imaging/image_probe.h"
#include "ports/status.h"

namespace nb {

inline constexpr uint32_t kThumbnailMaxSide = 384;

// The most the decoder may hold at once. A Worker isolate has 128 MB in all, wasm memory never shrinks
// and the instance pool drops instances grown past 64 MB, so this admits a 12-megapixel photo as a
// baseline 4:2:0 JPEG (52 MB measured) but not as a progressive one (about 88 MB: stb_image keeps
// every coefficient); those, and anything larger, are stored without a thumbnail.
inline constexpr uint64_t kMaxThumbnailDecodeBytes = 64ull << 20;

struct ThumbnailLimits {
  uint64_t max_decode_bytes = kMaxThumbnailDecodeBytes;
};

struct Thumbnail {
  std::string bytes;         // encoded image
  std::string content_type;  // "image/jpeg"
  uint32_t width = 0;
  uint32_t height = 0;
};

// Only for input ProbeImage accepted. Errors: kInvalidArgument when the data is damaged (corrupt,
// cut short, or inflating past its declared size); kFailedPrecondition when it cannot be done here —
// WebP (no decoder available) or a picture too large for the decode ceiling. Either way the image
// may still be kept without a thumbnail.
Result<Thumbnail> MakeThumbnail(std::string_view bytes, const ImageProbe& probe);
// The same with a smaller decode ceiling (tests, the fuzzer).
Result<Thumbnail> MakeThumbnail(std::string_view bytes, const ImageProbe& probe,
                                const ThumbnailLimits& limits);

// The thumbnail's size for a source size: longest side min(kThumbnailMaxSide, original), aspect kept,
// never 0.
void ThumbnailSize(uint32_t width, uint32_t height, uint32_t& out_width, uint32_t& out_height);

}  // namespace nb
