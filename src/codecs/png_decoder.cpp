#include "codecs/png_decoder.h"

#include <algorithm>
#include <cstring>
#include <string>

#include "codecs/area_resize.h"
#include "codecs/composite_over_white.h"
#include "codecs/decode_budget.h"
#include "spng.h"

namespace nb {
namespace {

constexpr uint32_t kAdam7XStart[7] = {0, 4, 0, 2, 0, 1, 0};
constexpr uint32_t kAdam7XDelta[7] = {8, 8, 4, 4, 2, 2, 1};

// libspng reads the file through this, so we know how far into the compressed data it had to go.
struct Reader {
  std::string_view bytes;
  size_t offset = 0;
};

int Read(spng_ctx*, void* user, void* dest, size_t length) {
  auto* reader = static_cast<Reader*>(user);
  if (length > reader->bytes.size() - reader->offset) return SPNG_IO_EOF;
  std::memcpy(dest, reader->bytes.data() + reader->offset, length);
  reader->offset += length;
  return 0;
}

void* SpngMalloc(size_t size) { return BudgetMalloc(size); }
void* SpngRealloc(void* block, size_t size) { return BudgetRealloc(block, size); }
void* SpngCalloc(size_t count, size_t size) { return BudgetCalloc(count, size); }
void SpngFree(void* block) { BudgetFree(block); }

uint32_t Be32(std::string_view b, size_t i) {
  return static_cast<uint32_t>(static_cast<uint8_t>(b[i])) << 24 |
         static_cast<uint32_t>(static_cast<uint8_t>(b[i + 1])) << 16 |
         static_cast<uint32_t>(static_cast<uint8_t>(b[i + 2])) << 8 | static_cast<uint8_t>(b[i + 3]);
}

// IDAT payload bytes at or after `offset`.
uint64_t IdatPayloadAfter(std::string_view bytes, size_t offset) {
  uint64_t remaining = 0;
  for (size_t pos = 8; bytes.size() >= pos + 12;) {
    const uint64_t length = Be32(bytes, pos);
    const size_t payload = pos + 8;
    if (length > bytes.size() - payload) break;
    if (bytes.substr(pos + 4, 4) == "IDAT") {
      const uint64_t end = payload + length;
      const uint64_t from = std::max<uint64_t>(payload, offset);
      if (end > from) remaining += end - from;
    }
    pos = payload + length + 4;
  }
  return remaining;
}

Status SpngError(int code, const char* what) {
  if (code == SPNG_EMEM) return Status::FailedPrecondition("image too large to make a thumbnail");
  return Status::InvalidArgument(std::string("cannot decode PNG (") + what + "): " + spng_strerror(code));
}

struct Context {
  spng_ctx* ctx = nullptr;
  ~Context() { spng_ctx_free(ctx); }
};

// Output-sized accumulators for an interlaced image: every source pixel adds weight_x * weight_y *
// value (Q14 * Q14) to the (at most 2 x 2) output pixels it overlaps.
class InterlacedAccumulator {
 public:
  bool Init(const ThumbnailPlan& plan) {
    out_width_ = plan.thumb_width, out_height_ = plan.thumb_height;
    return Map(plan.width, plan.thumb_width, columns_) && Map(plan.height, plan.thumb_height, rows_) &&
           sums_.Allocate(size_t{out_width_} * out_height_ * 3);
  }

  void AddRow(const uint8_t* rgb, uint32_t y, uint32_t x_start, uint32_t x_delta, uint32_t width) {
    const Entry& row = rows_[y];
    for (uint32_t x = x_start; x < width; x += x_delta) {
      const uint8_t* px = rgb + size_t{x} * 3;
      const Entry& column = columns_[x];
      for (int j = 0; j < 2; ++j) {
        if (row.weight[j] == 0) continue;
        uint64_t* line = sums_.data() + size_t{row.index[j]} * out_width_ * 3;
        for (int i = 0; i < 2; ++i) {
          const uint64_t w = uint64_t{row.weight[j]} * column.weight[i];
          if (w == 0) continue;
          uint64_t* sum = line + size_t{column.index[i]} * 3;
          sum[0] += w * px[0], sum[1] += w * px[1], sum[2] += w * px[2];
        }
      }
    }
  }

  void Finish(uint8_t* out) const {
    constexpr uint32_t kShift = 2 * kWeightBits;
    for (size_t i = 0; i < sums_.size(); ++i) {
      out[i] = static_cast<uint8_t>((sums_[i] + (uint64_t{1} << (kShift - 1))) >> kShift);
    }
  }

 private:
  struct Entry {
    uint32_t index[2] = {0, 0};
    uint16_t weight[2] = {0, 0};
  };

