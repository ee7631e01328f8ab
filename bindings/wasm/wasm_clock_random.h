#pragma once

#include <time.h>
#include <unistd.h>

#include "ports/clock.h"
#include "ports/entropy.h"
#include "ports/random.h"

namespace nb::wasm {

// Both go through WASI (clock_time_get, random_get), which the shim maps to Date.now and
// crypto.getRandomValues: synchronous, so no suspension.
class WasiClock final : public Clock {
 public:
  int64_t NowMs() override {
    timespec ts{};
    clock_gettime(CLOCK_REALTIME, &ts);
    return static_cast<int64_t>(ts.tv_sec) * 1000 + ts.tv_nsec / 1000000;
  }
};

class WasiRandom final : public Random {
 public:
  std::string Bytes(size_t n) override {
    std::string out(n, '\0');
    // getentropy's result was once ignored: a failing random_get left zeros in session tokens and
    // OAuth states. Now the instance traps (the shim drops it and answers 500) instead.
    if (!FillFromEntropy(reinterpret_cast<unsigned char*>(out.data()), n,
                         [](unsigned char* p, size_t len) { return getentropy(p, len); })) {
      __builtin_trap();
    }
    return out;
  }
};

}  // namespace nb::wasm
