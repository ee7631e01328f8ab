// Random ports: SeededRandom repeats the same bytes for the same seed (tests); SystemRandom is the
// system's CSPRNG through getentropy (crypto.getRandomValues() in the Worker), which glibc and WASI
// (random_get) both have.
#pragma once

#include <unistd.h>

#include <cstdint>
#include <cstdlib>
#include <string>

#include "ports/entropy.h"
#include "ports/random.h"

namespace nb {

// splitmix64: tiny, full-period over 2^64, and good enough to make test ids look random.
class SeededRandom final : public Random {
 public:
  explicit SeededRandom(uint64_t seed = 42) : state_(seed) {}

  std::string Bytes(size_t n) override {
    std::string out;
    out.reserve(n);
    while (out.size() < n) {
      uint64_t v = Next();
      for (int i = 0; i < 8 && out.size() < n; ++i, v >>= 8) out.push_back(static_cast<char>(v & 0xff));
    }
    return out;
  }

  uint64_t Next() {
    uint64_t z = (state_ += 0x9e3779b97f4a7c15ULL);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    return z ^ (z >> 31);
  }

 private:
  uint64_t state_;
};

class SystemRandom final : public Random {
 public:
  std::string Bytes(size_t n) override {
    std::string out(n, '\0');
    // The port has no error channel, and weak randomness must never be returned silently.
    if (!FillFromEntropy(reinterpret_cast<unsigned char*>(out.data()), n,
                         [](unsigned char* p, size_t len) { return getentropy(p, len); })) {
      std::abort();
    }
    return out;
  }
};

}  // namespace nb
