// Photo-like test pictures for the thumbnail benchmark, made in code so no binary lives in the repo.
// A flat colour or a checkerboard compresses far better than a picture and so decodes faster; this
// mixes what a photo has: smooth lighting gradients, soft blobs (out-of-focus shapes), fine texture
// and per-channel sensor-like noise. Deterministic. Separable tables keep it cheap at 12 megapixels.
#pragma once

#include <cmath>
#include <cstdint>
#include <vector>

namespace nb::bench {

// grain: the noise's half-range in levels (a triangular distribution, denser near zero).
inline std::vector<uint8_t> PhotoLikeRgb(uint32_t width, uint32_t height, float grain, uint32_t seed = 7) {
  constexpr double kPi = 3.14159265358979323846;
  // Per channel: a low-frequency wave along each axis (lighting), a product of mid-frequency waves
  // (texture whose scale follows the picture size, as a photo's does) and a fixed offset (colour cast).
  std::vector<float> low_x(size_t{width} * 3), low_y(size_t{height} * 3);
  std::vector<float> mid_x(size_t{width} * 3), mid_y(size_t{height} * 3);
  for (uint32_t c = 0; c < 3; ++c) {
    for (uint32_t x = 0; x < width; ++x) {
      const double u = double(x) / width;
      low_x[x * 3 + c] = float(60 * std::sin(2 * kPi * (u * (0.7 + 0.3 * c) + 0.1 * c)));
      mid_x[x * 3 + c] = float(std::sin(2 * kPi * u * (23 + 7 * c)) + 0.5 * std::sin(2 * kPi * u * 97));
    }
    for (uint32_t y = 0; y < height; ++y) {
      const double v = double(y) / height;
      low_y[y * 3 + c] = float(50 * std::cos(2 * kPi * (v * (0.5 + 0.4 * c) + 0.2 * c)));
      mid_y[y * 3 + c] = float(std::sin(2 * kPi * v * (17 + 5 * c)) + 0.5 * std::cos(2 * kPi * v * 71));
    }
  }
  // Soft discs: centre, radius (fractions of the width), colour.
  struct Blob {
    float cx, cy, r, rgb[3];
  };
  const Blob blobs[] = {{0.3f, 0.35f, 0.18f, {70, 20, -30}},
                        {0.7f, 0.6f, 0.22f, {-40, 30, 60}},
                        {0.5f, 0.85f, 0.12f, {50, 50, -10}}};
  std::vector<uint8_t> out(size_t{width} * height * 3);
  uint32_t noise = seed * 2654435761u + 1;
  for (uint32_t y = 0; y < height; ++y) {
    for (uint32_t x = 0; x < width; ++x) {
      float blob[3] = {0, 0, 0};
      for (const Blob& b : blobs) {
        const float dx = float(x) / width - b.cx, dy = float(y) / width - b.cy * height / width;
        const float d2 = (dx * dx + dy * dy) / (b.r * b.r);
        if (d2 < 1) {
          const float w = (1 - d2) * (1 - d2);
          for (int c = 0; c < 3; ++c) blob[c] += w * b.rgb[c];
        }
      }
      uint8_t* p = out.data() + (size_t{y} * width + x) * 3;
      for (uint32_t c = 0; c < 3; ++c) {
        noise ^= noise << 13, noise ^= noise >> 17, noise ^= noise << 5;
        const float n = float(int(noise & 15) + int((noise >> 4) & 15) - 15) * (grain / 15);
        const float v = 120 + 10 * c + low_x[x * 3 + c] + low_y[y * 3 + c] +
                        12 * mid_x[x * 3 + c] * mid_y[y * 3 + c] + blob[c] + n;
        p[c] = static_cast<uint8_t>(v < 0 ? 0 : v > 255 ? 255 : v);
      }
    }
  }
  return out;
}

}  // namespace nb::bench
