#pragma once

#include "ports/object_store.h"

namespace nb::wasm {

// R2 through the shim. Object bodies travel as raw bytes, never base64.
class WasmObjectStore final : public ObjectStore {
 public:
  Result<ObjectInfo> Put(const std::string& key, const std::string& bytes,
                         const ObjectMetadata& metadata) override;
  Result<std::optional<ObjectBody>> Get(const std::string& key,
                                        const std::optional<ByteRange>& range) override;
  Result<std::optional<ObjectInfo>> Head(const std::string& key) override;
  Status Delete(const std::vector<std::string>& keys) override;
  Result<ObjectList> List(const std::string& prefix, int limit,
                          const std::optional<std::string>& cursor) override;
};

}  // namespace nb::wasm
