// The JPEG facts the thumbnail plan needs, read by walking the marker segments (and skipping over
// entropy-coded data to count the scans) without decoding anything.
#pragma once

#include <cstdint>
#include <string_view>

#include "ports/status.h"

namespace nb {

struct JpegHeaders {
  bool progressive = false;  // SOF2 (or SOF6, SOF10, SOF14)
  bool arithmetic = false;   // SOF9-SOF15
  bool lossless = false;     // SOF3, SOF7, SOF11, SOF15
  uint32_t precision = 8;
  uint32_t components = 0;
  uint8_t h_samp[4] = {1, 1, 1, 1}, v_samp[4] = {1, 1, 1, 1};
  uint32_t first_scan_components = 0;
  uint32_t scans = 0;        // SOS markers in the file
  bool adobe = false;        // an Adobe APP14 segment (CMYK stored inverted)
  uint32_t orientation = 1;  // EXIF orientation 1-8 (1 when absent or out of range)
};

// InvalidArgument when there is no frame header, sampling factors are out of range, or the file
// ends before its first scan.
Result<JpegHeaders> ReadJpegHeaders(std::string_view bytes);

// The orientation tag (0x0112) of an APP1 "Exif" payload (starting at "Exif\0\0"); 1 when absent.
uint32_t ExifOrientation(std::string_view app1);

}  // namespace nb
