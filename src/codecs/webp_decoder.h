// WebP through libwebp's decoder (lossy, lossless, alpha, VP8X), scaled while decoding straight to
// the thumbnail's size (libwebp's rescaler averages over each output pixel's area), so its output is
// O(thumbnail). Lossy decoding keeps a few macroblock rows; lossless needs the whole ARGB image (4
// bytes a pixel: backward references reach anywhere above), which the plan admits up to its cap.
#pragma once

#include <cstdint>
#include <string_view>

#include "imaging/thumbnail_plan.h"
#include "ports/status.h"

namespace nb {

// Writes plan.thumb_width x plan.thumb_height RGB (alpha flattened onto white) into `thumb`.
// InvalidArgument when the data is damaged or cut short (including a RIFF size that lies);
// FailedPrecondition when the decode budget runs out or the file uses a feature we do not decode.
Status DecodeWebp(std::string_view bytes, const ThumbnailPlan& plan, uint8_t* thumb);

}  // namespace nb
