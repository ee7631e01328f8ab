// The signed-in user's own profile and coin history.
#include "app/auth/current_user.h"
#include "app/core/paging.h"
#include "app/core/routes.h"
#include "app/core/validation.h"
#include "http/json_body.h"
#include "i18n/messages.h"
#include "repositories/user_repository.h"

namespace nb {
namespace {

Reply GetMe(RequestContext& ctx) {
  auto user = RequireUser(ctx);
  if (auto* error = std::get_if<http::ApiError>(&user)) return *error;
  return http::Response::Json(200, {{"user", std::get<User>(user).ToJson()}});
}

Reply PatchMe(RequestContext& ctx) {
  auto signed_in = RequireUser(ctx);
  if (auto* error = std::get_if<http::ApiError>(&signed_in)) return *error;
  User user = std::get<User>(signed_in);
  auto parsed = http::ReadJsonObject(ctx.request);
  if (auto* error = std::get_if<http::ApiError>(&parsed)) return *error;
  const nlohmann::json& body = std::get<nlohmann::json>(parsed);
  FieldErrors errors;
  auto first = errors.String(body, "firstName", 100, false);
  auto last = errors.String(body, "lastName", 100, false);
  auto language = errors.String(body, "language", 8, false);
  if (language && !i18n::IsSupportedLanguage(*language)) errors.Add("language", "field.unsupported_language");
  if (!errors.ok()) return errors.error();
  if (first) user.first_name = *first;
  if (last) user.last_name = *last;
  if (language) user.language = *language;
  UserRepository users(ctx.ports.db, ctx.ports.clock, ctx.ports.random);
  auto updated = users.Update(user);
  if (!updated.ok()) return http::ErrorFromStatus(updated.status());
  ctx.language = updated->language;
  return http::Response::Json(200, {{"user", updated->ToJson()}});
}

Reply ListTransactions(RequestContext& ctx) {
  auto user = RequireUser(ctx);
  if (auto* error = std::get_if<http::ApiError>(&user)) return *error;
  auto page = ReadPageRequest(ctx.request);
  if (auto* error = std::get_if<http::ApiError>(&page)) return *error;
  const PageRequest& request = std::get<PageRequest>(page);
  UserRepository users(ctx.ports.db, ctx.ports.clock, ctx.ports.random);
  auto entries = users.ListLedger(std::get<User>(user).id, request.limit, request.cursor);
  if (!entries.ok()) return ListError(entries.status());
  nlohmann::json items = nlohmann::json::array();
  for (const auto& e : entries->items) items.push_back(e.ToJson());
  return http::Response::Json(
      200, {{"items", std::move(items)},
            {"nextCursor",
             entries->next_cursor ? nlohmann::json(*entries->next_cursor) : nlohmann::json(nullptr)}});
}

}  // namespace

void AddMeRoutes(http::Router<Handler>& router) {
  router.Add("GET", "/api/me", GetMe);
  router.Add("PATCH", "/api/me", PatchMe);
  router.Add("GET", "/api/me/transactions", ListTransactions);
}

}  // namespace nb
