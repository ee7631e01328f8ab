#pragma once

#include <nlohmann/json.hpp>
#include <string>

namespace nb {

// Serialises without aborting on invalid UTF-8 (JSON_NOEXCEPTION turns nlohmann's throw into abort):
// such bytes become U+FFFD. Bodies were already UTF-8-checked by the parser; this guards the rest.
inline std::string JsonText(const nlohmann::json& value) {
  return value.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

}  // namespace nb
