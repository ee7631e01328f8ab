// The owner's side of share links (POST/DELETE /api/images/:id/share) and bulk delete
// (POST /api/images/bulk-delete). Share tokens: share_links.h.
#include <set>

#include "app/core/routes.h"
#include "app/core/validation.h"
#include "app/images/image_handlers.h"
#include "app/images/share_links.h"
#include "services/image_service.h"
#include "util/hex.h"
#include "util/ids.h"

namespace nb {
namespace {

constexpr size_t kMaxBulkIds = 100;

http::ApiError SharingError(const Status& status) {
  if (status.IsUnavailable()) return {http::ErrorCode::kServiceUnavailable, "error.sharing_unavailable"};
  if (status.IsNotFound()) return {http::ErrorCode::kNotFound, "error.image_not_found"};
  return http::ErrorFromStatus(status);
}

Reply ShareImage(RequestScope& scope) {
  const Image& image = scope.image();
  if (image.status != ImageStatus::kCompleted) {
    return http::ApiError(http::ErrorCode::kConflict, "error.share_not_completed");
  }
  // The secret is checked before anything is written.
  NB_TRY(OrError(ShareToken(scope, image.id, "probe"), SharingError));
  const std::string nonce = HexEncode(scope.ports.random.Bytes(16));
  const std::string token = NB_TRY(OrError(ShareToken(scope, image.id, nonce), SharingError));
  const std::string hash = NB_TRY(OrError(ShareTokenHash(scope, token), SharingError));
  // Keeps an existing link: the row's nonce wins over ours when it has one.
  const Image shared =
      NB_TRY(OrError(scope.repos.images.SetShare(image.id, image.user_id, nonce, hash), SharingError));
  const auto url = ShareUrlOf(scope, shared);
  if (!url) return http::ApiError(http::ErrorCode::kServiceUnavailable, "error.sharing_unavailable");
  return http::Response::Json(200, {{"shareUrl", *url}});
}

Reply UnshareImage(RequestScope& scope) {
  const Image& image = scope.image();
  NB_TRY(OrError(scope.repos.images.ClearShare(image.id, image.user_id), SharingError));
  return http::Response::NoContent();
}

struct BulkIds {
  std::vector<std::string> ids;  // as sent, duplicates removed, order kept
};

ApiResult<BulkIds> ParseBulkIds(const nlohmann::json& body) {
  FieldErrors errors;
  auto it = body.find("ids");
  if (it == body.end() || !it->is_array() || it->empty() || it->size() > kMaxBulkIds) {
    errors.Add("ids", "field.ids_list");
    return errors.error();
  }
  BulkIds parsed;
  std::set<std::string> seen;
  for (const auto& id : *it) {
    if (!id.is_string()) {
      errors.Add("ids", "field.ids_list");
      return errors.error();
    }
    const std::string text = id.get<std::string>();
    if (seen.insert(text).second) parsed.ids.push_back(text);
  }
  return parsed;
}

// 200 {"deleted": [...], "notFound": [...]}: an id that is malformed, missing or another user's is
// "not found", exactly as GET would answer it; repeating the call deletes nothing more.
Reply BulkDelete(RequestScope& scope) {
  const BulkIds& body = scope.body<BulkIds>();
  std::vector<std::string> valid;
  for (const auto& id : body.ids) {
    if (IsValidId(id)) valid.push_back(id);
  }
  ImageService service(scope.ports);
  const std::vector<std::string> removed = NB_TRY(service.DeleteImages(valid, scope.user().id));
  const std::set<std::string> gone(removed.begin(), removed.end());
  nlohmann::json deleted = nlohmann::json::array();
  nlohmann::json not_found = nlohmann::json::array();
  for (const auto& id : body.ids) (gone.count(id) ? deleted : not_found).push_back(id);
  return http::Response::Json(200, {{"deleted", std::move(deleted)}, {"notFound", std::move(not_found)}});
}

}  // namespace

void AddImageSharingRoutes(RouteTable& images) {
  images.Post("/bulk-delete", {JsonBody(ParseBulkIds)}, BulkDelete);
  images.Post("/:id/share", {OwnImage}, ShareImage);
  images.Delete("/:id/share", {OwnImage}, UnshareImage);
}

}  // namespace nb
