#include "http/json_body.h"

#include <cctype>

namespace nb::http {
namespace {

// nlohmann's parser recurses per nesting level; a body of 60 000 '[' would exhaust the wasm stack.
bool NestingWithin(const std::string& text, int max_depth) {
  int depth = 0;
  bool in_string = false;
  for (size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if (in_string) {
      if (c == '\\')
        ++i;
      else if (c == '"')
        in_string = false;
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

// The media type before any parameters, compared case-insensitively: "text/plain; x=application/json"
// is not JSON (it is a CORS-simple type a cross-site page can send). No header at all is accepted.
bool IsJsonMediaType(const std::string& content_type) {
  std::string type = content_type.substr(0, content_type.find(';'));
  type.erase(0, type.find_first_not_of(" \t"));
  type.erase(type.find_last_not_of(" \t") + 1);
  for (char& c : type) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return content_type.empty() || type == "application/json";
}

}  // namespace

std::variant<nlohmann::json, ApiError> ReadJsonObject(const Request& request, size_t limit) {
  if (request.body.size() > limit) {
    return ApiError(ErrorCode::kPayloadTooLarge, "error.body_too_large").Arg("limit", std::to_string(limit));
  }
  if (!IsJsonMediaType(request.Header("content-type").value_or(""))) {
    return ApiError(ErrorCode::kUnsupportedMediaType, "error.json_content_type");
  }
  if (!NestingWithin(request.body, kMaxJsonDepth))
    return ApiError(ErrorCode::kBadRequest, "error.json_malformed");
  auto parsed = nlohmann::json::parse(request.body, nullptr, /*allow_exceptions=*/false);
  if (parsed.is_discarded()) return ApiError(ErrorCode::kBadRequest, "error.json_malformed");
  if (!parsed.is_object()) return ApiError(ErrorCode::kBadRequest, "error.json_not_object");
  return parsed;
}

}  // namespace nb::http
