// The thumbnail port in-process: src/codecs on the caller's own heap. Used by the native tests; the
// Worker runs the same engine in a throwaway codec instance instead (see wasm/wasm_thumbnailer.h).
#pragma once

#include "ports/thumbnailer.h"

namespace nb {

class LocalThumbnailer final : public Thumbnailer {
 public:
  Result<Thumbnail> Make(std::string_view bytes, uint64_t working_bytes) override;

  int calls = 0;  // for tests that check a path never decodes
};

}  // namespace nb
