#pragma once

#include "ports/key_value.h"

namespace nb::wasm {

// Workers KV through the shim; values travel as raw bytes.
class WasmKeyValue final : public KeyValue {
 public:
  Result<std::optional<std::string>> Get(const std::string& key) override;
  Status Put(const std::string& key, const std::string& value, std::optional<int64_t> ttl_seconds) override;
  Status Delete(const std::string& key) override;
};

}  // namespace nb::wasm
