// Handlers behind /api/images, split by concern: the gallery JSON (image_routes.cpp), uploads
// (image_upload.cpp) and byte serving (image_bytes.cpp). AddImageRoutes (app/core/routes.h) mounts them.
#pragma once

#include "app/core/middleware.h"
#include "app/core/route_table.h"
#include "models/image.h"

namespace nb {

// Own image: the signed-in user's image named by the :id path parameter, in scope.image(); 404 for a
// malformed id (without a query), a missing one or another user's. Runs after SignedIn.
Reply OwnImage(RequestScope& scope, const Handler& next);

Reply UploadImage(RequestScope& scope);
// 403 QUOTA_EXCEEDED naming the quota (STORAGE_QUOTA_BYTES).
http::ApiError QuotaExceeded(int64_t quota);
Reply ServeImageContent(RequestScope& scope);
Reply ServeImageThumbnail(RequestScope& scope);
// The bytes of a given image with the given Cache-Control (the share routes' is short and public).
Reply ServeContentOf(RequestScope& scope, const Image& image, const char* cache_control);
Reply ServeThumbnailOf(RequestScope& scope, const Image& image, const char* cache_control);

// The gallery's organizing routes (image_sharing.cpp): share links and bulk delete, under /api/images.
void AddImageSharingRoutes(RouteTable& images);
// The public side of share links (shared_routes.cpp): GET /s/:token and /api/shared/:token[/...].
void AddSharedRoutes(RouteTable& app);

}  // namespace nb
