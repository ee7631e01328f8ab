#include "imaging/area_resize.h"

#include <algorithm>

namespace nb {
namespace {

constexpr uint32_t kOne = 1u << kWeightBits;
// Vertical sums are Q14 * 8-bit; shifting by 6 keeps them as Q8 in 16 bits (255 * 256 = 65280).
constexpr uint32_t kVerticalShift = kWeightBits - 8;
// Horizontal sums are Q14 * Q8; back to 8 bits.
constexpr uint32_t kHorizontalShift = kWeightBits + 8;

void VerticalScalar(const uint8_t* image, size_t stride, uint32_t first_row, const uint16_t* weights,
                    uint32_t taps, size_t bytes, uint16_t* out) {
  // Blocked so the compiler keeps the block's sums in vector registers across the taps.
  constexpr size_t kBlock = 256;
  uint32_t sums[kBlock];
  for (size_t x0 = 0; x0 < bytes; x0 += kBlock) {
    const size_t n = std::min(kBlock, bytes - x0);
    std::fill(sums, sums + n, 0u);
    for (uint32_t k = 0; k < taps; ++k) {
      const uint32_t w = weights[k];
      if (w == 0) continue;
      const uint8_t* row = image + (first_row + k) * stride + x0;
      for (size_t x = 0; x < n; ++x) sums[x] += w * row[x];
    }
    for (size_t x = 0; x < n; ++x) {
      out[x0 + x] = static_cast<uint16_t>((sums[x] + (1u << (kVerticalShift - 1))) >> kVerticalShift);
    }
  }
}

void HorizontalScalar(const uint16_t* row, const AreaAxis& axis, uint32_t out_width, uint8_t* out) {
  const uint32_t taps = axis.taps;
  for (uint32_t i = 0; i < out_width; ++i) {
    const uint16_t* in = row + size_t{axis.start[i]} * 3;
    const uint16_t* w = axis.weights.data() + size_t{i} * taps;
    uint32_t r = 0, g = 0, b = 0;
    for (uint32_t k = 0; k < taps; ++k) {
      r += w[k] * uint32_t{in[3 * k]};
      g += w[k] * uint32_t{in[3 * k + 1]};
      b += w[k] * uint32_t{in[3 * k + 2]};
    }
    constexpr uint32_t kHalf = 1u << (kHorizontalShift - 1);
    out[3 * i] = static_cast<uint8_t>((r + kHalf) >> kHorizontalShift);
    out[3 * i + 1] = static_cast<uint8_t>((g + kHalf) >> kHorizontalShift);
    out[3 * i + 2] = static_cast<uint8_t>((b + kHalf) >> kHorizontalShift);
  }
}

}  // namespace

AreaAxis MakeAreaAxis(uint32_t src_size, uint32_t dst_size) {
  // Work in units of 1/(src*dst): source pixel s spans [s*dst, (s+1)*dst), output i spans
  // [i*src, (i+1)*src), so every boundary is an integer and coverage is exact.
  const uint64_t n = src_size, m = dst_size;
  AreaAxis axis;
  for (uint64_t i = 0; i < m; ++i) {
    const uint64_t first = i * n / m, end = ((i + 1) * n + m - 1) / m;
    axis.taps = std::max(axis.taps, static_cast<uint32_t>(end - first));
  }
  axis.start.resize(m);
  axis.weights.assign(m * axis.taps, 0);
  for (uint64_t i = 0; i < m; ++i) {
    const uint64_t lo = i * n, hi = (i + 1) * n;
    const uint64_t first = lo / m, end = (hi + m - 1) / m;
    const uint64_t start = std::min<uint64_t>(first, n - axis.taps);
    axis.start[i] = static_cast<uint32_t>(start);
    uint16_t* w = axis.weights.data() + i * axis.taps;
    uint32_t sum = 0, largest = 0;
    for (uint64_t s = first; s < end; ++s) {
      const uint64_t overlap = std::min((s + 1) * m, hi) - std::max(s * m, lo);
      const uint32_t k = static_cast<uint32_t>(s - start);
      w[k] = static_cast<uint16_t>((overlap * kOne + n / 2) / n);
      sum += w[k];
      if (w[k] > w[largest]) largest = k;
    }
    // Rounding may leave the sum a little off 1.0; the largest weight absorbs it so flat areas stay flat.
    w[largest] = static_cast<uint16_t>(w[largest] + kOne - sum);
  }
  return axis;
}

const ResizeKernels& ScalarResizeKernels() {
  static const ResizeKernels kernels{VerticalScalar, HorizontalScalar};
  return kernels;
}

void AreaResizeRgbWith(const ResizeKernels& kernels, const uint8_t* src, uint32_t src_width,
                       uint32_t src_height, uint8_t* dst, uint32_t dst_width, uint32_t dst_height) {
  const AreaAxis columns = MakeAreaAxis(src_width, dst_width);
  const AreaAxis rows = MakeAreaAxis(src_height, dst_height);
  const size_t stride = size_t{src_width} * 3;
  // One vertically-averaged source-width row; padded because the SIMD kernel loads 4 samples per pixel.
  std::vector<uint16_t> row(stride + 4);
  for (uint32_t y = 0; y < dst_height; ++y) {
    kernels.vertical(src, stride, rows.start[y], rows.weights.data() + size_t{y} * rows.taps, rows.taps,
                     stride, row.data());
    kernels.horizontal(row.data(), columns, dst_width, dst + size_t{y} * dst_width * 3);
  }
}

void AreaResizeRgb(const uint8_t* src, uint32_t src_width, uint32_t src_height, uint8_t* dst,
                   uint32_t dst_width, uint32_t dst_height) {
  const ResizeKernels* simd = Simd128ResizeKernels();
  AreaResizeRgbWith(simd ? *simd : ScalarResizeKernels(), src, src_width, src_height, dst, dst_width,
                    dst_height);
}

}  // namespace nb
