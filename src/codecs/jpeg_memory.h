// What our jmemsys implementation (jpeg_memory.cpp, replacing libjpeg's jmemnobs.c) needs to know of
// the decode in progress; the decoder points cinfo->client_data at one of these.
#pragma once

#include <cstdint>

namespace nb {

struct JpegMemoryPolicy {
  // Coefficient arrays go to the lossy DC backing store (1/8-scale decodes of multi-scan files)
  // instead of memory: jpeg_mem_available then reports no room, so libjpeg keeps only the window it
  // is working on in memory.
  bool dc_store = false;
  // Per component, the IDCT size at this scale (what the store must keep exactly) and the bytes of
  // its coefficient array, to tell the arrays apart when libjpeg opens their stores.
  uint32_t components = 0;
  uint32_t dct_scaled_size[4] = {8, 8, 8, 8};
  uint64_t array_bytes[4] = {0, 0, 0, 0};
  // Stores opened (tests check the DC path really ran).
  uint32_t stores_opened = 0;
};

// The 64-bit masks of the coefficients each IDCT size reads (natural order), exposed for tests.
uint64_t KeptCoefficients(uint32_t dct_scaled_size);

}  // namespace nb
