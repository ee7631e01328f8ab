// The profile fields a person may set about themselves — firstName, lastName, language — read the
// same way wherever they arrive (dev sign-in, PATCH /api/me), so the limits cannot drift apart.
#pragma once

#include <nlohmann/json.hpp>
#include <optional>
#include <string>

#include "app/core/validation.h"

namespace nb {

struct ProfileFields {
  std::optional<std::string> first_name, last_name, language;
};

// Each field is optional; problems are recorded in `errors` (too long, not a string, a language the
// app does not speak).
ProfileFields ReadProfileFields(FieldErrors& errors, const nlohmann::json& body);

}  // namespace nb
