// The wasm SIMD128 kernels of area_resize.h; same arithmetic as the scalar ones, 16 bytes at a time.
#include "codecs/area_resize.h"

#ifdef __wasm_simd128__
#include <wasm_simd128.h>
#endif

namespace nb {

#ifdef __wasm_simd128__
namespace {

constexpr uint32_t kVerticalShift = kWeightBits - 8;
constexpr uint32_t kHorizontalShift = kWeightBits + 8;

void AccumulateSimd128(const uint8_t* row, uint16_t weight, size_t bytes, uint32_t* acc) {
  const v128_t w = wasm_i16x8_splat(static_cast<int16_t>(weight));
  size_t x = 0;
  for (; x + 16 <= bytes; x += 16) {
    const v128_t v = wasm_v128_load(row + x);
    const v128_t lo = wasm_u16x8_extend_low_u8x16(v), hi = wasm_u16x8_extend_high_u8x16(v);
    uint32_t* a = acc + x;
    wasm_v128_store(a, wasm_i32x4_add(wasm_v128_load(a), wasm_u32x4_extmul_low_u16x8(lo, w)));
    wasm_v128_store(a + 4, wasm_i32x4_add(wasm_v128_load(a + 4), wasm_u32x4_extmul_high_u16x8(lo, w)));
    wasm_v128_store(a + 8, wasm_i32x4_add(wasm_v128_load(a + 8), wasm_u32x4_extmul_low_u16x8(hi, w)));
    wasm_v128_store(a + 12, wasm_i32x4_add(wasm_v128_load(a + 12), wasm_u32x4_extmul_high_u16x8(hi, w)));
  }
  for (; x < bytes; ++x) acc[x] += uint32_t{weight} * row[x];
}

void FinishVerticalSimd128(const uint32_t* acc, size_t bytes, uint16_t* out) {
  const v128_t half = wasm_i32x4_splat(1 << (kVerticalShift - 1));
  size_t x = 0;
  for (; x + 8 <= bytes; x += 8) {
    const v128_t s0 = wasm_u32x4_shr(wasm_i32x4_add(wasm_v128_load(acc + x), half), kVerticalShift);
    const v128_t s1 = wasm_u32x4_shr(wasm_i32x4_add(wasm_v128_load(acc + x + 4), half), kVerticalShift);
    wasm_v128_store(out + x, wasm_u16x8_narrow_i32x4(s0, s1));
  }
  for (; x < bytes; ++x)
    out[x] = static_cast<uint16_t>((acc[x] + (1u << (kVerticalShift - 1))) >> kVerticalShift);
}

void HorizontalSimd128(const uint16_t* row, const AreaAxis& axis, uint32_t out_width, uint8_t* out) {
  const uint32_t taps = axis.taps;
  const v128_t half = wasm_i32x4_splat(1 << (kHorizontalShift - 1));
  for (uint32_t i = 0; i < out_width; ++i) {
    const uint16_t* in = row + size_t{axis.start[i]} * 3;
    const uint16_t* w = axis.weights.data() + size_t{i} * taps;
    v128_t sum = wasm_i32x4_splat(0);
    for (uint32_t k = 0; k < taps; ++k) {
      // Lanes 0-2 are this pixel's R, G, B; lane 3 (the next pixel's R, or the row's padding) is unused.
      const v128_t px = wasm_v128_load64_zero(in + 3 * k);
      sum =
          wasm_i32x4_add(sum, wasm_u32x4_extmul_low_u16x8(px, wasm_i16x8_splat(static_cast<int16_t>(w[k]))));
    }
    sum = wasm_u32x4_shr(wasm_i32x4_add(sum, half), kHorizontalShift);
    out[3 * i] = static_cast<uint8_t>(wasm_i32x4_extract_lane(sum, 0));
    out[3 * i + 1] = static_cast<uint8_t>(wasm_i32x4_extract_lane(sum, 1));
    out[3 * i + 2] = static_cast<uint8_t>(wasm_i32x4_extract_lane(sum, 2));
  }
}

}  // namespace

const ResizeKernels* Simd128ResizeKernels() {
  static const ResizeKernels kernels{AccumulateSimd128, FinishVerticalSimd128, HorizontalSimd128};
  return &kernels;
}

#else

const ResizeKernels* Simd128ResizeKernels() { return nullptr; }

#endif

}  // namespace nb
