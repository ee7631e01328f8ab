// Handlers behind /api/images, split by concern: the gallery JSON (image_routes.cpp), uploads
// (image_upload.cpp) and byte serving (image_bytes.cpp). AddImageRoutes (routes.h) mounts them.
#pragma once

#include <variant>

#include "app/core/context.h"
#include "models/image.h"

namespace nb {

// The signed-in user's image named by the :id path parameter; 401 when signed out, 404 for a
// malformed id (without a query), a missing one or another user's.
std::variant<Image, http::ApiError> LoadOwnImage(RequestContext& ctx);

Reply UploadImage(RequestContext& ctx);
Reply ServeImageContent(RequestContext& ctx);
Reply ServeImageThumbnail(RequestContext& ctx);

}  // namespace nb
