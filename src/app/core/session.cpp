#include "app/core/session.h"

#include "auth/cookies.h"

namespace nb {

Status Authenticate(RequestScope& scope) {
  Caller& caller = scope.caller;
  if (caller.checked) return Status::Ok();
  caller.checked = true;
  // Two session cookies: one was planted; answering from either could be answering as the attacker.
  auto token = SoleCookieValue(scope.request.Header("cookie").value_or(""), kSessionCookie);
  if (!token || token->empty()) return Status::Ok();
  bool renewed = false;
  NB_ASSIGN_OR_RETURN(std::optional<Session> session, scope.sessions.Find(*token, &renewed));
  if (!session) return Status::Ok();
  auto user = scope.repos.users.FindById(session->user_id);
  if (!user.ok()) {
    if (!user.status().IsNotFound()) return user.status();
    // The account is gone; so is every way into it. The request goes on as anonymous either way, so
    // a failed revoke is logged (the session would be refused again next time) rather than a 500.
    if (Status revoked = scope.sessions.Revoke(*token); !revoked.ok()) {
      scope.log.Warn("session_revoke_failed", {{"status", revoked.ToString()}});
    }
    return Status::Ok();
  }
  // Made before the user's last logout-everywhere: dead, whatever KV still holds.
  if (session->epoch != user->session_epoch) return Status::Ok();
  caller.user = std::move(user.value());
  caller.session_token = *token;
  scope.language = caller.user->language;
  if (renewed) {
    scope.response_headers.emplace_back(
        "set-cookie", SetCookie(kSessionCookie, *token, "/", scope.sessions.CookieMaxAge(*session)));
  }
  return Status::Ok();
}

ApiResult<User> RequireUser(RequestScope& scope) {
  NB_TRY(Authenticate(scope));
  if (!scope.caller.user) return http::ErrorCode::kUnauthenticated;
  return *scope.caller.user;
}

}  // namespace nb
