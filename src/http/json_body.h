// Reading a JSON request body with a size limit and clear errors, without exceptions.
#pragma once

#include <cstddef>
#include <nlohmann/json.hpp>
#include <variant>

#include "http/api_error.h"
#include "http/request.h"

namespace nb::http {

inline constexpr size_t kDefaultJsonLimit = 64 * 1024;
inline constexpr int kMaxJsonDepth = 32;

// The parsed object, or the error to answer: 413 over the limit, 415 for a non-JSON content type,
// 400 for malformed JSON or a non-object.
std::variant<nlohmann::json, ApiError> ReadJsonObject(const Request& request,
                                                      size_t limit = kDefaultJsonLimit);

}  // namespace nb::http
