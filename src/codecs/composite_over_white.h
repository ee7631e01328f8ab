// JPEG has no alpha: transparent pixels are flattened onto white, the way a browser shows them on a
// white page. Done per source pixel, before any averaging, so edges blend as they would on screen.
#pragma once

#include <cstddef>
#include <cstdint>

namespace nb {

// Rewrites `pixels` RGBA pixels in place as packed RGB (the first 3 * pixels bytes).
void CompositeOverWhiteToRgb(uint8_t* rgba, size_t pixels);

}  // namespace nb
