// Downscaling by area averaging (a box filter over each output pixel's exact footprint, fractional
// edges weighted by coverage): every source pixel counts, so there is no aliasing however large the
// reduction. Separable, fixed-point (weights in Q14), vertical pass first so the hot loop runs over
// contiguous bytes. Streaming: source rows arrive one at a time (straight from a decoder) and each
// is added, weighted, into the accumulators of the (at most two) output rows it covers, so working
// memory is a few rows of the source width, never the whole picture. A wasm SIMD128 kernel set
// exists when compiled with -msimd128; the scalar set is always there and both produce identical
// bytes.
#pragma once

#include <cstddef>
#include <cstdint>

#include "codecs/decode_budget.h"

namespace nb {

inline constexpr uint32_t kWeightBits = 14;  // each output's weights sum to exactly 1 << kWeightBits

// The weights of one axis: output i averages source pixels start[i] .. start[i] + taps - 1 with
// weights[i * taps + k]. Padding taps have weight 0, and start is pulled back near the end so no tap
// indexes past the source.
struct AreaAxis {
  uint32_t taps = 0;
  BudgetArray<uint32_t> start;
  BudgetArray<uint16_t> weights;
};

// src_size >= dst_size >= 1. taps == 0 when the decode budget refused the tables.
AreaAxis MakeAreaAxis(uint32_t src_size, uint32_t dst_size);

struct ResizeKernels {
  // acc[x] += weight * row[x] for `bytes` samples (the vertical pass, one source row at a time).
  void (*accumulate)(const uint8_t* row, uint16_t weight, size_t bytes, uint32_t* acc);
  // A finished vertical sum (Q14 * 8-bit) to Q8 (value * 256), rounded.
  void (*finish_vertical)(const uint32_t* acc, size_t bytes, uint16_t* out);
  // One RGB row of Q8 samples (with at least one readable padding element after it) to 8-bit RGB.
  void (*horizontal)(const uint16_t* row, const AreaAxis& axis, uint32_t out_width, uint8_t* out);
};

const ResizeKernels& ScalarResizeKernels();
// nullptr unless this build has the wasm SIMD128 kernels.
const ResizeKernels* Simd128ResizeKernels();
// The fastest kernels this build has.
const ResizeKernels& BestResizeKernels();

// Packed RGB rows in, packed RGB dst_width x dst_height out (dst no larger than src on either axis).
// Every allocation goes through the decode budget (Init fails when it is refused).
class StreamingAreaResize {
 public:
  bool Init(const ResizeKernels& kernels, uint32_t src_width, uint32_t src_height, uint8_t* dst,
            uint32_t dst_width, uint32_t dst_height);
  // Source rows in order, each src_width * 3 bytes. Extra rows past src_height are ignored.
  void PushRow(const uint8_t* rgb);
  uint32_t rows_pushed() const { return next_row_; }
  bool done() const { return next_out_ == dst_height_; }

  // What Init allocates for these sizes, for the thumbnail plan.
  static uint64_t WorkingBytes(uint32_t src_width, uint32_t src_height, uint32_t dst_width,
                               uint32_t dst_height);

 private:
  // A source row adds to at most two output rows; four accumulators leave room for the pulled-back
  // windows at the bottom edge.
  static constexpr uint32_t kAccumulators = 4;
  uint32_t* Accumulator(uint32_t out_row) {
    return accumulators_.data() + size_t{out_row % kAccumulators} * row_bytes_;
  }

  const ResizeKernels* kernels_ = nullptr;
  AreaAxis columns_, rows_;
  uint8_t* dst_ = nullptr;
  uint32_t src_height_ = 0, dst_width_ = 0, dst_height_ = 0;
  size_t row_bytes_ = 0;
  uint32_t next_row_ = 0, next_out_ = 0;
  BudgetArray<uint32_t> accumulators_;
  BudgetArray<uint16_t> vertical_;
};

// Whole-image convenience (tests, benchmarks): resizes packed RGB src to dst.
void AreaResizeRgb(const uint8_t* src, uint32_t src_width, uint32_t src_height, uint8_t* dst,
                   uint32_t dst_width, uint32_t dst_height);
void AreaResizeRgbWith(const ResizeKernels& kernels, const uint8_t* src, uint32_t src_width,
                       uint32_t src_height, uint8_t* dst, uint32_t dst_width, uint32_t dst_height);

}  // namespace nb
