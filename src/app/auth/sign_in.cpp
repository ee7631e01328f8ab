#include "app/auth/sign_in.h"

#include "auth/cookies.h"

namespace nb {

ApiResult<User> StartSession(RequestScope& scope, User user) {
  if (scope.settings.IsConfiguredAdmin(user.email) && !user.IsAdmin()) {
    user = NB_TRY(scope.repos.users.AddRole(user.id, Role::kAdmin));
  }
  const NewSession created = NB_TRY(scope.sessions.Create(user.id));
  scope.response_headers.emplace_back(
      "set-cookie", SetCookie(kSessionCookie, created.token, "/", scope.sessions.ttl_seconds()));
  scope.language = user.language;
  return user;
}

}  // namespace nb
