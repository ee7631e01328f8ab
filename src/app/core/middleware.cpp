#include "app/core/middleware.h"

#include "app/core/session.h"

namespace nb {

Handler Compose(const std::vector<Middleware>& chain, Handler handler) {
  for (auto it = chain.rbegin(); it != chain.rend(); ++it) {
    handler = [middleware = *it, next = std::move(handler)](RequestScope& scope) {
      return middleware(scope, next);
    };
  }
  return handler;
}

Reply SignedIn(RequestScope& scope, const Handler& next) {
  NB_TRY(RequireUser(scope));
  return next(scope);
}

Reply Admin(RequestScope& scope, const Handler& next) {
  const User user = NB_TRY(RequireUser(scope));
  if (!user.IsAdmin()) return http::ErrorCode::kForbidden;
  return next(scope);
}

Middleware JsonBody(size_t limit) {
  return [limit](RequestScope& scope, const Handler& next) -> Reply {
    scope.SetBody(NB_TRY(http::ReadJsonObject(scope.request, limit)));
    return next(scope);
  };
}

Middleware IdempotencyKey(std::string prefix) {
  return [prefix = std::move(prefix)](RequestScope& scope, const Handler& next) -> Reply {
    scope.idempotency_key.reset();
    if (auto header = scope.request.Header("idempotency-key"); header && !header->empty()) {
      if (header->size() > kMaxIdempotencyKeyChars) {
        return http::ApiError(http::ErrorCode::kBadRequest, "error.bad_idempotency_key");
      }
      scope.idempotency_key = prefix + *header;
    }
    return next(scope);
  };
}

Middleware RateLimited(std::string limiter, RateLimitKey key_of) {
  return [limiter = std::move(limiter), key_of = std::move(key_of)](RequestScope& scope,
                                                                    const Handler& next) -> Reply {
    const bool allowed = NB_TRY(scope.ports.limits.Allow(limiter, key_of(scope)));
    if (!allowed) {
      scope.response_headers.emplace_back("retry-after", "60");
      return http::ErrorCode::kRateLimited;
    }
    return next(scope);
  };
}

RateLimitKey PerClient(std::string prefix) {
  return [prefix = std::move(prefix)](const RequestScope& scope) {
    return prefix + ClientAddress(scope.request);
  };
}

RateLimitKey PerUser() {
  return [](const RequestScope& scope) { return scope.user().id; };
}

std::string ClientAddress(const http::Request& request) {
  return request.Header("cf-connecting-ip").value_or("unknown");
}

}  // namespace nb
