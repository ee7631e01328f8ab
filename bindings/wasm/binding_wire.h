// The request heads and reply decoding of the D1, R2 and KV binding calls, shared by the adapters
// (one call each) and WasmBatchReader (several in one `together` call), so both speak one format.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "ports/database.h"
#include "ports/object_store.h"
#include "wasm/host_call.h"

namespace nb::wasm {

// D1 (wasm_database.cpp): op "all" (one statement) or "batch"; InvalidArgument for an unsafe parameter.
Result<nlohmann::json> D1RequestHead(const char* op, const std::vector<SqlStatement>& statements);
Result<std::vector<SqlResult>> D1Results(HostReply& reply, size_t expected);

// R2 (wasm_object_store.cpp).
nlohmann::json R2HeadRequest(const std::string& key);
std::optional<ObjectInfo> R2HeadResult(const HostReply& reply);

// KV (wasm_key_value.cpp).
nlohmann::json KvGetRequest(const std::string& key);
std::optional<std::string> KvGetResult(HostReply& reply);

}  // namespace nb::wasm
