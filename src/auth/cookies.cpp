#include "auth/cookies.h"

namespace nb {

namespace {

// Calls found(value) for every cookie named `name`, in order; stops when found returns false.
template <class Found>
void EachCookie(const std::string& cookie_header, const std::string& name, Found found) {
  size_t pos = 0;
  while (pos < cookie_header.size()) {
    size_t end = cookie_header.find(';', pos);
    if (end == std::string::npos) end = cookie_header.size();
    size_t start = cookie_header.find_first_not_of(' ', pos);
    if (start < end) {
      const size_t eq = cookie_header.find('=', start);
      if (eq != std::string::npos && eq < end && cookie_header.compare(start, eq - start, name) == 0 &&
          eq - start == name.size()) {
        if (!found(cookie_header.substr(eq + 1, end - eq - 1))) return;
      }
    }
    pos = end + 1;
  }
}

}  // namespace

std::optional<std::string> SoleCookieValue(const std::string& cookie_header, const std::string& name) {
  std::optional<std::string> value;
  int seen = 0;
  EachCookie(cookie_header, name, [&](std::string v) {
    value = std::move(v);
    return ++seen < 2;
  });
  if (seen != 1) return std::nullopt;
  return value;
}

std::optional<std::string> CookieValue(const std::string& cookie_header, const std::string& name) {
  std::optional<std::string> value;
  EachCookie(cookie_header, name, [&](std::string v) {
    value = std::move(v);
    return false;  // the first one
  });
  return value;
}

std::string SetCookie(const std::string& name, const std::string& value, const std::string& path,
                      int64_t max_age_seconds) {
  return name + "=" + value + "; Path=" + path + "; Max-Age=" + std::to_string(max_age_seconds) +
         "; HttpOnly; Secure; SameSite=Lax";
}

std::string ClearCookie(const std::string& name, const std::string& path) {
  return name + "=; Path=" + path + "; Max-Age=0; HttpOnly; Secure; SameSite=Lax";
}

}  // namespace nb
