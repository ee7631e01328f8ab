// The thumbnail engine: decode (libjpeg-turbo, libspng over zlib, libwebp, stb_image for GIF's first
// frame) straight into the streaming area resize so the longest side is at most kThumbnailMaxSide,
// turn it upright (EXIF orientation), encode JPEG. Working memory is what PlanThumbnail says, enforced
// by the decode budget. Natively this runs in-process (bindings/native/local_thumbnailer.cpp); in the
// Worker it runs inside a throwaway codec instance (bindings/codec/codec_exports.cpp).
#pragma once

#include <cstdint>
#include <string_view>

#include "imaging/image_probe.h"
#include "imaging/thumbnail_plan.h"
#include "ports/status.h"
#include "ports/thumbnailer.h"

namespace nb {

struct ThumbnailLimits {
  // At most this much working memory (a smaller ceiling for tests and the fuzzer); the plan's own
  // working_bytes applies in any case.
  uint64_t max_working_bytes = kMaxThumbnailWorkingBytes;
};

// What the last MakeThumbnail call measured (tests, the codec module's result record).
struct ThumbnailStats {
  uint64_t planned_bytes = 0;  // the plan's working_bytes (0 when planning failed)
  uint64_t peak_bytes = 0;     // most bytes the decode budget saw live at once
  uint32_t jpeg_dc_stores = 0;
};
ThumbnailStats LastThumbnailStats();

// Only for input ProbeImage accepted; re-probes and refuses a mismatching probe. Errors:
// InvalidArgument when the data is damaged (corrupt, cut short, inflating past its declared size);
// FailedPrecondition when it cannot be done within the limits (or uses a feature we do not decode).
// Either way the image may still be kept without a thumbnail.
Result<Thumbnail> MakeThumbnail(std::string_view bytes, const ImageProbe& probe,
                                const ThumbnailLimits& limits = {});

}  // namespace nb
