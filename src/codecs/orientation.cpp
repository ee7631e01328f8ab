#include "codecs/orientation.h"

#include <cstddef>
#include <cstring>

namespace nb {

void ApplyOrientation(const uint8_t* src, uint32_t width, uint32_t height, uint32_t orientation,
                      uint8_t* dst) {
  const bool swap = orientation >= 5 && orientation <= 8;
  const uint32_t out_width = swap ? height : width;
  for (uint32_t y = 0; y < height; ++y) {
    for (uint32_t x = 0; x < width; ++x) {
      // Where source pixel (x, y) lands in the displayed image (EXIF 2.3, tag 0x0112).
      uint32_t ox = x, oy = y;
      switch (orientation) {
        case 2: ox = width - 1 - x; break;                       // mirrored
        case 3: ox = width - 1 - x, oy = height - 1 - y; break;  // rotated 180
        case 4: oy = height - 1 - y; break;                      // flipped vertically
        case 5: ox = y, oy = x; break;                           // transposed
        case 6: ox = height - 1 - y, oy = x; break;              // rotated 90 clockwise
        case 7: ox = height - 1 - y, oy = width - 1 - x; break;  // transversed
        case 8: ox = y, oy = width - 1 - x; break;               // rotated 90 counter-clockwise
        default: break;
      }
      std::memcpy(dst + (size_t{oy} * out_width + ox) * 3, src + (size_t{y} * width + x) * 3, 3);
    }
  }
}

}  // namespace nb
