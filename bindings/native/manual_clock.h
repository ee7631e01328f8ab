// A clock that moves only when told to, for tests of TTLs, timestamps and expiry.
#pragma once

#include <cstdint>

#include "ports/clock.h"

namespace nb {

class ManualClock final : public Clock {
 public:
  explicit ManualClock(int64_t now_ms = 1'700'000'000'000) : now_ms_(now_ms) {}

  int64_t NowMs() override { return now_ms_; }
  void Set(int64_t now_ms) { now_ms_ = now_ms; }
  void Advance(int64_t ms) { now_ms_ += ms; }

 private:
  int64_t now_ms_;
};

}  // namespace nb
