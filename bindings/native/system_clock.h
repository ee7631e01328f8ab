// The real wall clock (Date.now() in the Worker).
#pragma once

#include <chrono>
#include <cstdint>

#include "ports/clock.h"

namespace nb {

class SystemClock final : public Clock {
 public:
  int64_t NowMs() override {
    using namespace std::chrono;
    return duration_cast<milliseconds>(system_clock::now().time_since_epoch()).count();
  }
};

}  // namespace nb
