// The rate-limit port (the Workers rate-limiting binding): is one more event for `key` allowed
// under the named limiter's budget?
#pragma once

#include <string>

#include "ports/status.h"

namespace nb {

class RateLimiter {
 public:
  virtual ~RateLimiter() = default;
  // limiter: the binding's name, e.g. "AUTH_RATE_LIMITER".
  virtual Result<bool> Allow(const std::string& limiter, const std::string& key) = 0;
};

}  // namespace nb
