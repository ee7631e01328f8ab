#include "http/json_body.h"

namespace nb::http {
namespace {

// nlohmann's parser recurses per nesting level; a body of 60 000 '[' would exhaust the wasm stack.
bool NestingWithin(const std::string& text, int max_depth) {
  int depth = 0;
  bool in_string = false;
  for (size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if (in_string) {
      if (c == '\\') ++i;
      else if (c == '"') in_string = false;
    } else if (c == '"') {
      in_string = true;
    } else if (c == '[' || c == '{') {
      if (++depth > max_depth) return false;
    } else if (c == ']' || c == '}') {
      --depth;
    }
  }
  return true;
}

}  // namespace

std::variant<nlohmann::json, ApiError> ReadJsonObject(const Request& request, size_t limit) {
  if (request.body.size() > limit) {
    return ApiError(ErrorCode::kPayloadTooLarge, "error.body_too_large").Arg("limit", std::to_string(limit));
  }
  const std::string type = request.Header("content-type").value_or("");
  if (!type.empty() && type.find("application/json") == std::string::npos) {
    return ApiError(ErrorCode::kUnsupportedMediaType, "error.json_content_type");
  }
  if (!NestingWithin(request.body, kMaxJsonDepth)) return ApiError(ErrorCode::kBadRequest, "error.json_malformed");
  auto parsed = nlohmann::json::parse(request.body, nullptr, /*allow_exceptions=*/false);
  if (parsed.is_discarded()) return ApiError(ErrorCode::kBadRequest, "error.json_malformed");
  if (!parsed.is_object()) return ApiError(ErrorCode::kBadRequest, "error.json_not_object");
  return parsed;
}

}  // namespace nb::http
