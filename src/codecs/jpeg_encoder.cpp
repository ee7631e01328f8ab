#include "codecs/jpeg_encoder.h"

#include <cstring>

#include "codecs/decode_budget.h"
#include "codecs/jpeg_error_manager.h"

namespace nb {
namespace {

// Every libjpeg error here is ours (the pixels and parameters are), so it is Internal.
[[noreturn]] void ErrorExit(j_common_ptr cinfo) {
  auto* err = JpegErrors(cinfo);
  (*cinfo->err->format_message)(cinfo, err->message);
  LeaveJpeg(err, Status::Code::kInternal);
}

void Silent(j_common_ptr, int) {}

// A destination that grows a budget buffer (libjpeg's own jpeg_mem_dest would use plain malloc).
struct Destination {
  jpeg_destination_mgr pub;
  BudgetArray<uint8_t> buffer;
  size_t used = 0;
};

constexpr size_t kChunk = 16 << 10;

void InitDestination(j_compress_ptr cinfo) {
  auto* dest = reinterpret_cast<Destination*>(cinfo->dest);
  if (!dest->buffer.Allocate(kChunk)) ERREXIT1(cinfo, JERR_OUT_OF_MEMORY, 20);
  dest->pub.next_output_byte = dest->buffer.data();
  dest->pub.free_in_buffer = dest->buffer.size();
}

boolean EmptyOutput(j_compress_ptr cinfo) {
  auto* dest = reinterpret_cast<Destination*>(cinfo->dest);
  const size_t old_size = dest->buffer.size();
  BudgetArray<uint8_t> grown;
  if (!grown.Allocate(old_size * 2)) ERREXIT1(cinfo, JERR_OUT_OF_MEMORY, 21);
  std::memcpy(grown.data(), dest->buffer.data(), old_size);
  dest->buffer = std::move(grown);
  dest->pub.next_output_byte = dest->buffer.data() + old_size;
  dest->pub.free_in_buffer = dest->buffer.size() - old_size;
  return TRUE;
}

void TermDestination(j_compress_ptr cinfo) {
  auto* dest = reinterpret_cast<Destination*>(cinfo->dest);
  dest->used = dest->buffer.size() - dest->pub.free_in_buffer;
}

}  // namespace

Result<std::string> EncodeThumbnailJpeg(const uint8_t* rgb, uint32_t width, uint32_t height, int quality) {
  if (width == 0 || height == 0 || width > JPEG_MAX_DIMENSION || height > JPEG_MAX_DIMENSION) {
    return Status::InvalidArgument("bad JPEG encoder input");
  }
  jpeg_compress_struct cinfo;
  std::memset(&cinfo, 0, sizeof cinfo);
  JpegErrorManager err;
  Destination dest;
  cinfo.err = jpeg_std_error(&err.pub);
  err.pub.error_exit = ErrorExit;
  err.pub.emit_message = Silent;
#ifndef __wasm__
  if (setjmp(err.jump)) {
    jpeg_destroy_compress(&cinfo);
    return Status::Internal(std::string("JPEG encoder failed: ") + err.message);
  }
#endif
  jpeg_create_compress(&cinfo);
  dest.pub.init_destination = InitDestination;
  dest.pub.empty_output_buffer = EmptyOutput;
  dest.pub.term_destination = TermDestination;
  cinfo.dest = &dest.pub;
  cinfo.image_width = width;
  cinfo.image_height = height;
  cinfo.input_components = 3;
  cinfo.in_color_space = JCS_RGB;
  jpeg_set_defaults(&cinfo);
  jpeg_set_quality(&cinfo, quality, TRUE);
  cinfo.optimize_coding = TRUE;
  jpeg_start_compress(&cinfo, TRUE);
  while (cinfo.next_scanline < height) {
    JSAMPROW row = const_cast<uint8_t*>(rgb + size_t{cinfo.next_scanline} * width * 3);
    jpeg_write_scanlines(&cinfo, &row, 1);
  }
  jpeg_finish_compress(&cinfo);
  jpeg_destroy_compress(&cinfo);
  return std::string(reinterpret_cast<const char*>(dest.buffer.data()), dest.used);
}

}  // namespace nb
