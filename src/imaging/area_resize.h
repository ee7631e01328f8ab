// Downscaling by area averaging (a box filter over each output pixel's exact footprint, fractional
// edges weighted by coverage): every source pixel counts, so there is no aliasing however large the
// reduction. Separable, fixed-point (weights in Q14), vertical pass first so the hot loop runs over
// contiguous bytes. A wasm SIMD128 kernel set exists when compiled with -msimd128; the scalar set is
// always there and both produce identical bytes.
#pragma once

#include <cstddef>
#include <cstdint>
#include <vector>

namespace nb {

inline constexpr uint32_t kWeightBits = 14;  // each output's weights sum to exactly 1 << kWeightBits

// The weights of one axis: output i averages source pixels start[i] .. start[i] + taps - 1 with
// weights[i * taps + k]. Padding taps have weight 0, and start is pulled back near the end so no tap
// indexes past the source.
struct AreaAxis {
  uint32_t taps = 0;
  std::vector<uint32_t> start;
  std::vector<uint16_t> weights;
};

// src_size >= dst_size >= 1.
AreaAxis MakeAreaAxis(uint32_t src_size, uint32_t dst_size);

struct ResizeKernels {
  // Weighted sum of rows first_row .. first_row + taps - 1 of `bytes` bytes each, in Q8 (value * 256).
  void (*vertical)(const uint8_t* image, size_t stride, uint32_t first_row, const uint16_t* weights,
                   uint32_t taps, size_t bytes, uint16_t* out);
  // One RGB row of Q8 samples (with at least one readable padding element after it) to 8-bit RGB.
  void (*horizontal)(const uint16_t* row, const AreaAxis& axis, uint32_t out_width, uint8_t* out);
};

const ResizeKernels& ScalarResizeKernels();
// nullptr unless this build has the wasm SIMD128 kernels.
const ResizeKernels* Simd128ResizeKernels();

// Resizes packed RGB (3 bytes a pixel) src to dst, dst no larger than src on either axis, with the
// fastest kernels this build has.
void AreaResizeRgb(const uint8_t* src, uint32_t src_width, uint32_t src_height, uint8_t* dst,
                   uint32_t dst_width, uint32_t dst_height);
void AreaResizeRgbWith(const ResizeKernels& kernels, const uint8_t* src, uint32_t src_width,
                       uint32_t src_height, uint8_t* dst, uint32_t dst_width, uint32_t dst_height);

}  // namespace nb
