// Route tables, one function per area so each file stays about one thing.
#pragma once

#include "app/context.h"
#include "http/router.h"

namespace nb {

void AddPublicRoutes(http::Router<Handler>& router);
void AddAuthRoutes(http::Router<Handler>& router, const Config& config);
void AddMeRoutes(http::Router<Handler>& router);
void AddAdminRoutes(http::Router<Handler>& router);
// Test-only endpoints (concurrency, trap recovery, error paths); mounted only when DEBUG_ROUTES is "true".
void AddDebugRoutes(http::Router<Handler>& router);

}  // namespace nb
