// The batch-reader port on the Worker: every read of the batch in one `together` binding call, so the
// request suspends once for all of them and the runtime runs them concurrently.
#pragma once

#include "ports/batch_reader.h"

namespace nb::wasm {

class WasmBatchReader final : public BatchReader {
 public:
  ReadBatchResults Read(const ReadBatch& batch) override;
};

}  // namespace nb::wasm
