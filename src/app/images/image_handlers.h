// Handlers behind /api/images, split by concern: the gallery JSON (image_routes.cpp), uploads
// (image_upload.cpp) and byte serving (image_bytes.cpp). AddImageRoutes (app/core/routes.h) mounts them.
#pragma once

#include "app/core/middleware.h"

namespace nb {

// Own image: the signed-in user's image named by the :id path parameter, in scope.image(); 404 for a
// malformed id (without a query), a missing one or another user's. Runs after SignedIn.
Reply OwnImage(RequestScope& scope, const Handler& next);

Reply UploadImage(RequestScope& scope);
Reply ServeImageContent(RequestScope& scope);
Reply ServeImageThumbnail(RequestScope& scope);

}  // namespace nb
