// JPEG through libjpeg-turbo's decompressor: DCT-domain scaled (plan.jpeg.scale_denom), rows straight
// into a sink, multi-scan files' coefficients in memory or in the lossy DC store (jpeg_memory.cpp),
// CMYK/YCCK (Adobe-inverted or not) and grayscale converted to RGB.
#pragma once

#include <string_view>

#include "codecs/row_sink.h"
#include "imaging/thumbnail_plan.h"
#include "ports/status.h"

namespace nb {

struct JpegDecodeStats {
  uint32_t stores_opened = 0;  // DC stores libjpeg opened (the DC path really ran)
  uint32_t scans = 0;          // scans libjpeg read
};

// Hands the sink plan.decode_height rows of plan.decode_width RGB pixels. InvalidArgument when the
// data is damaged (libjpeg's errors, and its corrupt-data warnings: cut short, bad Huffman codes,
// a broken progression); FailedPrecondition when the decode budget runs out. In wasm a libjpeg
// error does not return: see fatal_error.h.
Status DecodeJpegRows(std::string_view bytes, const ThumbnailPlan& plan, RowSink& sink,
                      JpegDecodeStats* stats = nullptr);

}  // namespace nb
