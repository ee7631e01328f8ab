#pragma once

#include <cstdint>

namespace nb {

class Clock {
 public:
  virtual ~Clock() = default;
  virtual int64_t NowMs() = 0;  // milliseconds since the Unix epoch
};

}  // namespace nb
