#include "codecs/jpeg_decoder.h"

#include <cstdio>
#include <cstring>

#include "codecs/decode_budget.h"
#include "codecs/jpeg_error_manager.h"
#include "codecs/jpeg_memory.h"

namespace nb {
namespace {

[[noreturn]] void ErrorExit(j_common_ptr cinfo) {
  auto* err = JpegErrors(cinfo);
  (*cinfo->err->format_message)(cinfo, err->message);
  // Out of memory is the budget saying no: a fine image, just more than the plan admits.
  LeaveJpeg(err, cinfo->err->msg_code == JERR_OUT_OF_MEMORY ? Status::Code::kFailedPrecondition
                                                            : Status::Code::kInvalidArgument);
}

// Warnings that mean the picture is damaged end the decode as errors (stb_image failed on these
// too); the harmless ones (extraneous bytes before a marker, unknown JFIF versions) are ignored.
void EmitMessage(j_common_ptr cinfo, int level) {
  if (level >= 0) return;  // trace messages
  switch (cinfo->err->msg_code) {
    case JWRN_JPEG_EOF:           // premature end of the file
    case JWRN_HIT_MARKER:         // premature end of a data segment
    case JWRN_MUST_RESYNC:        // lost sync in the entropy-coded data
    case JWRN_HUFF_BAD_CODE:      // corrupt Huffman data
    case JWRN_BOGUS_PROGRESSION:  // inconsistent progression sequence
    case JWRN_NOT_SEQUENTIAL:     // bad scan parameters for a sequential file
      ErrorExit(cinfo);
    default: return;
  }
}

// Caps the scan count while decoding too (the plan refuses more already), as turbojpeg's
// TJFLAG_LIMITSCANS does.
struct Progress {
  jpeg_progress_mgr pub;
  uint32_t max_scans;
};
void OnProgress(j_common_ptr cinfo) {
  auto* progress = reinterpret_cast<Progress*>(cinfo->progress);
  const auto* dinfo = reinterpret_cast<j_decompress_ptr>(cinfo);
  if (dinfo->input_scan_number > static_cast<int>(progress->max_scans)) {
    auto* err = JpegErrors(cinfo);
    std::snprintf(err->message, sizeof err->message, "JPEG has more than %u scans", progress->max_scans);
    LeaveJpeg(err, Status::Code::kInvalidArgument);
  }
}

inline uint8_t Mul255(uint32_t a, uint32_t b) {
  const uint32_t x = a * b + 128;
  return static_cast<uint8_t>((x + (x >> 8)) >> 8);
}

// CMYK to RGB. Adobe's encoders (Photoshop) store CMYK inverted (0 = full ink), and libjpeg hands it
// over as stored; others store it plain.
void CmykToRgb(const uint8_t* cmyk, uint32_t width, bool inverted, uint8_t* rgb) {
  for (uint32_t x = 0; x < width; ++x, cmyk += 4, rgb += 3) {
    uint32_t c = cmyk[0], m = cmyk[1], y = cmyk[2], k = cmyk[3];
    if (!inverted) c = 255 - c, m = 255 - m, y = 255 - y, k = 255 - k;
    rgb[0] = Mul255(c, k), rgb[1] = Mul255(m, k), rgb[2] = Mul255(y, k);
  }
}

#ifndef __wasm__
// Natively libjpeg's errors come back here through longjmp; in wasm they trap instead.
Status FromError(const JpegErrorManager& err, const char* fallback) {
  std::string message = err.message[0] ? err.message : fallback;
  if (err.code == Status::Code::kFailedPrecondition) {
    return Status::FailedPrecondition("image too large to make a thumbnail (" + message + ")");
  }
  return Status::InvalidArgument("cannot decode JPEG: " + message);
}
#endif

struct Decoder {
  jpeg_decompress_struct cinfo;
  JpegErrorManager err;
  Progress progress;
  JpegMemoryPolicy policy;
  BudgetArray<uint8_t> scanline, rgb;
};

}  // namespace

Status DecodeJpegRows(std::string_view bytes, const ThumbnailPlan& plan, RowSink& sink,
                      JpegDecodeStats* stats) {
  Decoder d;
  std::memset(&d.cinfo, 0, sizeof d.cinfo);
  d.cinfo.err = jpeg_std_error(&d.err.pub);
  d.err.pub.error_exit = ErrorExit;
  d.err.pub.emit_message = EmitMessage;
#ifndef __wasm__
  if (setjmp(d.err.jump)) {
    if (stats != nullptr) stats->stores_opened = d.policy.stores_opened;
    jpeg_destroy_decompress(&d.cinfo);
    return FromError(d.err, "error");
  }
#endif
  jpeg_create_decompress(&d.cinfo);
  d.cinfo.client_data = &d.policy;
  d.progress.pub.progress_monitor = OnProgress;
  d.progress.max_scans = kMaxJpegScans;
  d.cinfo.progress = &d.progress.pub;
  jpeg_mem_src(&d.cinfo, reinterpret_cast<const unsigned char*>(bytes.data()),
               static_cast<unsigned long>(bytes.size()));
  jpeg_read_header(&d.cinfo, TRUE);
  if (d.cinfo.image_width != plan.width || d.cinfo.image_height != plan.height ||
      d.cinfo.num_components != static_cast<int>(plan.jpeg.components)) {
    jpeg_destroy_decompress(&d.cinfo);
    return Status::InvalidArgument("JPEG header differs from the plan");
  }
  const bool cmyk = d.cinfo.jpeg_color_space == JCS_CMYK || d.cinfo.jpeg_color_space == JCS_YCCK;
  d.cinfo.out_color_space = cmyk ? JCS_CMYK : JCS_RGB;
  d.cinfo.scale_num = 1;
  d.cinfo.scale_denom = plan.jpeg.scale_denom;
  d.cinfo.do_block_smoothing = FALSE;  // it reads AC coefficients the DC store does not keep
  d.cinfo.dct_method = JDCT_ISLOW;
  d.policy.dc_store = plan.jpeg.dc_store;
  d.policy.components = plan.jpeg.components;
  jpeg_calc_output_dimensions(&d.cinfo);
  for (uint32_t c = 0; c < plan.jpeg.components; ++c) {
    const jpeg_component_info& comp = d.cinfo.comp_info[c];
    d.policy.dct_scaled_size[c] = static_cast<uint32_t>(comp.DCT_scaled_size);
    const uint64_t wide =
        (comp.width_in_blocks + comp.h_samp_factor - 1) / comp.h_samp_factor * comp.h_samp_factor;
    const uint64_t high =
        (comp.height_in_blocks + comp.v_samp_factor - 1) / comp.v_samp_factor * comp.v_samp_factor;
    d.policy.array_bytes[c] = wide * high * sizeof(JBLOCK);
  }
  if (d.cinfo.output_width != plan.decode_width || d.cinfo.output_height != plan.decode_height) {
    jpeg_destroy_decompress(&d.cinfo);
    return Status::Internal("libjpeg's scaled size differs from the plan");
  }
  jpeg_start_decompress(&d.cinfo);
  const uint32_t width = d.cinfo.output_width;
  if (!d.scanline.Allocate(size_t{width} * (cmyk ? 4 : 3)) || (cmyk && !d.rgb.Allocate(size_t{width} * 3))) {
    jpeg_destroy_decompress(&d.cinfo);
    return Status::FailedPrecondition("image too large to make a thumbnail");
  }
  const bool inverted = d.cinfo.saw_Adobe_marker;
  while (d.cinfo.output_scanline < d.cinfo.output_height) {
    JSAMPROW row = d.scanline.data();
    if (jpeg_read_scanlines(&d.cinfo, &row, 1) != 1) break;
    if (cmyk) {
      CmykToRgb(d.scanline.data(), width, inverted, d.rgb.data());
      sink.Row(d.rgb.data());
    } else {
      sink.Row(d.scanline.data());
    }
  }
  if (stats != nullptr) {
    stats->stores_opened = d.policy.stores_opened;
    stats->scans = static_cast<uint32_t>(d.cinfo.input_scan_number);
  }
  // The rest of the file (trailing scans of a sequential multi-scan file were consumed already);
  // finishing would only read to EOI, and a cut-off tail after the last row is no damage to the rows.
  jpeg_abort_decompress(&d.cinfo);
  jpeg_destroy_decompress(&d.cinfo);
  return Status::Ok();
}

}  // namespace nb
