#pragma once

#include <time.h>
#include <unistd.h>

#include "ports/clock.h"
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
    for (size_t done = 0; done < n; done += 256) {
      const size_t chunk = n - done < 256 ? n - done : 256;  // getentropy's limit
      getentropy(out.data() + done, chunk);
    }
    return out;
  }
};

}  // namespace nb::wasm
