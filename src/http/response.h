// An outgoing HTTP response. Bytes that already sit in R2 can be named instead of copied, so the
// shim streams them without passing them through wasm memory.
#pragma once

#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace nb::http {

struct ObjectStreamBody {
  std::string key;
  std::optional<int64_t> offset;
  std::optional<int64_t> length;
};

struct Response {
  int status = 200;
  std::vector<std::pair<std::string, std::string>> headers;
  std::string body;
  std::optional<ObjectStreamBody> object_body;

  Response& SetHeader(const std::string& name, const std::string& value);
  std::optional<std::string> Header(const std::string& name) const;

  static Response Json(int status, const nlohmann::json& body);
  static Response NoContent();
  static Response Redirect(const std::string& location);
};

}  // namespace nb::http