  // Source pixel -> the outputs it counts for, from the same weights the streaming resize uses.
  static bool Map(uint32_t src, uint32_t dst, BudgetArray<Entry>& map) {
    const AreaAxis axis = MakeAreaAxis(src, dst);
    if (axis.taps == 0 || !map.Allocate(src)) return false;
    for (uint32_t i = 0; i < dst; ++i) {
      for (uint32_t k = 0; k < axis.taps; ++k) {
        const uint16_t w = axis.weights[size_t{i} * axis.taps + k];
        if (w == 0) continue;
        Entry& e = map[axis.start[i] + k];
        const int slot = e.weight[0] == 0 ? 0 : 1;  // an area filter never gives a pixel three outputs
        e.index[slot] = i, e.weight[slot] = w;
      }
    }
    return true;
  }

  uint32_t out_width_ = 0, out_height_ = 0;
  BudgetArray<Entry> columns_, rows_;
  BudgetArray<uint64_t> sums_;
};

}  // namespace

Status DecodePng(std::string_view bytes, const ThumbnailPlan& plan, RowSink& rows, uint8_t* thumb) {
  spng_alloc alloc{SpngMalloc, SpngRealloc, SpngCalloc, SpngFree};
  Context c;
  c.ctx = spng_ctx_new2(&alloc, 0);
  if (c.ctx == nullptr) return Status::FailedPrecondition("image too large to make a thumbnail");
  Reader reader{bytes, 0};
  spng_set_image_limits(c.ctx, plan.width, plan.height);
  // No chunk can be longer than the file; the cache bounds what ancillary chunks may keep
  // (the plan counts it).
  spng_set_chunk_limits(c.ctx, bytes.size(), 1 << 20);
  spng_set_crc_action(c.ctx, SPNG_CRC_ERROR, SPNG_CRC_DISCARD);
  if (int e = spng_set_png_stream(c.ctx, Read, &reader)) return SpngError(e, "stream");

  spng_ihdr ihdr;
  if (int e = spng_get_ihdr(c.ctx, &ihdr)) return SpngError(e, "header");
  if (ihdr.width != plan.width || ihdr.height != plan.height) {
    return Status::InvalidArgument("PNG header differs from the plan");
  }
  const bool alpha = plan.may_have_alpha;
  const int format = alpha ? SPNG_FMT_RGBA8 : SPNG_FMT_RGB8;
  if (int e = spng_decode_image(c.ctx, nullptr, 0, format, SPNG_DECODE_PROGRESSIVE | SPNG_DECODE_TRNS)) {
    return SpngError(e, "start");
  }
  BudgetArray<uint8_t> row;
  if (!row.Allocate(size_t{plan.width} * (alpha ? 4 : 3))) {
    return Status::FailedPrecondition("image too large to make a thumbnail");
  }
  InterlacedAccumulator interlaced;
  if (plan.png_interlaced && !interlaced.Init(plan)) {
    return Status::FailedPrecondition("image too large to make a thumbnail");
  }
  size_t offset_before_last_row = 0;
  int e = 0;
  do {
    spng_row_info info;
    if ((e = spng_get_row_info(c.ctx, &info)) != 0) break;
    offset_before_last_row = reader.offset;
    e = spng_decode_row(c.ctx, row.data(), row.size());
    if (e != 0 && e != SPNG_EOI) break;
    if (alpha) CompositeOverWhiteToRgb(row.data(), plan.width);
    if (plan.png_interlaced) {
      const int pass = info.pass;
      interlaced.AddRow(row.data(), info.row_num, kAdam7XStart[pass], kAdam7XDelta[pass], plan.width);
    } else {
      rows.Row(row.data());
    }
  } while (e == 0);
  if (e != SPNG_EOI) return SpngError(e, "rows");
  // The chunks after the image data, up to IEND: this is where the last IDAT's CRC is checked. A file
  // that merely ends after its image data (no IEND) still has every row, so only a CRC error counts.
  e = spng_decode_chunks(c.ctx);
  if (e == SPNG_ECHUNK_CRC || e == SPNG_EIDAT_TOO_SHORT) return SpngError(e, "after the image data");
  // Every row is out. The last one's compressed bytes cannot exceed its raw size (deflate's stored
  // blocks) plus the stream trailer; more compressed data after that inflates past the header's size.
  const uint64_t row_bytes = (uint64_t{plan.width} * 64 + 7) / 8 + 1;  // 16-bit RGBA, filter byte
  if (IdatPayloadAfter(bytes, offset_before_last_row) > row_bytes + row_bytes / 64 + 64) {
    return Status::InvalidArgument("image data inflates past its declared size");
  }
  if (plan.png_interlaced) interlaced.Finish(thumb);
  return Status::Ok();
}

}  // namespace nb
