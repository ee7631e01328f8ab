// What every way of signing in ends with: admin promotion by ADMIN_EMAILS, a new server-side
// session, and its cookie.
#pragma once

#include "app/core/api_result.h"
#include "app/core/scope.h"

namespace nb {

// Grants ADMIN when configured, creates the session and adds its Set-Cookie to the scope. Returns
// the user as stored after promotion.
ApiResult<User> StartSession(RequestScope& scope, User user);

}  // namespace nb
