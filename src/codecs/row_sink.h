// Where a decoder's rows go: packed RGB, top to bottom, each the decoder's output width wide. The
// thumbnail engine's sink is the streaming resize; tests collect rows to compare decodes.
#pragma once

#include <cstdint>

namespace nb {

class RowSink {
 public:
  virtual ~RowSink() = default;
  virtual void Row(const uint8_t* rgb) = 0;
};

}  // namespace nb
