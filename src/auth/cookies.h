// Reading the Cookie header and writing Set-Cookie values.
#pragma once

#include <optional>
#include <string>

namespace nb {

inline constexpr char kSessionCookie[] = "nb_session";
inline constexpr char kOAuthCookie[] = "nb_oauth";

// The value of cookie `name` in a Cookie header, if present.
std::optional<std::string> CookieValue(const std::string& cookie_header, const std::string& name);

// HttpOnly, Secure, SameSite=Lax: scripts cannot read it and cross-site POSTs do not carry it.
std::string SetCookie(const std::string& name, const std::string& value, const std::string& path,
                      int64_t max_age_seconds);
std::string ClearCookie(const std::string& name, const std::string& path);

}  // namespace nb
