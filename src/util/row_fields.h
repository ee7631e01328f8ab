// Typed, exception-free reads of a database row (a JSON object keyed by column name).
// D1 hands numbers through JavaScript, so an integer may arrive as a whole-valued double.
#pragma once

#include <cstdint>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>

namespace nb {

// nullopt when the column is missing, NULL or not text.
std::optional<std::string> RowString(const nlohmann::json& row, const char* column);
// nullopt when the column is missing, NULL or not a whole number.
std::optional<int64_t> RowInt(const nlohmann::json& row, const char* column);

// Parses a TEXT column holding JSON; nullopt when missing, NULL or malformed.
std::optional<nlohmann::json> RowJson(const nlohmann::json& row, const char* column);

}  // namespace nb
