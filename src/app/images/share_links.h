// Share links (POST/DELETE /api/images/:id/share, GET /s/:token, /api/shared/:token...). The token is
// derived, never stored: HMAC-SHA256(SHARE_LINK_SECRET, "share:v1:" + image id + ":" + the row's random
// share_nonce), 24 bytes (192 bits) as 32 base64url characters. The row keeps only the nonce and
// SHA-256(token), so a copy of the database alone opens no link, while asking again gives the same one.
// Revoking clears both columns; deleting the row takes them with it.
#pragma once

#include <optional>
#include <string>

#include "app/core/api_result.h"
#include "app/core/scope.h"
#include "models/image.h"

namespace nb {

inline constexpr size_t kShareTokenLength = 32;

// The image's "/s/<token>" when it is shared (and the secret is set), else nullopt.
std::optional<std::string> ShareUrlOf(RequestScope& scope, const Image& image);
// image.ToJson() with shareUrl filled in.
nlohmann::json ImageJson(RequestScope& scope, const Image& image);
// The token for (id, nonce); Unavailable when SHARE_LINK_SECRET is not set.
Result<std::string> ShareToken(RequestScope& scope, const std::string& image_id, const std::string& nonce);
// Lower-case hex SHA-256 of a token: the share_hash column.
Result<std::string> ShareTokenHash(RequestScope& scope, const std::string& token);
// True for the shape ShareToken produces; anything else is 404 without a query.
bool IsShareTokenShape(const std::string& token);

}  // namespace nb
