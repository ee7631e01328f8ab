#include "codecs/area_resize.h"

#include <algorithm>

namespace nb {
namespace {

constexpr uint32_t kOne = 1u << kWeightBits;
// Vertical sums are Q14 * 8-bit; shifting by 6 keeps them as Q8 in 16 bits (255 * 256 = 65280).
constexpr uint32_t kVerticalShift = kWeightBits - 8;
// Horizontal sums are Q14 * Q8; back to 8 bits.
constexpr uint32_t kHorizontalShift = kWeightBits + 8;

void AccumulateScalar(const uint8_t* row, uint16_t weight, size_t bytes, uint32_t* acc) {
  const uint32_t w = weight;
  for (size_t x = 0; x < bytes; ++x) acc[x] += w * row[x];
}

void FinishVerticalScalar(const uint32_t* acc, size_t bytes, uint16_t* out) {
  for (size_t x = 0; x < bytes; ++x) {
    out[x] = static_cast<uint16_t>((acc[x] + (1u << (kVerticalShift - 1))) >> kVerticalShift);
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

uint32_t AxisTaps(uint64_t n, uint64_t m) {
  uint32_t taps = 0;
  for (uint64_t i = 0; i < m; ++i) {
    const uint64_t first = i * n / m, end = ((i + 1) * n + m - 1) / m;
    taps = std::max(taps, static_cast<uint32_t>(end - first));
  }
  return taps;
}

}  // namespace

AreaAxis MakeAreaAxis(uint32_t src_size, uint32_t dst_size) {
  // Work in units of 1/(src*dst): source pixel s spans [s*dst, (s+1)*dst), output i spans
  // [i*src, (i+1)*src), so every boundary is an integer and coverage is exact.
  const uint64_t n = src_size, m = dst_size;
  AreaAxis axis;
  const uint32_t taps = AxisTaps(n, m);
  if (!axis.start.Allocate(m) || !axis.weights.Allocate(m * taps)) return AreaAxis{};
  axis.taps = taps;
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
  static const ResizeKernels kernels{AccumulateScalar, FinishVerticalScalar, HorizontalScalar};
  return kernels;
}

const ResizeKernels& BestResizeKernels() {
  const ResizeKernels* simd = Simd128ResizeKernels();
  return simd ? *simd : ScalarResizeKernels();
}

uint64_t StreamingAreaResize::WorkingBytes(uint32_t src_width, uint32_t src_height, uint32_t dst_width,
                                           uint32_t dst_height) {
  // The taps of an axis are at most ceil(src / dst) + 1.
  const auto axis = [](uint64_t n, uint64_t m) { return m * 4 + m * ((n + m - 1) / m + 1) * 2; };
  const uint64_t row = uint64_t{src_width} * 3;
  return axis(src_width, dst_width) + axis(src_height, dst_height) + kAccumulators * row * 4 + (row + 4) * 2;
}

bool StreamingAreaResize::Init(const ResizeKernels& kernels, uint32_t src_width, uint32_t src_height,
                               uint8_t* dst, uint32_t dst_width, uint32_t dst_height) {
  if (src_width == 0 || src_height == 0 || dst_width == 0 || dst_height == 0 || dst_width > src_width ||
      dst_height > src_height) {
    return false;
  }
  kernels_ = &kernels;
  columns_ = MakeAreaAxis(src_width, dst_width);
  rows_ = MakeAreaAxis(src_height, dst_height);
  if (columns_.taps == 0 || rows_.taps == 0) return false;
  dst_ = dst;
  src_height_ = src_height, dst_width_ = dst_width, dst_height_ = dst_height;
  row_bytes_ = size_t{src_width} * 3;
  next_row_ = 0, next_out_ = 0;
  // The vertical result is padded because the SIMD horizontal kernel loads 4 samples per pixel.
  return accumulators_.Allocate(kAccumulators * row_bytes_) && vertical_.Allocate(row_bytes_ + 4);
}

void StreamingAreaResize::PushRow(const uint8_t* rgb) {
  if (next_row_ >= src_height_) return;
  const uint32_t r = next_row_++;
  const uint32_t taps = rows_.taps;
  // Every unfinished output row whose window holds r gets r's weighted samples. Windows only move
  // forward, so the scan stops at the first window that starts below r.
  for (uint32_t y = next_out_; y < dst_height_ && rows_.start[y] <= r; ++y) {
    if (r >= rows_.start[y] + taps) continue;
    const uint16_t weight = rows_.weights[size_t{y} * taps + (r - rows_.start[y])];
    if (weight != 0) kernels_->accumulate(rgb, weight, row_bytes_, Accumulator(y));
  }
  // Output rows whose window ends at r are complete.
  while (next_out_ < dst_height_ && rows_.start[next_out_] + taps - 1 <= r) {
    uint32_t* acc = Accumulator(next_out_);
    kernels_->finish_vertical(acc, row_bytes_, vertical_.data());
    kernels_->horizontal(vertical_.data(), columns_, dst_width_, dst_ + size_t{next_out_} * dst_width_ * 3);
    std::fill(acc, acc + row_bytes_, 0u);
    ++next_out_;
  }
}

void AreaResizeRgbWith(const ResizeKernels& kernels, const uint8_t* src, uint32_t src_width,
                       uint32_t src_height, uint8_t* dst, uint32_t dst_width, uint32_t dst_height) {
  StreamingAreaResize resize;
  if (!resize.Init(kernels, src_width, src_height, dst, dst_width, dst_height)) return;
  for (uint32_t y = 0; y < src_height; ++y) resize.PushRow(src + size_t{y} * src_width * 3);
}

void AreaResizeRgb(const uint8_t* src, uint32_t src_width, uint32_t src_height, uint8_t* dst,
                   uint32_t dst_width, uint32_t dst_height) {
  AreaResizeRgbWith(BestResizeKernels(), src, src_width, src_height, dst, dst_width, dst_height);
}

}  // namespace nb
