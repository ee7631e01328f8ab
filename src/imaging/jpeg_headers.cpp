#include "imaging/jpeg_headers.h"

#include <cstddef>
#include <cstring>

namespace nb {
namespace {

uint32_t U8(std::string_view b, size_t i) { return static_cast<uint8_t>(b[i]); }
uint32_t Be16(std::string_view b, size_t i) { return U8(b, i) << 8 | U8(b, i + 1); }

bool IsStartOfFrame(uint32_t marker) {
  return marker >= 0xC0 && marker <= 0xCF && marker != 0xC4 && marker != 0xC8 && marker != 0xCC;
}

// Entropy-coded data runs until an FF that is neither a stuffed zero, a restart marker nor fill.
size_t SkipEntropyData(std::string_view b, size_t pos) {
  while (pos < b.size()) {
    const void* ff = std::memchr(b.data() + pos, 0xFF, b.size() - pos);
    if (ff == nullptr) return b.size();
    pos = static_cast<size_t>(static_cast<const char*>(ff) - b.data());
    if (pos + 1 >= b.size()) return b.size();
    const uint32_t next = U8(b, pos + 1);
    if (next == 0x00 || (next >= 0xD0 && next <= 0xD7) || next == 0xFF) {
      pos += next == 0xFF ? 1 : 2;
      continue;
    }
    return pos;
  }
  return pos;
}

}  // namespace

uint32_t ExifOrientation(std::string_view app1) {
  if (app1.size() < 14 || app1.substr(0, 6) != std::string_view("Exif\0\0", 6)) return 1;
  const std::string_view tiff = app1.substr(6);
  const bool little = tiff.substr(0, 2) == "II";
  if (!little && tiff.substr(0, 2) != "MM") return 1;
  const auto u16 = [&](size_t i) -> uint32_t {
    return little ? (U8(tiff, i) | U8(tiff, i + 1) << 8) : Be16(tiff, i);
  };
  const auto u32 = [&](size_t i) -> uint32_t {
    return little ? (u16(i) | u16(i + 2) << 16) : (u16(i) << 16 | u16(i + 2));
  };
  if (u16(2) != 42) return 1;
  const size_t ifd = u32(4);
  if (ifd > tiff.size() || tiff.size() - ifd < 2) return 1;
  const uint32_t entries = u16(ifd);
  for (uint32_t e = 0; e < entries; ++e) {
    const size_t at = ifd + 2 + size_t{e} * 12;
    if (at > tiff.size() || tiff.size() - at < 12) return 1;
    if (u16(at) == 0x0112 && u16(at + 2) == 3 /* SHORT */) {
      const uint32_t value = u16(at + 8);
      return value >= 1 && value <= 8 ? value : 1;
    }
  }
  return 1;
}

Result<JpegHeaders> ReadJpegHeaders(std::string_view b) {
  JpegHeaders h;
  bool have_frame = false;
  size_t pos = 2;  // after SOI
  while (pos + 4 <= b.size()) {
    if (U8(b, pos) != 0xFF) {
      // Garbage between segments: libjpeg skips to the next marker (with a warning).
      const void* ff = std::memchr(b.data() + pos, 0xFF, b.size() - pos);
      if (ff == nullptr) break;
      pos = static_cast<size_t>(static_cast<const char*>(ff) - b.data());
      continue;
    }
    const uint32_t marker = U8(b, pos + 1);
    if (marker == 0xFF) {
      ++pos;
      continue;
    }
    pos += 2;
    if (marker == 0xD9) break;                                           // EOI
    if (marker == 0x01 || (marker >= 0xD0 && marker <= 0xD8)) continue;  // no length field
    if (pos + 2 > b.size()) break;
    const uint32_t length = Be16(b, pos);
    if (length < 2 || length > b.size() - pos) break;  // cut short: libjpeg decides what that means
    const std::string_view segment = b.substr(pos + 2, length - 2);
    if (IsStartOfFrame(marker) && !have_frame) {
      if (segment.size() < 6) return Status::InvalidArgument("corrupt JPEG frame header");
      have_frame = true;
      h.progressive = marker == 0xC2 || marker == 0xC6 || marker == 0xCA || marker == 0xCE;
      h.arithmetic = marker >= 0xC9;
      h.lossless = marker == 0xC3 || marker == 0xC7 || marker == 0xCB || marker == 0xCF;
      h.precision = U8(segment, 0);
      h.components = U8(segment, 5);
      if (h.components == 0 || h.components > 4 || segment.size() < 6 + 3 * size_t{h.components}) {
        return Status::InvalidArgument("unsupported JPEG component count");
      }
      for (uint32_t c = 0; c < h.components; ++c) {
        const uint32_t sampling = U8(segment, 6 + 3 * c + 1);
        h.h_samp[c] = static_cast<uint8_t>(sampling >> 4);
        h.v_samp[c] = static_cast<uint8_t>(sampling & 15);
        if (h.h_samp[c] < 1 || h.h_samp[c] > 4 || h.v_samp[c] < 1 || h.v_samp[c] > 4) {
          return Status::InvalidArgument("corrupt JPEG sampling factors");
        }
      }
    } else if (marker == 0xE1 && h.orientation == 1) {
      h.orientation = ExifOrientation(segment);
    } else if (marker == 0xEE && segment.size() >= 5 && segment.substr(0, 5) == "Adobe") {
      h.adobe = true;
    } else if (marker == 0xDA) {
      if (!have_frame) return Status::InvalidArgument("JPEG scan before its frame header");
      if (h.scans == 0 && !segment.empty()) h.first_scan_components = U8(segment, 0);
      ++h.scans;
      pos = SkipEntropyData(b, pos + length);
      continue;
    }
    pos += length;
  }
  if (!have_frame) return Status::InvalidArgument("JPEG has no frame header");
  if (h.scans == 0) return Status::InvalidArgument("JPEG has no image data");
  return h;
}

}  // namespace nb
