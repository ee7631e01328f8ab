// The signed-in user's own profile and coin history.
#include "app/core/paging.h"
#include "app/core/routes.h"
#include "app/core/profile_fields.h"
#include "app/core/validation.h"

namespace nb {
namespace {

ApiResult<ProfileFields> ParseProfilePatch(const nlohmann::json& body) {
  FieldErrors errors;
  ProfileFields patch = ReadProfileFields(errors, body);
  return errors.Or(std::move(patch));
}

// The profile plus the storage quota's state: used comes from image_counts (at most 16 rows), never
// from summing the user's images.
Reply GetMe(RequestScope& scope) {
  const int64_t used = NB_TRY(scope.repos.images.StoredBytes(scope.user().id));
  return http::Response::Json(200,
                              {{"user", scope.user().ToJson()},
                               {"storage", {{"used", used}, {"quota", scope.settings.storage_quota_bytes}}}});
}

Reply PatchMe(RequestScope& scope) {
  const ProfileFields& patch = scope.body<ProfileFields>();
  User user = scope.user();
  if (patch.first_name) user.first_name = *patch.first_name;
  if (patch.last_name) user.last_name = *patch.last_name;
  if (patch.language) user.language = *patch.language;
  const User updated = NB_TRY(scope.repos.users.Update(user));
  scope.language = updated.language;
  return http::Response::Json(200, {{"user", updated.ToJson()}});
}

Reply ListTransactions(RequestScope& scope) {
  const PageRequest request = NB_TRY(ReadPageRequest(scope.request));
  const auto entries = NB_TRY(
      OrError(scope.repos.users.ListLedger(scope.user().id, request.limit, request.cursor), ListError));
  return http::Response::Json(200, PageJson(entries));
}

}  // namespace

void AddMeRoutes(RouteTable& app) {
  RouteTable me = app.Group("/api/me", {SignedIn});
  me.Get("", GetMe);
  me.Patch("", {JsonBody(ParseProfilePatch)}, PatchMe);
  me.Get("/transactions", ListTransactions);
}

}  // namespace nb
