// The first frame of a GIF through stb_image. Kept on stb because GIF is rare among uploads, its
// first frame is all we show, and stb's decoder is small (a few KB of wasm) where giflib would add a
// library for one format; its cost is memory (~9 bytes a pixel: the frame as RGBA, a background copy
// and a history plane), which the plan counts and caps.
#pragma once

#include <string_view>

#include "codecs/row_sink.h"
#include "imaging/thumbnail_plan.h"
#include "ports/status.h"

namespace nb {

// plan.height rows of plan.width RGB pixels (transparency flattened onto white) to `rows`.
Status DecodeGif(std::string_view bytes, const ThumbnailPlan& plan, RowSink& rows);

}  // namespace nb
