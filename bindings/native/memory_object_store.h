// The object-store port in memory, behaving like R2 where domain code can tell the difference:
// MD5 etags, upload times from a Clock, byte ranges, sorted paginated listing with an opaque cursor.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <vector>

#include "adapter_mutex.h"
#include "ports/clock.h"
#include "ports/object_store.h"

namespace nb {

class MemoryObjectStore final : public ObjectStore {
 public:
  static constexpr size_t kMaxKeyBytes = 1024;    // R2's key limit
  static constexpr int kMaxListLimit = 1000;      // R2's list() limit
  static constexpr size_t kMaxDeleteKeys = 1000;  // R2's delete() limit

  explicit MemoryObjectStore(Clock& clock) : clock_(clock) {}

  Result<ObjectInfo> Put(const std::string& key, const std::string& bytes,
                         const ObjectMetadata& metadata) override;
  Result<std::optional<ObjectBody>> Get(const std::string& key,
                                        const std::optional<ByteRange>& range = std::nullopt) override;
  Result<std::optional<ObjectInfo>> Head(const std::string& key) override;
  Status Delete(const std::vector<std::string>& keys) override;
  Result<ObjectList> List(const std::string& prefix, int limit,
                          const std::optional<std::string>& cursor = std::nullopt) override;

  size_t size() const;    // number of stored objects, for test assertions
  int writes() const;     // Put and Delete calls so far, for tests of paths that must only read

 private:
  struct Entry {
    ObjectInfo info;
    std::string bytes;
  };

  Clock& clock_;
  mutable AdapterMutex mu_;
  std::map<std::string, Entry> objects_;
  int writes_ = 0;  // ordered: List walks keys lexicographically
};

}  // namespace nb
