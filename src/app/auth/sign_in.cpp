#include "app/auth/sign_in.h"

#include "app/auth/current_user.h"
#include "auth/cookies.h"
#include "auth/session_store.h"
#include "repositories/user_repository.h"

namespace nb {

bool IsConfiguredAdmin(const Config& config, const std::string& email) {
  const std::string list = LowerAscii(config.Get("ADMIN_EMAILS"));
  const std::string wanted = LowerAscii(email);
  size_t pos = 0;
  while (pos <= list.size()) {
    size_t comma = list.find(',', pos);
    if (comma == std::string::npos) comma = list.size();
    std::string item = list.substr(pos, comma - pos);
    item.erase(0, item.find_first_not_of(" \t"));
    item.erase(item.find_last_not_of(" \t") + 1);
    if (!item.empty() && item == wanted) return true;
    pos = comma + 1;
  }
  return false;
}

std::variant<User, http::ApiError> StartSession(RequestContext& ctx, User user) {
  if (IsConfiguredAdmin(ctx.config, user.email) && !user.IsAdmin()) {
    UserRepository users(ctx.ports.db, ctx.ports.clock, ctx.ports.random);
    auto promoted = users.AddRole(user.id, Role::kAdmin);
    if (!promoted.ok()) return http::ErrorFromStatus(promoted.status());
    user = std::move(promoted.value());
  }
  SessionStore sessions(ctx.ports, ctx.config.GetInt("SESSION_TTL_SECONDS", kDefaultSessionTtlSeconds));
  auto created = sessions.Create(user.id);
  if (!created.ok()) return http::ErrorFromStatus(created.status());
  ctx.response_headers.emplace_back("set-cookie",
                                    SetCookie(kSessionCookie, created->token, "/", sessions.ttl_seconds()));
  ctx.language = user.language;
  return user;
}

std::string ClientAddress(const http::Request& request) {
  return request.Header("cf-connecting-ip").value_or("unknown");
}

std::optional<http::ApiError> CheckRateLimit(RequestContext& ctx, const std::string& limiter,
                                             const std::string& key) {
  auto allowed = ctx.ports.limits.Allow(limiter, key);
  if (!allowed.ok()) return http::ErrorFromStatus(allowed.status());
  if (*allowed) return std::nullopt;
  ctx.response_headers.emplace_back("retry-after", "60");
  return http::ApiError(http::ErrorCode::kRateLimited);
}

}  // namespace nb
