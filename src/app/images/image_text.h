// The rules for an image's title and description, shared by the upload form and PATCH.
#pragma once

#include <cstddef>
#include <optional>
#include <string>

#include "app/core/validation.h"

namespace nb {

inline constexpr size_t kMaxImageTitleChars = 200;
inline constexpr size_t kMaxImageDescriptionChars = 2000;

// `value` trimmed, or nullopt with a field error: too_long (in code points) or control_characters.
// A NUL or an escape sequence has no place in a title; a description may keep line breaks and tabs.
// `field` is "title" or "description".
std::optional<std::string> CheckImageText(FieldErrors& errors, const std::string& field,
                                          const std::string& value);

}  // namespace nb
