#include "memory_key_value.h"

namespace nb {
namespace {

Status CheckKey(const std::string& key) {
  if (key.empty()) return Status::InvalidArgument("KV key is empty");
  if (key.size() > MemoryKeyValue::kMaxKeyBytes)
    return Status::InvalidArgument("KV key longer than 512 bytes");
  if (key == "." || key == "..") return Status::InvalidArgument("KV key cannot be '.' or '..'");
  return Status::Ok();
}

}  // namespace

Result<std::optional<std::string>> MemoryKeyValue::Get(const std::string& key) {
  NB_RETURN_IF_ERROR(CheckKey(key));
  AdapterLock lock(mu_);
  auto it = entries_.find(key);
  if (it == entries_.end()) return std::optional<std::string>();
  if (Expired(it->second, clock_.NowMs())) {
    entries_.erase(it);
    return std::optional<std::string>();
  }
  return std::optional<std::string>(it->second.value);
}

Status MemoryKeyValue::Put(const std::string& key, const std::string& value,
                           std::optional<int64_t> ttl_seconds) {
  NB_RETURN_IF_ERROR(CheckKey(key));
  if (value.size() > kMaxValueBytes) return Status::InvalidArgument("KV value larger than 25 MiB");
  if (ttl_seconds && *ttl_seconds < kMinKvTtlSeconds) {
    return Status::InvalidArgument("KV expiration TTL must be at least 60 seconds");
  }
  AdapterLock lock(mu_);
  Entry entry{value, std::nullopt};
  if (ttl_seconds) {
    // A TTL so long it overflows the millisecond clock simply never expires.
    int64_t ttl_ms = 0;
    int64_t expires_ms = 0;
    if (!__builtin_mul_overflow(*ttl_seconds, int64_t{1000}, &ttl_ms) &&
        !__builtin_add_overflow(clock_.NowMs(), ttl_ms, &expires_ms)) {
      entry.expires_ms = expires_ms;
    }
  }
  entries_[key] = std::move(entry);
  return Status::Ok();
}

Status MemoryKeyValue::Delete(const std::string& key) {
  NB_RETURN_IF_ERROR(CheckKey(key));
  AdapterLock lock(mu_);
  entries_.erase(key);
  return Status::Ok();
}

size_t MemoryKeyValue::size() {
  AdapterLock lock(mu_);
  const int64_t now = clock_.NowMs();
  size_t live = 0;
  for (const auto& [key, entry] : entries_) live += Expired(entry, now) ? 0 : 1;
  return live;
}

}  // namespace nb
