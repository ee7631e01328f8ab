// Middleware in the manner of Hono's compose: a function of (scope, next) that either answers itself
// (an error) or calls next. Each check is written once here and listed per route in the route table
// (app/core/route_table.h), in the order it runs, so a route's preconditions read in one line:
//
//   admin.Post("/users/:id/coins", {KnownUserId, JsonBody(ParseCoinGrant), IdempotencyKey("admin:")}, ...)
//
// A middleware that loads something (the user, the image, the body) leaves it in the scope, where the
// handler reads it typed: scope.user(), scope.image(), scope.body<T>(), scope.idempotency_key.
#pragma once

#include <cstddef>
#include <functional>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "app/core/api_result.h"
#include "app/core/scope.h"
#include "http/json_body.h"

namespace nb {

using Handler = std::function<Reply(RequestScope&)>;
using Middleware = std::function<Reply(RequestScope&, const Handler& next)>;

// The handler with the chain in front, first element outermost. Built once, when the route is added.
Handler Compose(const std::vector<Middleware>& chain, Handler handler);

// Signed in: the session's user (scope.user()), else 401.
Reply SignedIn(RequestScope& scope, const Handler& next);
// Signed in with the ADMIN role, else 401 or 403.
Reply Admin(RequestScope& scope, const Handler& next);

// The body as a JSON object of at most `limit` bytes (413 over it, 415 for another content type, 400
// when malformed), checked by `parse` into the handler's typed input (scope.body<T>()); `parse`
// answers the one 422 that lists every field problem.
template <class T>
using BodyParser = ApiResult<T> (*)(const nlohmann::json& body);
template <class T>
Middleware JsonBody(BodyParser<T> parse, size_t limit = http::kDefaultJsonLimit) {
  return [parse, limit](RequestScope& scope, const Handler& next) -> Reply {
    nlohmann::json object = NB_TRY(http::ReadJsonObject(scope.request, limit));
    scope.SetBody<T>(NB_TRY(parse(object)));
    return next(scope);
  };
}
// The object itself, unchecked (scope.body<nlohmann::json>()).
Middleware JsonBody(size_t limit = http::kDefaultJsonLimit);

inline constexpr size_t kMaxIdempotencyKeyChars = 128;
// The Idempotency-Key header, if sent and non-empty, as prefix + key in scope.idempotency_key; 400 when
// it is over 128 characters.
Middleware IdempotencyKey(std::string prefix = "");

// 429 with Retry-After: 60 when the limiter binding refuses the key `key_of` picks for this request.
using RateLimitKey = std::function<std::string(const RequestScope&)>;
Middleware RateLimited(std::string limiter, RateLimitKey key_of);
// Keys: the client address behind a prefix ("login:203.0.113.7"), or the signed-in user's id.
RateLimitKey PerClient(std::string prefix);
RateLimitKey PerUser();

// The client address the rate limits key on.
std::string ClientAddress(const http::Request& request);

}  // namespace nb
