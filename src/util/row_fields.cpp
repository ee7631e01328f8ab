#include "util/row_fields.h"

#include <cmath>

namespace nb {

std::optional<std::string> RowString(const nlohmann::json& row, const char* column) {
  if (!row.is_object()) return std::nullopt;
  auto it = row.find(column);
  if (it == row.end() || !it->is_string()) return std::nullopt;
  return it->get<std::string>();
}

std::optional<int64_t> RowInt(const nlohmann::json& row, const char* column) {
  if (!row.is_object()) return std::nullopt;
  auto it = row.find(column);
  if (it == row.end()) return std::nullopt;
  if (it->is_number_integer()) return it->get<int64_t>();
  if (it->is_number_float()) {
    const double d = it->get<double>();
    // 2^53 bounds what a double holds exactly, and what the database port accepts.
    if (std::isfinite(d) && d == std::floor(d) && std::fabs(d) <= 9007199254740991.0) {
      return static_cast<int64_t>(d);
    }
  }
  return std::nullopt;
}

std::optional<nlohmann::json> RowJson(const nlohmann::json& row, const char* column) {
  auto text = RowString(row, column);
  if (!text) return std::nullopt;
  // allow_exceptions=false: malformed JSON yields a discarded value instead of throwing.
  nlohmann::json parsed = nlohmann::json::parse(*text, nullptr, /*allow_exceptions=*/false);
  if (parsed.is_discarded()) return std::nullopt;
  return parsed;
}

}  // namespace nb
