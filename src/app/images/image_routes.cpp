// The private gallery: list, stats, get, rename and delete. Every query is scoped to the signed-in
// user, so another user's id reads exactly like a missing one (404).
#include "app/core/paging.h"
#include "app/core/routes.h"
#include "app/images/image_handlers.h"
#include "app/images/image_text.h"
#include "app/images/share_links.h"
#include "repositories/search_query.h"
#include "services/image_service.h"
#include "util/ids.h"

namespace nb {
namespace {

// Uploads per user and minute (wrangler.toml's ratelimits): 429 RATE_LIMITED with Retry-After.
constexpr char kUploadLimiter[] = "UPLOAD_RATE_LIMITER";

http::ApiError ImageNotFound() { return {http::ErrorCode::kNotFound, "error.image_not_found"}; }

http::ApiError LookupError(const Status& status) {
  return status.IsNotFound() ? ImageNotFound() : http::ErrorFromStatus(status);
}

}  // namespace

Reply OwnImage(RequestScope& scope, const Handler& next) {
  const std::string id = scope.request.Param("id");
  if (!IsValidId(id)) return ImageNotFound();
  scope.loaded_image = NB_TRY(OrError(scope.repos.images.FindByIdForUser(id, scope.user().id), LookupError));
  return next(scope);
}

namespace {

Reply ListImages(RequestScope& scope) {
  ImageFilter filter;
  // An empty parameter (a blank <select> in a form) means no filter.
  if (auto type = scope.request.Query("type"); type && !type->empty()) {
    filter.type = ParseImageType(*type);
    if (!filter.type) return http::ApiError(http::ErrorCode::kBadRequest, "error.bad_image_type");
  }
  if (auto status = scope.request.Query("status"); status && !status->empty()) {
    filter.status = ParseImageStatus(*status);
    if (!filter.status) return http::ApiError(http::ErrorCode::kBadRequest, "error.bad_image_status");
  }
  if (auto favorite = scope.request.Query("favorite"); favorite && !favorite->empty()) {
    if (*favorite != "true" && *favorite != "false")
      return http::ApiError(http::ErrorCode::kBadRequest, "error.bad_favorite_filter");
    filter.favorite_only = *favorite == "true";
  }
  const PageRequest request = NB_TRY(ReadPageRequest(scope.request));
  if (auto q = scope.request.Query("q"); q && !Trim(*q).empty()) {
    if (q->size() > kMaxSearchQueryBytes) {
      FieldErrors errors;
      errors.Add("q", "field.too_long");
      return errors.error();
    }
    filter.match = FtsMatchExpression(*q);
    // Only operators and punctuation: no word to look for, so nothing matches.
    if (!filter.match) {
      return http::Response::Json(
          200, {{"items", nlohmann::json::array()}, {"nextCursor", nullptr}, {"total", nullptr}});
    }
  }
  const auto page = NB_TRY(OrError(
      scope.repos.images.ListByUser(scope.user().id, filter, request.limit, request.cursor), ListError));
  nlohmann::json body = PageJson(page, [&](const Image& image) { return ImageJson(scope, image); });
  // A search has no exact count without reading every match (docs/api-notes.md): null.
  body["total"] = page.total ? nlohmann::json(*page.total) : nlohmann::json(nullptr);
  return http::Response::Json(200, body);
}

Reply ImageStatsOfUser(RequestScope& scope) {
  const ImageStats stats = NB_TRY(scope.repos.images.Stats(scope.user().id));
  return http::Response::Json(200, stats.ToJson());
}

Reply GetImage(RequestScope& scope) {
  return http::Response::Json(200, {{"image", ImageJson(scope, scope.image())}});
}

// {"title"?, "description"?, "favorite"?}: title and description each a string (trimmed,
// length-checked) or absent, favorite a boolean; other keys are ignored.
ApiResult<ImagePatch> ParseImagePatch(const nlohmann::json& body) {
  FieldErrors errors;
  ImagePatch patch;
  if (auto it = body.find("favorite"); it != body.end() && !it->is_null()) {
    if (it->is_boolean()) {
      patch.favorite = it->get<bool>();
    } else {
      errors.Add("favorite", "field.must_be_boolean");
    }
  }
  for (const char* field : {"title", "description"}) {
    auto it = body.find(field);
    if (it == body.end() || it->is_null()) continue;
    if (!it->is_string()) {
      errors.Add(field, "field.must_be_string");
      continue;
    }
    auto text = CheckImageText(errors, field, it->get<std::string>());
    if (text) (std::string(field) == "title" ? patch.title : patch.description) = std::move(text);
  }
  return errors.Or(std::move(patch));
}

Reply PatchImage(RequestScope& scope) {
  const Image& current = scope.image();
  const Image updated = NB_TRY(
      OrError(scope.repos.images.Update(current.id, current.user_id, scope.body<ImagePatch>()), LookupError));
  return http::Response::Json(200, {{"image", ImageJson(scope, updated)}});
}

// 204 once the original, the thumbnail and the row are gone; deleting again is 404, like any id the
// user does not own, so the answer never tells whether an id ever existed.
Reply DeleteImage(RequestScope& scope) {
  ImageService service(scope.ports);
  NB_TRY(OrError(service.DeleteImage(scope.image()), LookupError));
  return http::Response::NoContent();
}

}  // namespace

void AddImageRoutes(RouteTable& app) {
  RouteTable images = app.Group("/api/images", {SignedIn});
  images.Get("", ListImages);
  images.Post("", {RateLimited(kUploadLimiter, PerUser())}, UploadImage);
  AddImageSharingRoutes(images);
  // Before "/:id", which would otherwise take "stats" as an id.
  images.Get("/stats", ImageStatsOfUser);
  images.Get("/:id", {OwnImage}, GetImage);
  images.Patch("/:id", {OwnImage, JsonBody(ParseImagePatch)}, PatchImage);
  images.Delete("/:id", {OwnImage}, DeleteImage);
  images.Get("/:id/content", {OwnImage}, ServeImageContent);
  images.Get("/:id/thumbnail", {OwnImage}, ServeImageThumbnail);
  // Share links' public side: no sign-in, no owner data.
  AddSharedRoutes(app);
}

}  // namespace nb
