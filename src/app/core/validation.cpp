#include "app/core/validation.h"

namespace nb {

size_t Utf8Length(const std::string& s) {
  size_t n = 0;
  for (unsigned char c : s) n += (c & 0xC0) != 0x80;
  return n;
}

std::string Trim(const std::string& s) {
  const size_t start = s.find_first_not_of(" \t\r\n");
  if (start == std::string::npos) return "";
  return s.substr(start, s.find_last_not_of(" \t\r\n") - start + 1);
}

std::optional<std::string> FieldErrors::String(const nlohmann::json& body, const char* name, size_t max_chars,
                                               bool required) {
  auto it = body.find(name);
  if (it == body.end() || it->is_null()) {
    if (required) Add(name, "field.required");
    return std::nullopt;
  }
  if (!it->is_string()) {
    Add(name, "field.must_be_string");
    return std::nullopt;
  }
  std::string value = Trim(it->get<std::string>());
  if (Utf8Length(value) > max_chars) {
    Add(name, "field.too_long");
    return std::nullopt;
  }
  if (required && value.empty()) {
    Add(name, "field.required");
    return std::nullopt;
  }
  return value;
}

std::optional<int64_t> FieldErrors::Integer(const nlohmann::json& body, const char* name, int64_t limit,
                                            bool required) {
  auto it = body.find(name);
  if (it == body.end() || it->is_null()) {
    if (required) Add(name, "field.required");
    return std::nullopt;
  }
  // Only a JSON integer literal: 5.0, "5" and 1e3 are refused rather than guessed at.
  if (!it->is_number_integer()) {
    Add(name, "field.must_be_integer");
    return std::nullopt;
  }
  const int64_t value = it->is_number_unsigned() && it->get<uint64_t>() > static_cast<uint64_t>(limit)
                            ? limit + 1
                            : it->get<int64_t>();
  if (value > limit || value < -limit) {
    Add(name, "field.out_of_range");
    return std::nullopt;
  }
  return value;
}

}  // namespace nb
