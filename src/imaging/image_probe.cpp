#include "imaging/image_probe.h"

#include <cstddef>

namespace nb {
namespace {

// Stops a crafted JPEG or GIF from making the walk to the frame header long: real files reach it
// within a few dozen segments (APPn, DQT, DHT, comments / extensions).
constexpr int kMaxSegments = 1024;

constexpr std::string_view kPngSignature("\x89PNG\r\n\x1a\n", 8);
constexpr std::string_view kJpegSignature("\xff\xd8\xff", 3);
constexpr std::string_view kGif87Signature("GIF87a", 6);
constexpr std::string_view kGif89Signature("GIF89a", 6);
constexpr std::string_view kRiffSignature("RIFF", 4);

Status NotAnImage() { return Status::InvalidArgument("not an image"); }
Status Truncated() { return Status::InvalidArgument("truncated header"); }

class Bytes {
 public:
  explicit Bytes(std::string_view s) : s_(s) {}
  size_t size() const { return s_.size(); }
  bool Has(size_t offset, size_t n) const { return offset <= s_.size() && n <= s_.size() - offset; }
  uint32_t U8(size_t i) const { return static_cast<uint8_t>(s_[i]); }
  uint32_t Be16(size_t i) const { return U8(i) << 8 | U8(i + 1); }
  uint32_t Be32(size_t i) const { return Be16(i) << 16 | Be16(i + 2); }
  uint32_t Le16(size_t i) const { return U8(i) | U8(i + 1) << 8; }
  uint32_t Le24(size_t i) const { return Le16(i) | U8(i + 2) << 16; }
  uint32_t Le32(size_t i) const { return Le24(i) | U8(i + 3) << 24; }
  bool Is(size_t i, std::string_view tag) const {
    return Has(i, tag.size()) && s_.substr(i, tag.size()) == tag;
  }

