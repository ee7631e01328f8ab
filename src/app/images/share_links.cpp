#include "app/images/share_links.h"

#include "util/base64.h"
#include "util/hex.h"

namespace nb {

Result<std::string> ShareToken(RequestScope& scope, const std::string& image_id, const std::string& nonce) {
  if (scope.settings.share_link_secret.empty()) return Status::Unavailable("SHARE_LINK_SECRET is not set");
  NB_ASSIGN_OR_RETURN(std::string mac, scope.ports.crypto.HmacSha256(scope.settings.share_link_secret,
                                                                     "share:v1:" + image_id + ":" + nonce));
  return Base64UrlEncode(std::string_view(mac).substr(0, 24));  // 24 bytes: 32 characters, no padding
}

Result<std::string> ShareTokenHash(RequestScope& scope, const std::string& token) {
  NB_ASSIGN_OR_RETURN(std::string digest, scope.ports.crypto.Sha256(token));
  return HexEncode(digest);
}

bool IsShareTokenShape(const std::string& token) {
  if (token.size() != kShareTokenLength) return false;
  for (unsigned char c : token) {
    const bool ok =
        (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' || c == '_';
    if (!ok) return false;
  }
  return true;
}

std::optional<std::string> ShareUrlOf(RequestScope& scope, const Image& image) {
  if (!image.share_nonce || !image.share_hash) return std::nullopt;
  auto token = ShareToken(scope, image.id, *image.share_nonce);
  if (!token.ok()) return std::nullopt;  // no secret: the link cannot be opened either
  return "/s/" + *token;
}

nlohmann::json ImageJson(RequestScope& scope, const Image& image) {
  if (!image.share_nonce) return image.ToJson();
  Image shown = image;
  shown.share_url = ShareUrlOf(scope, image);
  return shown.ToJson();
}

}  // namespace nb
