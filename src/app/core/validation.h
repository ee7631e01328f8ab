// Field checks for JSON bodies that collect every problem into one VALIDATION_FAILED error.
#pragma once

#include <nlohmann/json.hpp>
#include <optional>
#include <string>

#include "app/core/api_result.h"
#include "http/api_error.h"

namespace nb {

class FieldErrors {
 public:
  // The string at body[name] trimmed, if present. Records must_be_string / too_long / required.
  std::optional<std::string> String(const nlohmann::json& body, const char* name, size_t max_chars,
                                    bool required);
  // A JSON integer (not a float, not a string) within +/-limit, if present.
  std::optional<int64_t> Integer(const nlohmann::json& body, const char* name, int64_t limit, bool required);
  void Add(const std::string& field, const std::string& message_key) { error_.Field(field, message_key); }

  bool ok() const { return error_.fields.empty(); }
  const http::ApiError& error() const { return error_; }
  // `value` when every field passed, else the one VALIDATION_FAILED error listing them all.
  template <class T>
  ApiResult<T> Or(T value) const {
    if (!ok()) return error_;
    return value;
  }

 private:
  http::ApiError error_{http::ErrorCode::kValidationFailed};
};

// Length in Unicode code points (what a person counts), not bytes.
size_t Utf8Length(const std::string& s);
std::string Trim(const std::string& s);

}  // namespace nb