 private:
  std::string_view s_;
};

Result<ImageProbe> Sized(ImageFormat format, uint64_t width, uint64_t height) {
  if (width == 0 || height == 0) return Status::InvalidArgument("zero dimension");
  if (width * height > kMaxImagePixels) return Status::InvalidArgument("too many pixels");
  return ImageProbe{format, static_cast<uint32_t>(width), static_cast<uint32_t>(height)};
}

bool ValidPngDepth(uint32_t color_type, uint32_t depth) {
  switch (color_type) {
    case 0: return depth == 1 || depth == 2 || depth == 4 || depth == 8 || depth == 16;
    case 3: return depth == 1 || depth == 2 || depth == 4 || depth == 8;
    case 2:
    case 4:
    case 6: return depth == 8 || depth == 16;
    default: return false;
  }
}

// Signature, then IHDR as the first chunk (length 13): width, height, depth, colour type,
// compression, filter, interlace, CRC.
Result<ImageProbe> ProbePng(const Bytes& b) {
  if (!b.Has(0, 33)) return Truncated();
  if (b.Be32(8) != 13 || !b.Is(12, "IHDR")) return NotAnImage();
  if (!ValidPngDepth(b.U8(25), b.U8(24)) || b.U8(26) != 0 || b.U8(27) != 0 || b.U8(28) > 1) {
    return NotAnImage();
  }
  return Sized(ImageFormat::kPng, b.Be32(16), b.Be32(20));
}

bool IsStartOfFrame(uint32_t marker) {
  // SOF0..SOF15 share C0..CF with DHT (C4), JPG (C8) and DAC (CC).
  return marker >= 0xC0 && marker <= 0xCF && marker != 0xC4 && marker != 0xC8 && marker != 0xCC;
}

// Marker segments from SOI to the first frame header: FF, optional FF fill, marker, 16-bit length
// that counts itself. SOF: precision, height, width, component count.
Result<ImageProbe> ProbeJpeg(const Bytes& b) {
  size_t pos = 2;
  for (int segment = 0; segment < kMaxSegments; ++segment) {
    if (!b.Has(pos, 2)) return Truncated();
    if (b.U8(pos) != 0xFF) return NotAnImage();
    while (b.Has(pos, 2) && b.U8(pos + 1) == 0xFF) ++pos;
    if (!b.Has(pos, 2)) return Truncated();
    const uint32_t marker = b.U8(pos + 1);
    pos += 2;
    if (marker == 0x01 || (marker >= 0xD0 && marker <= 0xD7)) continue;  // no length field
    // A second SOI, image data or the end before any frame header, or a stuffed zero: not a JPEG.
    if (marker == 0x00 || marker == 0xD8 || marker == 0xD9 || marker == 0xDA) return NotAnImage();
    if (!b.Has(pos, 2)) return Truncated();
    const uint32_t length = b.Be16(pos);
    if (length < 2) return NotAnImage();
    if (IsStartOfFrame(marker)) {
      if (length < 8) return NotAnImage();
      if (!b.Has(pos, 8)) return Truncated();
      if (b.U8(pos + 7) == 0) return NotAnImage();
      return Sized(ImageFormat::kJpeg, b.Be16(pos + 5), b.Be16(pos + 3));
    }
    pos += length;
  }
  return NotAnImage();
}

// RIFF container, "WEBP", then the first chunk: VP8 (lossy key frame), VP8L (lossless) or VP8X
// (extended: canvas size).
Result<ImageProbe> ProbeWebp(const Bytes& b) {
  if (!b.Has(0, 12)) return Truncated();
  if (!b.Is(8, "WEBP")) return NotAnImage();
  if (!b.Has(12, 8)) return Truncated();
  constexpr size_t kPayload = 20;
  if (b.Is(12, "VP8 ")) {
    if (!b.Has(kPayload, 10)) return Truncated();
    // Frame tag (bit 0 clear on a key frame), start code 9D 01 2A, 14-bit width and height.
    if ((b.U8(kPayload) & 1) != 0 || b.U8(23) != 0x9D || b.U8(24) != 0x01 || b.U8(25) != 0x2A) {
      return NotAnImage();
    }
    return Sized(ImageFormat::kWebp, b.Le16(26) & 0x3FFF, b.Le16(28) & 0x3FFF);
  }
  if (b.Is(12, "VP8L")) {
    if (!b.Has(kPayload, 5)) return Truncated();
    // Signature 0x2F, then width-1 and height-1 in 14 bits each, alpha hint, 3-bit version 0.
    const uint32_t bits = b.Le32(kPayload + 1);
    if (b.U8(kPayload) != 0x2F || (bits >> 29) != 0) return NotAnImage();
    return Sized(ImageFormat::kWebp, (bits & 0x3FFF) + 1, ((bits >> 14) & 0x3FFF) + 1);
  }
  if (b.Is(12, "VP8X")) {
    if (!b.Has(kPayload, 10)) return Truncated();
    // Flags and reserved bytes, then canvas width-1 and height-1 in 24 bits each.
    return Sized(ImageFormat::kWebp, uint64_t{b.Le24(kPayload + 4)} + 1, uint64_t{b.Le24(kPayload + 7)} + 1);
  }
  return NotAnImage();
}

// Header, logical screen descriptor (width, height, flags, background, aspect). A zero screen size
// defers to the first image descriptor, reached past the colour table and any extension blocks.
Result<ImageProbe> ProbeGif(const Bytes& b) {
  if (!b.Has(0, 13)) return Truncated();
  if (b.Le16(6) != 0 && b.Le16(8) != 0) return Sized(ImageFormat::kGif, b.Le16(6), b.Le16(8));
  const uint32_t flags = b.U8(10);
  size_t pos = 13 + ((flags & 0x80) ? size_t{3} << ((flags & 7) + 1) : 0);
  for (int block = 0; block < kMaxSegments; ++block) {
    if (!b.Has(pos, 1)) return Truncated();
    const uint32_t introducer = b.U8(pos);
    if (introducer == 0x2C) {  // image descriptor: left, top, width, height, flags
      if (!b.Has(pos, 10)) return Truncated();
      return Sized(ImageFormat::kGif, b.Le16(pos + 5), b.Le16(pos + 7));
    }
    if (introducer != 0x21) return NotAnImage();  // trailer or garbage before any frame
    pos += 2;  // introducer, label; then data sub-blocks up to a zero-length one
    for (;; ++block) {
      if (block >= kMaxSegments) return NotAnImage();
      if (!b.Has(pos, 1)) return Truncated();
      const size_t length = b.U8(pos);
      pos += 1 + length;
      if (length == 0) break;
    }
  }
  return NotAnImage();
}

// A non-empty prefix of a signature is a file cut short, not a different kind of file.
bool IsCutSignature(std::string_view bytes, std::string_view signature) {
  return !bytes.empty() && bytes.size() < signature.size() && signature.substr(0, bytes.size()) == bytes;
}

}  // namespace

const char* FormatName(ImageFormat format) {
  switch (format) {
    case ImageFormat::kPng: return "png";
    case ImageFormat::kJpeg: return "jpeg";
    case ImageFormat::kWebp: return "webp";
    case ImageFormat::kGif: return "gif";
  }
  return "unknown";
}

const char* MimeType(ImageFormat format) {
  switch (format) {
    case ImageFormat::kPng: return "image/png";
    case ImageFormat::kJpeg: return "image/jpeg";
    case ImageFormat::kWebp: return "image/webp";
    case ImageFormat::kGif: return "image/gif";
  }
  return "application/octet-stream";
}

Result<ImageProbe> ProbeImage(std::string_view bytes) {
  const Bytes b(bytes);
  if (bytes.substr(0, kPngSignature.size()) == kPngSignature) return ProbePng(b);
  if (bytes.substr(0, kJpegSignature.size()) == kJpegSignature) return ProbeJpeg(b);
  if (bytes.substr(0, kRiffSignature.size()) == kRiffSignature) return ProbeWebp(b);
  if (bytes.substr(0, 6) == kGif87Signature || bytes.substr(0, 6) == kGif89Signature) return ProbeGif(b);
  for (std::string_view signature :
       {kPngSignature, kJpegSignature, kRiffSignature, kGif87Signature, kGif89Signature}) {
    if (IsCutSignature(bytes, signature)) return Truncated();
  }
  return NotAnImage();
}

}  // namespace nb
