#pragma once

#include <string>

namespace nb {

// A post-sign-in destination that stays on this site: a path starting with a single '/', no scheme,
// no "//" or "/\" (protocol-relative), no control characters, at most 512 bytes. Anything else -> "/".
std::string SafeRedirectPath(const std::string& requested);

}  // namespace nb
