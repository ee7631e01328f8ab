// Who is calling: the session cookie resolved to a live user. A session whose user was deleted is
// revoked on sight.
#pragma once

#include "app/core/api_result.h"
#include "app/core/scope.h"

namespace nb {

// Resolves scope.caller once; afterwards scope.language is the user's. Port failures are returned.
Status Authenticate(RequestScope& scope);

// The signed-in user, or the error to answer (401, or 500/503 when a port failed).
ApiResult<User> RequireUser(RequestScope& scope);

}  // namespace nb
