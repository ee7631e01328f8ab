// The route table, one function per feature folder so each stays about one thing. App (app/app.cpp)
// mounts them in this order.
#pragma once

#include "app/core/route_table.h"

namespace nb {

void AddPublicRoutes(RouteTable& app);  // public/
// GET /api/openapi.json, the embedded API contract (public/openapi_route.cpp).
void AddOpenApiRoute(RouteTable& app);
void AddAuthRoutes(RouteTable& app);    // auth/
void AddMeRoutes(RouteTable& app);      // me/
void AddAdminRoutes(RouteTable& app);   // admin/
// POST /api/images/generate (generation/); mounted before the gallery's /api/images/:id.
void AddGenerationRoutes(RouteTable& app);
// The private gallery: upload, list, stats, get, rename, delete and byte serving (images/).
void AddImageRoutes(RouteTable& app);
// Coin packs, Stripe Checkout and its webhook, purchase history, the daily reward (billing/).
void AddBillingRoutes(RouteTable& app);
// Called by Stripe, not the browser: exempt from the same-origin check on writes (app.cpp).
inline constexpr char kStripeWebhookPath[] = "/api/billing/webhook";
// Test-only endpoints (debug/), mounted only when DEBUG_ROUTES is "true": concurrency, trap recovery
// and error paths, and the generation ones (redeliver a job, sweep at a given time, audit coins).
void AddDebugRoutes(RouteTable& app);
void AddGenerationDebugRoutes(RouteTable& app);

}  // namespace nb
