// The key-value port (Workers KV): eventually consistent strings with an optional time to live.
#pragma once

#include <optional>
#include <string>

#include "ports/status.h"

namespace nb {

class KeyValue {
 public:
  virtual ~KeyValue() = default;
  virtual Result<std::optional<std::string>> Get(const std::string& key) = 0;
  // KV's minimum TTL is 60 s; both implementations refuse shorter ones alike.
  virtual Status Put(const std::string& key, const std::string& value,
                     std::optional<int64_t> ttl_seconds = std::nullopt) = 0;
  virtual Status Delete(const std::string& key) = 0;
};

inline constexpr int64_t kMinKvTtlSeconds = 60;

}  // namespace nb
