#pragma once

#include <string>
#include <utility>
#include <vector>

namespace nb {

// RFC 3986 percent-encoding of everything but unreserved characters.
inline std::string UrlEncode(const std::string& in) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  std::string out;
  for (unsigned char c : in) {
    if ((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '.' ||
        c == '_' || c == '~') {
      out.push_back(static_cast<char>(c));
    } else {
      out.push_back('%');
      out.push_back(kHex[c >> 4]);
      out.push_back(kHex[c & 15]);
    }
  }
  return out;
}

// "a=1&b=x%20y" for query strings and application/x-www-form-urlencoded bodies.
inline std::string FormEncode(const std::vector<std::pair<std::string, std::string>>& fields) {
  std::string out;
  for (const auto& [k, v] : fields) {
    if (!out.empty()) out.push_back('&');
    out += UrlEncode(k) + "=" + UrlEncode(v);
  }
  return out;
}

}  // namespace nb
