#include "wasm/wasm_key_value.h"

#include "wasm/binding_wire.h"
#include "wasm/host_call.h"

namespace nb::wasm {

nlohmann::json KvGetRequest(const std::string& key) { return {{"op", "get"}, {"key", key}}; }

std::optional<std::string> KvGetResult(HostReply& reply) {
  if (!reply.head.value("found", false)) return std::nullopt;
  return std::move(reply.body);
}

Result<std::optional<std::string>> WasmKeyValue::Get(const std::string& key) {
  NB_ASSIGN_OR_RETURN(HostReply reply, CallHost(HostPort::kKv, KvGetRequest(key)));
  return KvGetResult(reply);
}

Status WasmKeyValue::Put(const std::string& key, const std::string& value,
                         std::optional<int64_t> ttl_seconds) {
  if (ttl_seconds && *ttl_seconds < kMinKvTtlSeconds) {
    return Status::InvalidArgument("KV TTL must be at least 60 seconds");
  }
  nlohmann::json head = {{"op", "put"}, {"key", key}};
  if (ttl_seconds) head["ttl"] = *ttl_seconds;
  auto reply = CallHost(HostPort::kKv, head, value);
  return reply.ok() ? Status::Ok() : reply.status();
}

Status WasmKeyValue::Delete(const std::string& key) {
  auto reply = CallHost(HostPort::kKv, {{"op", "delete"}, {"key", key}});
  return reply.ok() ? Status::Ok() : reply.status();
}

}  // namespace nb::wasm
