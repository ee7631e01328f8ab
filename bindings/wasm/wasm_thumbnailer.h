#pragma once

#include "ports/thumbnailer.h"

namespace nb::wasm {

// Thumbnails through the shim's `thumbnail` import: js-shim/codec_runner.js reserves the input plus
// `working_bytes` from the isolate's memory budget, runs a fresh codec.wasm instance with exactly that
// much memory, and throws the instance away. This module's own memory never holds decoded pixels.
class WasmThumbnailer final : public Thumbnailer {
 public:
  Result<Thumbnail> Make(std::string_view bytes, uint64_t working_bytes) override;
};

}  // namespace nb::wasm
