// The private gallery: list, stats, get, rename and delete. Every query is scoped to the signed-in
// user, so another user's id reads exactly like a missing one (404).
#include "app/auth/current_user.h"
#include "app/core/paging.h"
#include "app/core/routes.h"
#include "app/images/image_handlers.h"
#include "app/images/image_text.h"
#include "http/json_body.h"
#include "repositories/image_repository.h"
#include "services/image_service.h"
#include "util/ids.h"

namespace nb {

std::variant<Image, http::ApiError> LoadOwnImage(RequestContext& ctx) {
  auto user = RequireUser(ctx);
  if (auto* error = std::get_if<http::ApiError>(&user)) return *error;
  const std::string id = ctx.request.Param("id");
  const http::ApiError not_found(http::ErrorCode::kNotFound, "error.image_not_found");
  if (!IsValidId(id)) return not_found;
  ImageRepository images(ctx.ports.db, ctx.ports.clock, ctx.ports.random);
  auto image = images.FindByIdForUser(id, std::get<User>(user).id);
  if (!image.ok()) {
    return image.status().IsNotFound() ? not_found : http::ErrorFromStatus(image.status());
  }
  return std::move(image).value();
}

namespace {

Reply ListImages(RequestContext& ctx) {
  auto user = RequireUser(ctx);
  if (auto* error = std::get_if<http::ApiError>(&user)) return *error;
  ImageFilter filter;
  // An empty parameter (a blank <select> in a form) means no filter.
  if (auto type = ctx.request.Query("type"); type && !type->empty()) {
    filter.type = ParseImageType(*type);
    if (!filter.type) return http::ApiError(http::ErrorCode::kBadRequest, "error.bad_image_type");
  }
  if (auto status = ctx.request.Query("status"); status && !status->empty()) {
    filter.status = ParseImageStatus(*status);
    if (!filter.status) return http::ApiError(http::ErrorCode::kBadRequest, "error.bad_image_status");
  }
  auto page_request = ReadPageRequest(ctx.request);
  if (auto* error = std::get_if<http::ApiError>(&page_request)) return *error;
  const PageRequest& request = std::get<PageRequest>(page_request);
  ImageRepository images(ctx.ports.db, ctx.ports.clock, ctx.ports.random);
  auto page = images.ListByUser(std::get<User>(user).id, filter, request.limit, request.cursor);
  if (!page.ok()) return ListError(page.status());
  nlohmann::json items = nlohmann::json::array();
  for (const auto& image : page->items) items.push_back(image.ToJson());
  return http::Response::Json(
      200, {{"items", std::move(items)},
            {"nextCursor", page->next_cursor ? nlohmann::json(*page->next_cursor) : nlohmann::json(nullptr)},
            {"total", page->total.value_or(0)}});
}

Reply ImageStatsOfUser(RequestContext& ctx) {
  auto user = RequireUser(ctx);
  if (auto* error = std::get_if<http::ApiError>(&user)) return *error;
  ImageRepository images(ctx.ports.db, ctx.ports.clock, ctx.ports.random);
  auto stats = images.Stats(std::get<User>(user).id);
  if (!stats.ok()) return http::ErrorFromStatus(stats.status());
  return http::Response::Json(200, stats->ToJson());
}

Reply GetImage(RequestContext& ctx) {
  auto image = LoadOwnImage(ctx);
  if (auto* error = std::get_if<http::ApiError>(&image)) return *error;
  return http::Response::Json(200, {{"image", std::get<Image>(image).ToJson()}});
}

// {"title"?, "description"?}: each a string (trimmed, length-checked) or absent; other keys are ignored.
Reply PatchImage(RequestContext& ctx) {
  auto image = LoadOwnImage(ctx);
  if (auto* error = std::get_if<http::ApiError>(&image)) return *error;
  auto parsed = http::ReadJsonObject(ctx.request);
  if (auto* error = std::get_if<http::ApiError>(&parsed)) return *error;
  const nlohmann::json& body = std::get<nlohmann::json>(parsed);
  FieldErrors errors;
  ImagePatch patch;
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
  if (!errors.ok()) return errors.error();
  const Image& current = std::get<Image>(image);
  ImageRepository images(ctx.ports.db, ctx.ports.clock, ctx.ports.random);
  auto updated = images.Update(current.id, current.user_id, patch);
  if (!updated.ok()) {
    if (updated.status().IsNotFound()) {
      return http::ApiError(http::ErrorCode::kNotFound, "error.image_not_found");
    }
    return http::ErrorFromStatus(updated.status());
  }
  return http::Response::Json(200, {{"image", updated->ToJson()}});
}

// 204 once the original, the thumbnail and the row are gone; deleting again is 404, like any id the
// user does not own, so the answer never tells whether an id ever existed.
Reply DeleteImage(RequestContext& ctx) {
  auto image = LoadOwnImage(ctx);
  if (auto* error = std::get_if<http::ApiError>(&image)) return *error;
  const Image& current = std::get<Image>(image);
  ImageService service(ctx.ports);
  Status deleted = service.DeleteImage(current);
  if (deleted.IsNotFound()) {
    return http::ApiError(http::ErrorCode::kNotFound, "error.image_not_found");
  }
  if (!deleted.ok()) return http::ErrorFromStatus(deleted);
  return http::Response::NoContent();
}

}  // namespace

void AddImageRoutes(http::Router<Handler>& router) {
  router.Add("GET", "/api/images", ListImages);
  router.Add("POST", "/api/images", UploadImage);
  // Before "/api/images/:id", which would otherwise take "stats" as an id.
  router.Add("GET", "/api/images/stats", ImageStatsOfUser);
  router.Add("GET", "/api/images/:id", GetImage);
  router.Add("PATCH", "/api/images/:id", PatchImage);
  router.Add("DELETE", "/api/images/:id", DeleteImage);
  router.Add("GET", "/api/images/:id/content", ServeImageContent);
  router.Add("GET", "/api/images/:id/thumbnail", ServeImageThumbnail);
}

}  // namespace nb
