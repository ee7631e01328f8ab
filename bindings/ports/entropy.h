// Filling a buffer from a getentropy-like source (at most 256 bytes per call, 0 on success), shared
// by the Worker's Random (WASI random_get) and the tests' SystemRandom. The Random port has no error
// channel, and predictable bytes (a zeroed session token, a guessable OAuth state) must never be
// returned as random: a failed call is reported so the caller can stop the instance instead.
#pragma once

#include <cstddef>

namespace nb {

inline constexpr size_t kEntropyChunkBytes = 256;  // getentropy's limit per call

// True when every byte came from `source`; false at the first failed call (the buffer is then
// partly filled and must not be used).
template <class Source>
bool FillFromEntropy(unsigned char* out, size_t n, Source source) {
  for (size_t done = 0; done < n;) {
    const size_t chunk = n - done < kEntropyChunkBytes ? n - done : kEntropyChunkBytes;
    if (source(out + done, chunk) != 0) return false;
    done += chunk;
  }
  return true;
}

}  // namespace nb
