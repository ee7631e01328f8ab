// How a thumbnail will be made, and how much memory it may take, decided from an image's headers
// alone (no codec library: this compiles into the app module too). The app plans before asking for
// a thumbnail and passes working_bytes to the JS shim, which reserves that much of the isolate's
// memory budget and gives the throwaway codec instance exactly that much memory; the engine
// (src/codecs/thumbnail.cpp) makes the same plan again and enforces working_bytes with its counting
// allocator, so a plan that is too small is a clean FailedPrecondition, never an overrun.
#pragma once

#include <cstdint>
#include <string_view>

#include "imaging/image_probe.h"
#include "ports/status.h"

namespace nb {

inline constexpr uint32_t kThumbnailMaxSide = 384;

// The most working memory any thumbnail may plan. Baseline JPEG, PNG (interlaced or not) and lossy
// WebP plan well under 16 MB at every size up to kMaxImagePixels; what can need more is a progressive
// JPEG decoded above 1/8 scale (its coefficients kept in memory), lossless or alpha WebP (libwebp
// keeps the whole ARGB / alpha plane), and GIF (stb_image keeps ~9 bytes a pixel).
inline constexpr uint64_t kMaxThumbnailWorkingBytes = 32ull << 20;
// A multi-scan JPEG keeps every coefficient (128 bytes per 8x8 block) until its last scan; above 1/8
// scale that is admitted up to this much (about 5.3 MP at 4:2:0), beyond it the decode drops to 1/8
// and its lossy DC store, and the thumbnail's longest side is then ceil(longest / 8) when that is
// under 384 (see src/codecs/README.md).
inline constexpr uint64_t kMaxJpegCoefficientBytes = 16ull << 20;
// A progressive JPEG with more scans than this is refused as damaged (real encoders write ~10).
inline constexpr uint32_t kMaxJpegScans = 1000;

// The thumbnail's size for a source size: longest side min(kThumbnailMaxSide, original), aspect kept,
// never 0.
void ThumbnailSize(uint32_t width, uint32_t height, uint32_t& out_width, uint32_t& out_height);

struct JpegComponentPlan {
  uint8_t h_samp = 1, v_samp = 1;
  uint8_t dct_scaled_size = 8;  // libjpeg's IDCT size for this component at the chosen scale
  uint64_t blocks = 0;          // 8x8 blocks libjpeg's coefficient array holds for it (padded)
};

struct JpegPlan {
  bool progressive = false;
  bool multi_scan = false;   // progressive, or a sequential file whose first scan lacks components
  bool dc_store = false;     // coefficients kept in the lossy DC backing store (1/8 scale only)
  uint32_t scale_denom = 1;  // 1, 2, 4 or 8
  uint32_t scans = 0;
  uint32_t components = 0;
  bool adobe_transform_seen = false;
  JpegComponentPlan component[4];
  uint64_t coefficient_bytes = 0;  // what the coefficient arrays take (in memory or in the DC store)
};

struct ThumbnailPlan {
  ImageFormat format = ImageFormat::kPng;
  uint32_t width = 0, height = 0;                // the stored picture
  uint32_t decode_width = 0, decode_height = 0;  // what the decoder hands the resize
  uint32_t thumb_width = 0, thumb_height = 0;    // the thumbnail before EXIF orientation
  uint32_t orientation = 1;                      // EXIF 1-8; 5-8 swap width and height
  bool may_have_alpha = false;
  uint64_t working_bytes = 0;  // upper bound of the heap beyond the input bytes, slack included

  JpegPlan jpeg;
  // PNG
  bool png_interlaced = false;
  uint8_t png_colour_type = 0, png_depth = 0;
  // WebP
  bool webp_lossless = false;
  bool webp_animated = false;
};

// The final thumbnail's size (orientation applied).
inline uint32_t OrientedWidth(const ThumbnailPlan& plan) {
  return plan.orientation >= 5 ? plan.thumb_height : plan.thumb_width;
}
inline uint32_t OrientedHeight(const ThumbnailPlan& plan) {
  return plan.orientation >= 5 ? plan.thumb_width : plan.thumb_height;
}

// Errors: InvalidArgument when the probe does not match the bytes or the headers are damaged (a JPEG
// with more than kMaxJpegScans scans, a lying chunk length); FailedPrecondition when no thumbnail can
// be made within kMaxThumbnailWorkingBytes (or a coding we do not decode: arithmetic or lossless
// JPEG, animated WebP... see the message).
Result<ThumbnailPlan> PlanThumbnail(std::string_view bytes, const ImageProbe& probe);

}  // namespace nb
