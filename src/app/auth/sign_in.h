// What every way of signing in ends with: admin promotion by ADMIN_EMAILS, a new server-side
// session, and its cookie.
#pragma once

#include <variant>

#include "app/core/context.h"

namespace nb {

// True when the (lower-cased) email is in the comma list ADMIN_EMAILS.
bool IsConfiguredAdmin(const Config& config, const std::string& email);

// Grants ADMIN when configured, creates the session and adds its Set-Cookie to ctx. Returns the
// user as stored after promotion.
std::variant<User, http::ApiError> StartSession(RequestContext& ctx, User user);

// The client address the rate limits key on.
std::string ClientAddress(const http::Request& request);

// 429 with Retry-After when `limiter` refuses `key`; nullopt when allowed.
std::optional<http::ApiError> CheckRateLimit(RequestContext& ctx, const std::string& limiter,
                                             const std::string& key);

}  // namespace nb
