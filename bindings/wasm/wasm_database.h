#pragma once

#include "ports/database.h"

namespace nb::wasm {

// D1 through the shim: every statement runs as D1's prepare().bind().all(); Batch is D1's batch().
class WasmDatabase final : public Database {
 public:
  Result<SqlResult> Execute(const SqlStatement& statement) override;
  Result<std::vector<SqlResult>> Batch(const std::vector<SqlStatement>& statements) override;
};

}  // namespace nb::wasm
