// The key-value port in memory, refusing what Workers KV refuses (key length, TTL under 60 s, oversized
// values) and expiring entries by a Clock so tests can step past a TTL.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>

#include "adapter_mutex.h"
#include "ports/clock.h"
#include "ports/key_value.h"

namespace nb {

class MemoryKeyValue final : public KeyValue {
 public:
  static constexpr size_t kMaxKeyBytes = 512;                 // KV's key limit
  static constexpr size_t kMaxValueBytes = 25 * 1024 * 1024;  // KV's value limit (25 MiB)

  explicit MemoryKeyValue(Clock& clock) : clock_(clock) {}

  Result<std::optional<std::string>> Get(const std::string& key) override;
  Status Put(const std::string& key, const std::string& value,
             std::optional<int64_t> ttl_seconds = std::nullopt) override;
  Status Delete(const std::string& key) override;

  // Live (unexpired) entries, for test assertions.
  size_t size();

 private:
  struct Entry {
    std::string value;
    std::optional<int64_t> expires_ms;  // absent: never expires
  };
  bool Expired(const Entry& e, int64_t now_ms) const { return e.expires_ms && now_ms >= *e.expires_ms; }

  Clock& clock_;
  AdapterMutex mu_;
  std::map<std::string, Entry> entries_;
};

}  // namespace nb
