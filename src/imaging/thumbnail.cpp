#include "imaging/thumbnail.h"

#include <algorithm>
#include <cstdint>
#include <memory>
#include <utility>

#include "imaging/area_resize.h"
#include "imaging/composite_over_white.h"
#include "imaging/stb_codecs.h"
#include "imaging/stb_guards.h"

namespace nb {
namespace {

constexpr int kJpegQuality = 82;

// What the decoder may need beyond the pixels themselves for an honest file: PNG keeps the compressed
// stream, the inflated rows (up to 8 bytes a pixel at 16 bits RGBA) and the output; progressive JPEG
// keeps 16-bit coefficients for every component next to the component planes and the output. A file
// that needs more than this for its declared size is a bomb, whatever the overall cap allows.
size_t BombBound(std::string_view bytes, uint64_t pixels) {
  constexpr uint64_t kBytesPerPixel = 40;
  constexpr uint64_t kSlack = 1 << 20;
  return static_cast<size_t>(
      std::min<uint64_t>(pixels * kBytesPerPixel + 2 * uint64_t{bytes.size()} + kSlack, SIZE_MAX));
}

// The largest single block stb_image allocates for an honest PNG: the concatenated IDAT data (grown
// by doubling, so up to twice the file), the inflate buffer (sized exactly from the header; it only
// grows when the stream inflates past that), and the output image. Inflating past the header's size
// needs a block beyond this bound, so the bomb is caught at its first doubling.
size_t PngMaxBlock(std::string_view bytes, uint32_t width, uint32_t height) {
  const auto byte = [&](size_t i) { return static_cast<uint64_t>(static_cast<uint8_t>(bytes[i])); };
  const uint64_t depth = byte(24);  // ProbeImage saw the whole IHDR
  const uint64_t colour_type = byte(25);
  const uint64_t samples = colour_type == 2 ? 3 : colour_type == 4 ? 2 : colour_type == 6 ? 4 : 1;
  const uint64_t row_bytes = (uint64_t{width} * depth + 7) / 8;
  const uint64_t inflated = row_bytes * height * samples + height;  // stb_image's raw_len
  const uint64_t output = uint64_t{width} * height * 4 * (depth == 16 ? 2 : 1);
  const uint64_t compressed = 2 * uint64_t{bytes.size()} + 4096;
  const uint64_t bound = std::max({inflated, output, compressed}) + 4096;
  return static_cast<size_t>(std::min<uint64_t>(bound, SIZE_MAX));
}

// Whether transparency can reach the picture, deciding RGBA (flattened onto white) or plain RGB, which
// saves the decoder a quarter of its output and the flattening pass. JPEG: never. GIF: any frame may
// name a transparent index. PNG: alpha colour types, or a tRNS chunk before the image data.
bool MayHaveTransparency(std::string_view bytes, ImageFormat format) {
  if (format == ImageFormat::kJpeg) return false;
  if (format != ImageFormat::kPng) return true;
  const auto byte = [&](size_t i) { return static_cast<uint32_t>(static_cast<uint8_t>(bytes[i])); };
  const uint32_t colour_type = byte(25);  // ProbeImage saw the whole IHDR
  if (colour_type == 4 || colour_type == 6) return true;
  for (size_t pos = 8; bytes.size() - pos >= 8;) {
    const std::string_view type = bytes.substr(pos + 4, 4);
    if (type == "tRNS") return true;
    if (type == "IDAT") return false;
    const size_t length = byte(pos) << 24 | byte(pos + 1) << 16 | byte(pos + 2) << 8 | byte(pos + 3);
    if (length > bytes.size() - pos - 8 || bytes.size() - pos - 8 - length < 4) return false;  // cut short
    pos += 8 + length + 4;
  }
  return false;
}

}  // namespace

void ThumbnailSize(uint32_t width, uint32_t height, uint32_t& out_width, uint32_t& out_height) {
  const uint32_t longest = std::max(width, height);
  if (longest <= kThumbnailMaxSide) {
    out_width = std::max(width, 1u);
    out_height = std::max(height, 1u);
    return;
  }
  // Round to nearest, never below one pixel (a 1 x 5000 strip stays 1 wide).
  const auto scale = [&](uint32_t side) {
    const uint64_t scaled = (uint64_t{side} * kThumbnailMaxSide + longest / 2) / longest;
    return static_cast<uint32_t>(std::max<uint64_t>(scaled, 1));
  };
  out_width = width == longest ? kThumbnailMaxSide : scale(width);
  out_height = height == longest ? kThumbnailMaxSide : scale(height);
}

Result<Thumbnail> MakeThumbnail(std::string_view bytes, const ImageProbe& probe) {
  return MakeThumbnail(bytes, probe, ThumbnailLimits{});
}

Result<Thumbnail> MakeThumbnail(std::string_view bytes, const ImageProbe& probe,
                                const ThumbnailLimits& limits) {
  // The probe is cheap; running it again keeps a caller's stale or forged probe from steering the
  // decoder (the budget below is sized from these dimensions).
  NB_ASSIGN_OR_RETURN(const ImageProbe checked, ProbeImage(bytes));
  if (checked.format != probe.format || checked.width != probe.width || checked.height != probe.height) {
    return Status::InvalidArgument("probe does not match the image");
  }
  if (probe.format == ImageFormat::kWebp) return Status::FailedPrecondition("no WebP decoder");

  const uint64_t pixels = uint64_t{probe.width} * probe.height;
  const uint32_t channels = MayHaveTransparency(bytes, probe.format) ? 4 : 3;
  if (pixels * channels > limits.max_decode_bytes) {
    return Status::FailedPrecondition("image too large to make a thumbnail");
  }
  NB_RETURN_IF_ERROR(CheckStbCanDecode(bytes, probe.format));
  const size_t budget = std::min<uint64_t>(limits.max_decode_bytes, BombBound(bytes, pixels));
  const size_t max_block =
      probe.format == ImageFormat::kPng ? PngMaxBlock(bytes, probe.width, probe.height) : SIZE_MAX;
  Result<DecodedPixels> decode = DecodePixels(bytes, channels, budget, max_block);
  if (!decode.ok() && decode.status().code() == Status::Code::kOutOfRange) {
    // Under the bomb bound the file itself is lying about its size; under the ceiling it may just be big.
    if (budget < limits.max_decode_bytes)
      return Status::InvalidArgument("image data exceeds its declared size");
    return Status::FailedPrecondition("image too large to make a thumbnail");
  }
  NB_ASSIGN_OR_RETURN(DecodedPixels decoded, std::move(decode));
  if (decoded.width != probe.width || decoded.height != probe.height) {
    return Status::InvalidArgument("decoded size differs from the header");
  }
  if (channels == 4) CompositeOverWhiteToRgb(decoded.pixels.get(), pixels);

  Thumbnail thumb;
  ThumbnailSize(probe.width, probe.height, thumb.width, thumb.height);
  std::unique_ptr<uint8_t[]> small(new uint8_t[size_t{thumb.width} * thumb.height * 3]);
  AreaResizeRgb(decoded.pixels.get(), probe.width, probe.height, small.get(), thumb.width, thumb.height);
  decoded.pixels.reset();
  NB_ASSIGN_OR_RETURN(thumb.bytes, EncodeJpeg(small.get(), thumb.width, thumb.height, 3, kJpegQuality));
  thumb.content_type = "image/jpeg";
  return thumb;
}

}  // namespace nb
