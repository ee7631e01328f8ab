// Admin-only: find users, grant or take coins (ledgered with the admin's id), set roles, and the
// binding health check that writes (a round trip through R2 and KV).
#include "app/core/paging.h"
#include "app/core/routes.h"
#include "app/core/validation.h"
#include "app/public/health_reply.h"
#include "util/ids.h"

namespace nb {
namespace {

// Enough for any sane grant, far below 2^53.
constexpr int64_t kMaxCoinAdjustment = 1'000'000'000;

// A malformed :id can never exist: 404 without a query.
Reply KnownUserId(RequestScope& scope, const Handler& next) {
  if (!IsValidId(scope.request.Param("id"))) return http::ErrorCode::kNotFound;
  return next(scope);
}

Reply ListUsers(RequestScope& scope) {
  const PageRequest request = NB_TRY(ReadPageRequest(scope.request));
  const std::string query = Trim(scope.request.Query("query").value_or("")).substr(0, 200);
  const auto found =
      NB_TRY(OrError(scope.repos.users.Search(query, request.limit, request.cursor), ListError));
  return http::Response::Json(200, PageJson(found));
}

struct CoinGrant {
  int64_t amount = 0;
  std::string reason;
};

ApiResult<CoinGrant> ParseCoinGrant(const nlohmann::json& body) {
  FieldErrors errors;
  auto amount = errors.Integer(body, "amount", kMaxCoinAdjustment, true);
  auto reason = errors.String(body, "reason", 200, true);
  if (amount && *amount == 0) errors.Add("amount", "field.must_be_nonzero");
  return errors.Or(CoinGrant{amount.value_or(0), reason.value_or("")});
}

http::ApiError CoinChangeError(const Status& status) {
  switch (status.code()) {
    case Status::Code::kNotFound: return http::ErrorCode::kNotFound;
    case Status::Code::kFailedPrecondition: return {http::ErrorCode::kConflict, "error.balance_negative"};
    case Status::Code::kConflict: return {http::ErrorCode::kConflict, "error.idempotency_reused"};
    default: return http::ErrorFromStatus(status);
  }
}

Reply AdjustCoins(RequestScope& scope) {
  const CoinGrant& grant = scope.body<CoinGrant>();
  const std::string target = scope.request.Param("id");
  NB_TRY(OrError(scope.repos.users.ChangeCoins(target, grant.amount,
                                               std::string(ledger_reason::kAdminGrant) + ": " + grant.reason,
                                               std::nullopt, scope.user().id, scope.idempotency_key),
                 CoinChangeError));
  const User user = NB_TRY(scope.repos.users.FindById(target));
  return http::Response::Json(200, {{"user", user.ToJson()}});
}

ApiResult<std::vector<Role>> ParseRoles(const nlohmann::json& body) {
  FieldErrors errors;
  std::vector<Role> roles;
  if (!body.contains("roles") || !body["roles"].is_array() || body["roles"].size() > 8) {
    errors.Add("roles", "field.roles_list");
  } else {
    for (const auto& r : body["roles"]) {
      auto role = r.is_string() ? ParseRole(r.get<std::string>()) : std::nullopt;
      if (!role) {
        errors.Add("roles", "field.unknown_role");
        break;
      }
      roles.push_back(*role);
    }
  }
  return errors.Or(std::move(roles));
}

http::ApiError RolesError(const Status& status) {
  if (status.IsNotFound()) return http::ErrorCode::kNotFound;
  if (status.IsFailedPrecondition()) return {http::ErrorCode::kConflict, "error.last_admin"};
  return http::ErrorFromStatus(status);
}

Reply SetRoles(RequestScope& scope) {
  const User updated = NB_TRY(OrError(
      scope.repos.users.SetRoles(scope.request.Param("id"), scope.body<std::vector<Role>>(), scope.user().id),
      RolesError));
  return http::Response::Json(200, {{"user", updated.ToJson()}});
}

Reply RoundTripHealth(RequestScope& scope) {
  return HealthReply(scope, CheckHealthRoundTrip(scope.ports, scope.request.request_id));
}

// Every role change and coin grant, newest first.
Reply ListAudit(RequestScope& scope) {
  const PageRequest request = NB_TRY(ReadPageRequest(scope.request));
  const auto found = NB_TRY(OrError(scope.repos.audit.List(request.limit, request.cursor), ListError));
  return http::Response::Json(200, PageJson(found));
}

}  // namespace

void AddAdminRoutes(RouteTable& app) {
  RouteTable admin = app.Group("/api/admin", {Admin});
  admin.Get("/health", RoundTripHealth);
  admin.Get("/users", ListUsers);
  admin.Post("/users/:id/coins", {KnownUserId, JsonBody(ParseCoinGrant), IdempotencyKey("admin:")},
             AdjustCoins);
  admin.Put("/users/:id/roles", {KnownUserId, JsonBody(ParseRoles)}, SetRoles);
  admin.Get("/audit", ListAudit);
}

}  // namespace nb
