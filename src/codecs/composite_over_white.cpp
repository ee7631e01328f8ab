#include "codecs/composite_over_white.h"

namespace nb {
namespace {

// round(c * a / 255 + 255 - a) without a division: x / 255 rounded is (x + 128 + ((x + 128) >> 8)) >> 8.
inline uint8_t Over(uint32_t c, uint32_t a) {
  const uint32_t x = c * a + 255 * (255 - a) + 128;
  return static_cast<uint8_t>((x + (x >> 8)) >> 8);
}

}  // namespace

void CompositeOverWhiteToRgb(uint8_t* rgba, size_t pixels) {
  // Writing pixel i at 3i never overtakes reading it at 4i, so one buffer serves both.
  for (size_t i = 0; i < pixels; ++i) {
    const uint8_t* in = rgba + 4 * i;
    uint8_t* out = rgba + 3 * i;
    const uint32_t a = in[3];
    const uint8_t r = in[0], g = in[1], b = in[2];
    if (a == 255) {
      out[0] = r, out[1] = g, out[2] = b;
    } else {
      out[0] = Over(r, a), out[1] = Over(g, a), out[2] = Over(b, a);
    }
  }
}

}  // namespace nb
