#include "app/auth/current_user.h"

#include "auth/cookies.h"
#include "auth/session_store.h"
#include "repositories/user_repository.h"

namespace nb {

Status Authenticate(RequestContext& ctx) {
  if (ctx.auth_checked) return Status::Ok();
  ctx.auth_checked = true;
  auto token = CookieValue(ctx.request.Header("cookie").value_or(""), kSessionCookie);
  if (!token || token->empty()) return Status::Ok();
  SessionStore sessions(ctx.ports, ctx.config.GetInt("SESSION_TTL_SECONDS", kDefaultSessionTtlSeconds));
  bool renewed = false;
  NB_ASSIGN_OR_RETURN(std::optional<Session> session, sessions.Find(*token, &renewed));
  if (!session) return Status::Ok();
  UserRepository users(ctx.ports.db, ctx.ports.clock, ctx.ports.random);
  auto user = users.FindById(session->user_id);
  if (!user.ok()) {
    if (!user.status().IsNotFound()) return user.status();
    // The account is gone; so is every way into it. The request goes on as anonymous either way, so
    // a failed revoke is logged (the session would be refused again next time) rather than a 500.
    if (Status revoked = sessions.Revoke(*token); !revoked.ok()) {
      RequestLog(ctx.ports.logger, ctx.request.request_id)
          .Warn("session_revoke_failed", {{"status", revoked.ToString()}});
    }
    return Status::Ok();
  }
  ctx.user = std::move(user.value());
  ctx.session_token = *token;
  ctx.language = ctx.user->language;
  if (renewed) {
    ctx.response_headers.emplace_back("set-cookie",
                                      SetCookie(kSessionCookie, *token, "/", sessions.ttl_seconds()));
  }
  return Status::Ok();
}

std::variant<User, http::ApiError> RequireUser(RequestContext& ctx) {
  Status s = Authenticate(ctx);
  if (!s.ok()) return http::ErrorFromStatus(s);
  if (!ctx.user) return http::ApiError(http::ErrorCode::kUnauthenticated);
  return *ctx.user;
}

std::variant<User, http::ApiError> RequireAdmin(RequestContext& ctx) {
  auto user = RequireUser(ctx);
  if (auto* u = std::get_if<User>(&user); u && !u->IsAdmin())
    return http::ApiError(http::ErrorCode::kForbidden);
  return user;
}

}  // namespace nb
