// Route tables, one function per area so each file stays about one thing.
#pragma once

#include "app/context.h"
#include "http/router.h"

namespace nb {

void AddPublicRoutes(http::Router<Handler>& router);
// GET /api/openapi.json, the embedded API contract (openapi_route.cpp).
void AddOpenApiRoute(http::Router<Handler>& router);
void AddAuthRoutes(http::Router<Handler>& router, const Config& config);
void AddMeRoutes(http::Router<Handler>& router);
void AddAdminRoutes(http::Router<Handler>& router);
// The private gallery: upload, list, stats, get, rename, delete and byte serving (image_routes.cpp).
void AddImageRoutes(http::Router<Handler>& router);
// POST /api/images/generate (generation_routes.cpp); mounted before the gallery's /api/images/:id.
void AddGenerationRoutes(http::Router<Handler>& router);
// Test-only endpoints (concurrency, trap recovery, error paths); mounted only when DEBUG_ROUTES is "true".
void AddDebugRoutes(http::Router<Handler>& router);
// Test-only generation endpoints: redeliver a job, run the sweeper at a given time, audit a user's coins.
void AddGenerationDebugRoutes(http::Router<Handler>& router);

}  // namespace nb
