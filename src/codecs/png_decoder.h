// PNG through libspng's progressive API over zlib: every colour type, bit depth (1-16), palette and
// tRNS, to 8-bit RGB (transparency flattened onto white) one row at a time. Interlaced (Adam7)
// images arrive pass by pass, not in row order, so they skip the streaming resize: each pixel is
// added, with its area weights, straight into output-sized accumulators (area weights are linear,
// so the order does not matter), O(thumbnail) memory.
#pragma once

#include <cstdint>
#include <string_view>

#include "codecs/row_sink.h"
#include "imaging/thumbnail_plan.h"
#include "ports/status.h"

namespace nb {

// Non-interlaced: plan.height rows of plan.width RGB pixels to `rows`. Interlaced: the thumbnail
// (plan.thumb_width x plan.thumb_height RGB) straight into `thumb`, `rows` unused.
// InvalidArgument when the data is damaged: cut short, bad CRC, corrupt deflate data, or compressed
// data running on past what the header's size needs (a zlib bomb). FailedPrecondition when the
// decode budget runs out.
Status DecodePng(std::string_view bytes, const ThumbnailPlan& plan, RowSink& rows, uint8_t* thumb);

}  // namespace nb
