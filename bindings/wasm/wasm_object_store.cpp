#include "wasm/wasm_object_store.h"

#include "wasm/binding_wire.h"
#include "wasm/host_call.h"

namespace nb::wasm {
namespace {

ObjectInfo InfoFromJson(const nlohmann::json& j) {
  ObjectInfo info;
  info.key = j.value("key", "");
  info.size = j.value("size", int64_t{0});
  info.etag = j.value("etag", "");
  info.uploaded_ms = j.value("uploadedMs", int64_t{0});
  info.metadata.content_type = j.value("contentType", "");
  if (j.contains("custom") && j["custom"].is_object()) {
    for (auto& [k, v] : j["custom"].items()) {
      if (v.is_string()) info.metadata.custom[k] = v.get<std::string>();
    }
  }
  return info;
}

}  // namespace

Result<ObjectInfo> WasmObjectStore::Put(const std::string& key, const std::string& bytes,
                                        const ObjectMetadata& metadata) {
  nlohmann::json head = {
      {"op", "put"}, {"key", key}, {"contentType", metadata.content_type}, {"custom", metadata.custom}};
  NB_ASSIGN_OR_RETURN(HostReply reply, CallHost(HostPort::kR2, head, bytes));
  return InfoFromJson(reply.head["object"]);
}

Result<std::optional<ObjectBody>> WasmObjectStore::Get(const std::string& key,
                                                       const std::optional<ByteRange>& range) {
  nlohmann::json head = {{"op", "get"}, {"key", key}};
  if (range) {
    nlohmann::json r = nlohmann::json::object();
    if (range->offset) r["offset"] = *range->offset;
    if (range->length) r["length"] = *range->length;
    if (range->suffix) r["suffix"] = *range->suffix;
    head["range"] = std::move(r);
  }
  NB_ASSIGN_OR_RETURN(HostReply reply, CallHost(HostPort::kR2, head));
  if (!reply.head.value("found", false)) return std::optional<ObjectBody>();
  ObjectBody body;
  body.info = InfoFromJson(reply.head["object"]);
  body.range_offset = reply.head.value("rangeOffset", int64_t{0});
  body.bytes = std::move(reply.body);
  return std::optional<ObjectBody>(std::move(body));
}

nlohmann::json R2HeadRequest(const std::string& key) { return {{"op", "head"}, {"key", key}}; }

std::optional<ObjectInfo> R2HeadResult(const HostReply& reply) {
  if (!reply.head.value("found", false)) return std::nullopt;
  return InfoFromJson(reply.head["object"]);
}

Result<std::optional<ObjectInfo>> WasmObjectStore::Head(const std::string& key) {
  NB_ASSIGN_OR_RETURN(HostReply reply, CallHost(HostPort::kR2, R2HeadRequest(key)));
  return R2HeadResult(reply);
}

Status WasmObjectStore::Delete(const std::vector<std::string>& keys) {
  if (keys.empty()) return Status::Ok();
  auto reply = CallHost(HostPort::kR2, {{"op", "delete"}, {"keys", keys}});
  return reply.ok() ? Status::Ok() : reply.status();
}

Result<ObjectList> WasmObjectStore::List(const std::string& prefix, int limit,
                                         const std::optional<std::string>& cursor) {
  nlohmann::json head = {{"op", "list"}, {"prefix", prefix}, {"limit", limit}};
  if (cursor) head["cursor"] = *cursor;
  NB_ASSIGN_OR_RETURN(HostReply reply, CallHost(HostPort::kR2, head));
  ObjectList list;
  for (const auto& o : reply.head["objects"]) list.objects.push_back(InfoFromJson(o));
  if (reply.head.contains("cursor") && reply.head["cursor"].is_string()) {
    list.cursor = reply.head["cursor"].get<std::string>();
  }
  return list;
}

}  // namespace nb::wasm
