// Row ids: 128 random bits as lowercase hex. Unguessable, so an id alone never grants access,
// and safe in URLs and R2 keys without escaping.
#pragma once

#include <string>

#include "ports/random.h"

namespace nb {

inline constexpr size_t kIdLength = 32;

// 32 lowercase hex characters from 16 random bytes.
std::string NewId(Random& random);

// True for the shape NewId produces; lets handlers reject junk ids before querying.
bool IsValidId(const std::string& id);

}  // namespace nb
