// Reading the Cookie header and writing Set-Cookie values.
#pragma once

#include <optional>
#include <string>

namespace nb {

// __Host-: the browser accepts it only with Secure, Path=/ and no Domain, so a sibling subdomain or a
// plain-http page cannot plant a session cookie that shadows ours (session fixation).
inline constexpr char kSessionCookie[] = "__Host-nb_session";
inline constexpr char kOAuthCookie[] = "nb_oauth";

// The value of cookie `name` in a Cookie header, if present.
std::optional<std::string> CookieValue(const std::string& cookie_header, const std::string& name);
// The value of cookie `name` only when it appears exactly once. Two cookies of one name mean one was
// planted (another path or a sibling domain); the server cannot tell which, so it trusts neither.
std::optional<std::string> SoleCookieValue(const std::string& cookie_header, const std::string& name);

// HttpOnly, Secure, SameSite=Lax: scripts cannot read it and cross-site POSTs do not carry it.
std::string SetCookie(const std::string& name, const std::string& value, const std::string& path,
                      int64_t max_age_seconds);
std::string ClearCookie(const std::string& name, const std::string& path);

}  // namespace nb
