// EXIF orientation (1-8) applied to a packed RGB image so the thumbnail is upright: the camera stored
// the pixels as the sensor saw them and the tag says how to turn them for display.
#pragma once

#include <cstdint>

namespace nb {

// dst gets width x height (orientation 1-4) or height x width (5-8) pixels; src and dst must not
// overlap. Orientation values outside 1-8 copy.
void ApplyOrientation(const uint8_t* src, uint32_t width, uint32_t height, uint32_t orientation,
                      uint8_t* dst);

}  // namespace nb
