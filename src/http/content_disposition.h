// Content-Disposition for served files (RFC 6266): a quoted ASCII fallback for old clients plus the
// exact UTF-8 name in filename* (RFC 8187), so "café 🐱.png" survives and nothing breaks the header.
#pragma once

#include <string>

namespace nb::http {

// `inline|attachment; filename="cafe-_.png"; filename*=UTF-8''caf%C3%A9-%F0%9F%90%B1.png`.
// Control characters are dropped; in the fallback every non-ASCII character, quote and backslash
// becomes '_'. An empty name becomes "file".
std::string ContentDisposition(bool attachment, const std::string& filename);

}  // namespace nb::http
