#include "imaging/thumbnail_plan.h"

#include <algorithm>
#include <cstddef>

#include "imaging/jpeg_headers.h"

namespace nb {
namespace {

// Small allocations no formula below tracks (codec state structs, Huffman and range tables, stb's
// encoder tables, string growth), and the allocator's own headers and fragmentation.
constexpr uint64_t kFixedSlack = 384 << 10;

uint32_t Byte(std::string_view bytes, size_t i) { return static_cast<uint8_t>(bytes[i]); }
uint32_t Be32(std::string_view bytes, size_t i) {
  return Byte(bytes, i) << 24 | Byte(bytes, i + 1) << 16 | Byte(bytes, i + 2) << 8 | Byte(bytes, i + 3);
}
uint32_t Le32(std::string_view bytes, size_t i) {
  return Byte(bytes, i) | Byte(bytes, i + 1) << 8 | Byte(bytes, i + 2) << 16 | Byte(bytes, i + 3) << 24;
}

// The resize state for decode -> thumb (mirrors StreamingAreaResize::WorkingBytes in src/codecs).
uint64_t ResizeBytes(uint64_t src_width, uint64_t src_height, uint64_t dst_width, uint64_t dst_height) {
  const auto axis = [](uint64_t n, uint64_t m) { return m * 4 + m * ((n + m - 1) / m + 1) * 2; };
  const uint64_t row = src_width * 3;
  return axis(src_width, dst_width) + axis(src_height, dst_height) + 4 * row * 4 + (row + 4) * 2;
}

// What every kind needs after decoding: the thumbnail's pixels (twice when an EXIF orientation is
// applied) and the JPEG encoder (libjpeg-turbo with optimised Huffman tables keeps the whole
// thumbnail's coefficients for its second pass, 3 bytes a pixel at 4:2:0; its output buffer grows by
// doubling; then the returned string copy; a q82 thumbnail stays under 2 bytes a pixel even of pure noise).
uint64_t OutputBytes(const ThumbnailPlan& plan) {
  const uint64_t pixels = uint64_t{plan.thumb_width} * plan.thumb_height;
  const uint64_t encoder = 64 * 1024 + pixels * 3 + 3 * (pixels * 2 + (16 << 10));
  return pixels * 3 * (plan.orientation == 1 ? 1 : 2) + encoder;
}

// Allocator slack: dlmalloc rounds every block up and keeps free blocks apart; an eighth on top.
uint64_t WithSlack(uint64_t bytes) { return bytes + bytes / 8 + kFixedSlack; }

void FitThumbnail(ThumbnailPlan& plan) {
  ThumbnailSize(plan.width, plan.height, plan.thumb_width, plan.thumb_height);
  // A decoder that hands over fewer pixels than the thumbnail wants (a 1/8 DC decode of a small
  // progressive JPEG) gets a smaller thumbnail: the resize never enlarges.
  if (plan.decode_width < kThumbnailMaxSide && plan.decode_height < kThumbnailMaxSide) {
    ThumbnailSize(plan.decode_width, plan.decode_height, plan.thumb_width, plan.thumb_height);
  }
  plan.thumb_width = std::min(plan.thumb_width, plan.decode_width);
  plan.thumb_height = std::min(plan.thumb_height, plan.decode_height);
}

Status TooLarge() { return Status::FailedPrecondition("image too large to make a thumbnail"); }

// ---- JPEG ----------------------------------------------------------------------------------------

uint64_t DivUp(uint64_t a, uint64_t b) { return (a + b - 1) / b; }

// libjpeg-turbo's choice (jdmaster.c) of each component's IDCT size at a scale: the luma size, doubled
// while the component's subsampling lets the IDCT do the upsampling.
void ChooseDctSizes(JpegPlan& jpeg, uint32_t max_h, uint32_t max_v) {
  const uint32_t min_size = 8 / jpeg.scale_denom;
  for (uint32_t c = 0; c < jpeg.components; ++c) {
    JpegComponentPlan& comp = jpeg.component[c];
    uint32_t size = min_size;
    while (size < 8 && (max_h * min_size) % (comp.h_samp * size * 2) == 0 &&
           (max_v * min_size) % (comp.v_samp * size * 2) == 0) {
      size *= 2;
    }
    comp.dct_scaled_size = static_cast<uint8_t>(size);
  }
}

// The lossy DC store's bytes per block for an IDCT size (src/codecs/jpeg_memory.cpp): a nonzero mask
// plus the coefficients that IDCT reads (1x1: DC; 2x2: 25; larger: all 64).
uint64_t DcStoreBytesPerBlock(uint32_t dct_scaled_size) {
  const uint64_t kept = dct_scaled_size == 1 ? 1 : dct_scaled_size == 2 ? 25 : 64;
  return 8 + 2 * kept;
}

Status PlanJpeg(std::string_view bytes, ThumbnailPlan& plan) {
  NB_ASSIGN_OR_RETURN(const JpegHeaders headers, ReadJpegHeaders(bytes));
  JpegPlan& jpeg = plan.jpeg;
  if (headers.arithmetic) return Status::FailedPrecondition("arithmetic-coded JPEG is not supported");
  if (headers.lossless || headers.precision != 8) {
    return Status::FailedPrecondition("only 8-bit DCT JPEG is supported");
  }
  if (headers.scans > kMaxJpegScans) return Status::InvalidArgument("JPEG has too many scans");
  if (headers.components != 1 && headers.components != 3 && headers.components != 4) {
    return Status::InvalidArgument("unsupported JPEG component count");
  }
  jpeg.progressive = headers.progressive;
  jpeg.scans = headers.scans;
  jpeg.components = headers.components;
  jpeg.adobe_transform_seen = headers.adobe;
  jpeg.multi_scan = headers.progressive || headers.first_scan_components < headers.components;
  plan.orientation = headers.orientation;
  uint32_t max_h = 1, max_v = 1;
  for (uint32_t c = 0; c < headers.components; ++c) {
    jpeg.component[c].h_samp = headers.h_samp[c];
    jpeg.component[c].v_samp = headers.v_samp[c];
    max_h = std::max<uint32_t>(max_h, headers.h_samp[c]);
    max_v = std::max<uint32_t>(max_v, headers.v_samp[c]);
  }
  // Coefficient blocks per component, padded as jdcoefct.c requests them.
  for (uint32_t c = 0; c < headers.components; ++c) {
    JpegComponentPlan& comp = jpeg.component[c];
    const uint64_t wide = DivUp(DivUp(uint64_t{plan.width} * comp.h_samp, max_h), 8);
    const uint64_t high = DivUp(DivUp(uint64_t{plan.height} * comp.v_samp, max_v), 8);
    comp.blocks = DivUp(wide, comp.h_samp) * comp.h_samp * DivUp(high, comp.v_samp) * comp.v_samp;
  }
  // DCT-domain scaling: the largest reduction that still leaves the longest side >= the thumbnail's.
  const uint32_t longest = std::max(plan.width, plan.height);
  jpeg.scale_denom = 1;
  for (uint32_t denom : {8u, 4u, 2u}) {
    if (DivUp(longest, denom) >= kThumbnailMaxSide) {
      jpeg.scale_denom = denom;
      break;
    }
  }
  uint64_t all_blocks = 0;
  for (uint32_t c = 0; c < headers.components; ++c) all_blocks += jpeg.component[c].blocks;
  if (jpeg.multi_scan) {
    const uint64_t in_memory = all_blocks * 128;
    if (jpeg.scale_denom != 8 && in_memory > kMaxJpegCoefficientBytes) jpeg.scale_denom = 8;
    jpeg.dc_store = jpeg.scale_denom == 8;
  }
  ChooseDctSizes(jpeg, max_h, max_v);
  if (jpeg.multi_scan) {
    if (jpeg.dc_store) {
      for (uint32_t c = 0; c < headers.components; ++c) {
        const JpegComponentPlan& comp = jpeg.component[c];
        jpeg.coefficient_bytes += comp.blocks * DcStoreBytesPerBlock(comp.dct_scaled_size);
      }
    } else {
      jpeg.coefficient_bytes = all_blocks * 128;
    }
  }
  plan.decode_width = static_cast<uint32_t>(DivUp(plan.width, jpeg.scale_denom));
  plan.decode_height = static_cast<uint32_t>(DivUp(plan.height, jpeg.scale_denom));
  FitThumbnail(plan);

  // libjpeg's own buffers: per output column, each component's sample rows (an iMCU row with context
  // rows for fancy upsampling), the colour-converted row; per block column, the in-memory window of
  // a multi-scan decode (5 iMCU rows when progressive: block smoothing's window, even when off).
  const uint64_t columns = plan.decode_width;
  uint64_t libjpeg = 96 << 10;
  libjpeg += columns * 8 * 48;  // sample rows of up to 4 components, 16 rows each at most, with context
  if (jpeg.multi_scan && jpeg.dc_store) {
    for (uint32_t c = 0; c < headers.components; ++c) {
      const JpegComponentPlan& comp = jpeg.component[c];
      const uint64_t blocks_per_row =
          DivUp(DivUp(uint64_t{plan.width} * comp.h_samp, max_h), 8) + comp.h_samp;
      libjpeg += blocks_per_row * comp.v_samp * (jpeg.progressive ? 5 : 1) * 128;
    }
  }
  libjpeg += jpeg.coefficient_bytes;
  const uint64_t rows = columns * 4;  // our scanline buffer (CMYK is 4 bytes a pixel)
  plan.working_bytes =
      WithSlack(libjpeg + rows +
                ResizeBytes(plan.decode_width, plan.decode_height, plan.thumb_width, plan.thumb_height) +
                OutputBytes(plan));
  return Status::Ok();
}

// ---- PNG -----------------------------------------------------------------------------------------

// Whether transparency can reach the picture: alpha colour types, or a tRNS chunk before the image
// data.
bool PngMayHaveAlpha(std::string_view bytes, uint32_t colour_type) {
  if (colour_type == 4 || colour_type == 6) return true;
  for (size_t pos = 8; bytes.size() - pos >= 8;) {
    const std::string_view type = bytes.substr(pos + 4, 4);
    if (type == "tRNS") return true;
    if (type == "IDAT") return false;
    const size_t length = Be32(bytes, pos);
    if (length > bytes.size() - pos - 8 || bytes.size() - pos - 8 - length < 4) return false;  // cut short
    pos += 8 + length + 4;
  }
  return false;
}

// libspng's chunk cache (ancillary chunks it parses and keeps: text, ICC profile, EXIF...).
constexpr uint64_t kPngChunkCacheBytes = 1 << 20;

Status PlanPng(std::string_view bytes, ThumbnailPlan& plan) {
  plan.png_depth = static_cast<uint8_t>(Byte(bytes, 24));  // ProbeImage saw the whole IHDR
  plan.png_colour_type = static_cast<uint8_t>(Byte(bytes, 25));
  plan.png_interlaced = Byte(bytes, 28) == 1;
  plan.may_have_alpha = PngMayHaveAlpha(bytes, plan.png_colour_type);
  plan.decode_width = plan.width, plan.decode_height = plan.height;
  FitThumbnail(plan);
  const uint64_t w = plan.width;
  // libspng: the scanline and the previous one (up to 8 bytes a pixel at 16-bit RGBA), its own
  // row for deinterlacing, and zlib's inflate state with its 32 KB window.
  const uint64_t spng = 64 * 1024 + kPngChunkCacheBytes + 3 * (w * 8 + 16);
  const uint64_t row = w * 4;  // our RGBA row
  uint64_t pixels;
  if (plan.png_interlaced) {
    // Output-sized 64-bit accumulators and each axis' source-to-output map.
    pixels = uint64_t{plan.thumb_width} * plan.thumb_height * 3 * 8 + (w + plan.height) * 16 +
             uint64_t{plan.thumb_width} * 8 * 4;
  } else {
    pixels = ResizeBytes(plan.width, plan.height, plan.thumb_width, plan.thumb_height);
  }
  plan.working_bytes = WithSlack(spng + row + pixels + OutputBytes(plan));
  return Status::Ok();
}

// ---- WebP ----------------------------------------------------------------------------------------

Status PlanWebp(std::string_view bytes, ThumbnailPlan& plan) {
  // ProbeImage saw the first chunk's header. VP8X: flags byte (alpha 0x10, animation 0x02).
  const std::string_view first = bytes.substr(12, 4);
  bool alpha = false, lossless = first == "VP8L";
  if (first == "VP8X") {
    const uint32_t flags = Byte(bytes, 20);
    alpha = (flags & 0x10) != 0;
    if ((flags & 0x02) != 0) {
      plan.webp_animated = true;
      return Status::FailedPrecondition("animated WebP is not supported");
    }
    // The image chunk follows the VP8X chunk and any ICCP/EXIF/XMP/ALPH chunks before it.
    // 64-bit position and a bound before the step: a chunk size near 2^32 must end the walk, not wrap
    // a 32-bit size_t (wasm) back onto the same chunk forever.
    for (uint64_t pos = 30; bytes.size() >= pos + 8;) {
      const std::string_view type = bytes.substr(pos, 4);
      const uint64_t size = Le32(bytes, pos + 4);
      if (type == "VP8L") lossless = true;
      if (type == "ALPH") alpha = true;  // libwebp decodes an alpha plane it finds, flag or not
      if (type == "VP8 " || type == "VP8L") break;
      if (size > bytes.size() - pos - 8) break;
      pos += 8 + size + (size & 1);
    }
  } else if (lossless) {
    alpha = bytes.size() > 24 && (Byte(bytes, 24) & 0x10) != 0;  // VP8L alpha_is_used bit
  }
  plan.webp_lossless = lossless;
  plan.may_have_alpha = alpha || lossless;
  plan.decode_width = plan.width, plan.decode_height = plan.height;
  FitThumbnail(plan);
  // libwebp scales while decoding: its output is the thumbnail itself.
  plan.decode_width = plan.thumb_width, plan.decode_height = plan.thumb_height;
  const uint64_t w = plan.width, pixels = uint64_t{plan.width} * plan.height;
  // Lossy: macroblock-row caches and the rescaler's rows, O(width). Lossless: the whole ARGB image
  // (4 bytes a pixel, backward references reach anywhere above) plus Huffman tables. Alpha on a lossy
  // image: the alpha plane is decoded whole (1 byte a pixel), and when it is lossless-compressed in a
  // way the 8-bit path cannot take, through a 4-byte-a-pixel ARGB buffer as well.
  uint64_t libwebp = 256 * 1024 + w * 96;
  if (lossless) libwebp += pixels * 4 + w * 16 * 4 + (2 << 20);
  if (alpha && !lossless) libwebp += pixels * 6 + (2 << 20);
  const uint64_t output = uint64_t{plan.thumb_width} * plan.thumb_height * 4;
  plan.working_bytes = WithSlack(libwebp + output + OutputBytes(plan));
  return Status::Ok();
}

// ---- GIF -----------------------------------------------------------------------------------------

Status PlanGif(ThumbnailPlan& plan) {
  // stb_image keeps the frame as RGBA, a background copy and a per-pixel history: 9 bytes a pixel.
  plan.may_have_alpha = true;
  plan.decode_width = plan.width, plan.decode_height = plan.height;
  FitThumbnail(plan);
  const uint64_t pixels = uint64_t{plan.width} * plan.height;
  plan.working_bytes = WithSlack(64 * 1024 + pixels * 9 + uint64_t{plan.width} * 3 +
                                 ResizeBytes(plan.width, plan.height, plan.thumb_width, plan.thumb_height) +
                                 OutputBytes(plan));
  return Status::Ok();
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

Result<ThumbnailPlan> PlanThumbnail(std::string_view bytes, const ImageProbe& probe) {
  // The probe is cheap; running it again keeps a caller's stale or forged probe from steering the
  // plan (every size below comes from these dimensions).
  NB_ASSIGN_OR_RETURN(const ImageProbe checked, ProbeImage(bytes));
  if (checked.format != probe.format || checked.width != probe.width || checked.height != probe.height) {
    return Status::InvalidArgument("probe does not match the image");
  }
  ThumbnailPlan plan;
  plan.format = probe.format;
  plan.width = probe.width;
  plan.height = probe.height;
  switch (probe.format) {
    case ImageFormat::kJpeg: NB_RETURN_IF_ERROR(PlanJpeg(bytes, plan)); break;
    case ImageFormat::kPng: NB_RETURN_IF_ERROR(PlanPng(bytes, plan)); break;
    case ImageFormat::kWebp: NB_RETURN_IF_ERROR(PlanWebp(bytes, plan)); break;
    case ImageFormat::kGif: NB_RETURN_IF_ERROR(PlanGif(plan)); break;
  }
  if (plan.working_bytes > kMaxThumbnailWorkingBytes) return TooLarge();
  return plan;
}

}  // namespace nb
