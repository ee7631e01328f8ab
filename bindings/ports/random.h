#pragma once

#include <string>

namespace nb {

class Random {
 public:
  virtual ~Random() = default;
  virtual std::string Bytes(size_t n) = 0;  // cryptographically strong in the Worker
};

}  // namespace nb
