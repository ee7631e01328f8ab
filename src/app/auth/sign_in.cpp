#include "app/auth/sign_in.h"

#include "auth/cookies.h"

namespace nb {

ApiResult<User> StartSession(RequestScope& scope, User user) {
  if (scope.settings.IsConfiguredAdmin(user.email) && !user.IsAdmin()) {
    // ADMIN_EMAILS bootstraps admins; it does not overrule an admin who demoted this account.
    if (!NB_TRY(scope.repos.audit.WasDemoted(user.id)))
      user = NB_TRY(scope.repos.users.AddRole(user.id, Role::kAdmin));
  }
  const NewSession created = NB_TRY(scope.sessions.Create(user.id, user.session_epoch));
  scope.response_headers.emplace_back("set-cookie", SetCookie(kSessionCookie, created.token, "/",
                                                              scope.sessions.CookieMaxAge(created.session)));
  scope.language = user.language;
  return user;
}

}  // namespace nb
