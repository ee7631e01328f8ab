#include <catch2/catch.hpp>
#include <cmath>
#include <vector>

#include "codecs/area_resize.h"
#include "codecs/composite_over_white.h"
#include "imaging_samples.h"

namespace nb {
namespace {

// The definition, in floating point: each output pixel is the coverage-weighted mean of the source
// pixels under its footprint.
std::vector<double> ReferenceAreaResize(const std::vector<uint8_t>& src, uint32_t sw, uint32_t sh,
                                        uint32_t dw, uint32_t dh) {
  const auto coverage = [](uint32_t s, uint32_t n, uint32_t i, uint32_t m) {
    const double lo = double(i) * n / m, hi = double(i + 1) * n / m;
    return std::max(0.0, std::min(hi, s + 1.0) - std::max(lo, double(s)));
  };
  std::vector<double> out(size_t{dw} * dh * 3, 0.0);
  for (uint32_t y = 0; y < dh; ++y) {
    for (uint32_t x = 0; x < dw; ++x) {
      for (uint32_t sy = 0; sy < sh; ++sy) {
        const double wy = coverage(sy, sh, y, dh);
        if (wy == 0) continue;
        for (uint32_t sx = 0; sx < sw; ++sx) {
          const double w = wy * coverage(sx, sw, x, dw);
          for (int c = 0; c < 3; ++c)
            out[(size_t{y} * dw + x) * 3 + c] += w * src[(size_t{sy} * sw + sx) * 3 + c];
        }
      }
      for (int c = 0; c < 3; ++c) out[(size_t{y} * dw + x) * 3 + c] /= (double(sw) / dw) * (double(sh) / dh);
    }
  }
  return out;
}

std::vector<const ResizeKernels*> AllKernels() {
  std::vector<const ResizeKernels*> kernels{&ScalarResizeKernels()};
  if (Simd128ResizeKernels() != nullptr) kernels.push_back(Simd128ResizeKernels());
  return kernels;
}

template <typename T>
std::vector<T> Vec(const BudgetArray<T>& a) {
  return std::vector<T>(a.data(), a.data() + a.size());
}

TEST_CASE("MakeAreaAxis weights are exact coverage in Q14 and sum to one", "[imaging][resize]") {
  const AreaAxis third = MakeAreaAxis(3, 2);  // outputs cover 1.5 source pixels each
  REQUIRE(third.taps == 2);
  CHECK(Vec(third.start) == std::vector<uint32_t>{0, 1});
  CHECK(Vec(third.weights) == std::vector<uint16_t>{10923, 5461, 5461, 10923});

  const AreaAxis same = MakeAreaAxis(7, 7);
  CHECK(same.taps == 1);
  CHECK(Vec(same.weights) == std::vector<uint16_t>(7, 16384));

  for (auto [n, m] :
       {std::pair<uint32_t, uint32_t>{4000, 384}, {1024, 384}, {385, 384}, {1000, 1}, {997, 13}, {5, 3}}) {
    const AreaAxis axis = MakeAreaAxis(n, m);
    REQUIRE(axis.start.size() == m);
    for (uint32_t i = 0; i < m; ++i) {
      uint32_t sum = 0;
      for (uint32_t k = 0; k < axis.taps; ++k) sum += axis.weights[size_t{i} * axis.taps + k];
      CHECK(sum == 16384u);
      CHECK(axis.start[i] + axis.taps <= n);  // no tap reads past the source
    }
  }
}

TEST_CASE("AreaResizeRgb matches the floating-point area average within one level", "[imaging][resize]") {
  const std::pair<uint32_t, uint32_t> sizes[][2] = {
      {{64, 48}, {16, 12}}, {{97, 31}, {13, 7}},  {{200, 3}, {61, 2}},  {{1, 50}, {1, 17}},
      {{50, 1}, {17, 1}},   {{33, 33}, {33, 33}}, {{40, 30}, {39, 29}}, {{5, 9}, {1, 1}},
  };
  for (const auto* kernels : AllKernels()) {
    for (const auto& [src, dst] : sizes) {
      const std::vector<uint8_t> pixels =
          samples::Pattern(src.first, src.second, 3, src.first * 7 + src.second);
      std::vector<uint8_t> out(size_t{dst.first} * dst.second * 3, 0xAB);
      AreaResizeRgbWith(*kernels, pixels.data(), src.first, src.second, out.data(), dst.first, dst.second);
      const std::vector<double> want =
          ReferenceAreaResize(pixels, src.first, src.second, dst.first, dst.second);
      double worst = 0;
      for (size_t i = 0; i < out.size(); ++i) worst = std::max(worst, std::abs(out[i] - want[i]));
      INFO(src.first << "x" << src.second << " -> " << dst.first << "x" << dst.second);
      CHECK(worst <= 1.0);
    }
  }
}

TEST_CASE("AreaResizeRgb keeps flat colour exactly flat and copies at scale one", "[imaging][resize]") {
  for (const auto* kernels : AllKernels()) {
    std::vector<uint8_t> flat(123 * 77 * 3);
    for (size_t i = 0; i < flat.size(); ++i)
      flat[i] = static_cast<uint8_t>(i % 3 == 0 ? 255 : i % 3 == 1 ? 0 : 137);
    std::vector<uint8_t> out(31 * 19 * 3);
    AreaResizeRgbWith(*kernels, flat.data(), 123, 77, out.data(), 31, 19);
    for (size_t i = 0; i < out.size(); ++i) REQUIRE(out[i] == flat[i % 3]);

    const std::vector<uint8_t> pattern = samples::Pattern(45, 23, 3);
    std::vector<uint8_t> copy(pattern.size());
    AreaResizeRgbWith(*kernels, pattern.data(), 45, 23, copy.data(), 45, 23);
    CHECK(copy == pattern);
  }
}

TEST_CASE("CompositeOverWhiteToRgb rounds c*a/255 + (255-a) exactly and packs RGB in place",
          "[imaging][resize]") {
  std::vector<uint8_t> rgba(256 * 256 * 4);
  for (uint32_t c = 0; c < 256; ++c) {
    for (uint32_t a = 0; a < 256; ++a) {
      uint8_t* p = &rgba[(c * 256 + a) * 4];
      p[0] = static_cast<uint8_t>(c), p[1] = static_cast<uint8_t>(255 - c), p[2] = 0,
      p[3] = static_cast<uint8_t>(a);
    }
  }
  CompositeOverWhiteToRgb(rgba.data(), 256 * 256);
  for (uint32_t c = 0; c < 256; ++c) {
    for (uint32_t a = 0; a < 256; ++a) {
      const auto want = [&](uint32_t v) {
        return static_cast<int>(std::floor((v * a + 255.0 * (255 - a)) / 255 + 0.5));
      };
      const uint8_t* p = &rgba[(c * 256 + a) * 3];
      REQUIRE(int{p[0]} == want(c));
      REQUIRE(int{p[1]} == want(255 - c));
      REQUIRE(int{p[2]} == want(0));
    }
  }
}

}  // namespace
}  // namespace nb
