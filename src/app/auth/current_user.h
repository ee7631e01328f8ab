// Who is calling: the session cookie resolved to a live user. A session whose user was deleted is
// revoked on sight.
#pragma once

#include <variant>

#include "app/core/context.h"

namespace nb {

inline constexpr int64_t kDefaultSessionTtlSeconds = 30 * 24 * 3600;

// Resolves ctx.user once; afterwards ctx.language is the user's. Port failures are returned.
Status Authenticate(RequestContext& ctx);

// The signed-in user, or the error to answer (401, or 500/503 when a port failed).
std::variant<User, http::ApiError> RequireUser(RequestContext& ctx);
// The signed-in admin, or 401/403.
std::variant<User, http::ApiError> RequireAdmin(RequestContext& ctx);

}  // namespace nb
