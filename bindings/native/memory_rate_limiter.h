#pragma once

#include <map>
#include <string>
#include <utility>

#include "ports/clock.h"
#include "ports/rate_limiter.h"

namespace nb {

// Fixed-window counting per (limiter, key), like the Workers binding's simple {limit, period}.
class MemoryRateLimiter final : public RateLimiter {
 public:
  MemoryRateLimiter(Clock& clock, int limit, int period_seconds)
      : clock_(clock), limit_(limit), period_ms_(int64_t{period_seconds} * 1000) {}

  Result<bool> Allow(const std::string& limiter, const std::string& key) override {
    const int64_t window = clock_.NowMs() / period_ms_;
    auto& [seen_window, count] = counts_[{limiter, key}];
    if (seen_window != window) {
      seen_window = window;
      count = 0;
    }
    return ++count <= limit_;
  }

 private:
  Clock& clock_;
  int limit_;
  int64_t period_ms_;
  std::map<std::pair<std::string, std::string>, std::pair<int64_t, int>> counts_;
};

}  // namespace nb
