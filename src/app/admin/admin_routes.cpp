// Admin-only: find users, grant or take coins (ledgered with the admin's id), set roles.
#include "app/auth/current_user.h"
#include "app/core/paging.h"
#include "app/core/routes.h"
#include "app/core/validation.h"
#include "http/json_body.h"
#include "repositories/user_repository.h"
#include "util/ids.h"

namespace nb {
namespace {

// Enough for any sane grant, far below 2^53.
constexpr int64_t kMaxCoinAdjustment = 1'000'000'000;

Reply ListUsers(RequestContext& ctx) {
  auto admin = RequireAdmin(ctx);
  if (auto* error = std::get_if<http::ApiError>(&admin)) return *error;
  auto page = ReadPageRequest(ctx.request);
  if (auto* error = std::get_if<http::ApiError>(&page)) return *error;
  const PageRequest& request = std::get<PageRequest>(page);
  const std::string query = Trim(ctx.request.Query("query").value_or("")).substr(0, 200);
  UserRepository users(ctx.ports.db, ctx.ports.clock, ctx.ports.random);
  auto found = users.Search(query, request.limit, request.cursor);
  if (!found.ok()) return ListError(found.status());
  nlohmann::json items = nlohmann::json::array();
  for (const auto& u : found->items) items.push_back(u.ToJson());
  return http::Response::Json(200, {{"items", std::move(items)},
                                    {"nextCursor", found->next_cursor ? nlohmann::json(*found->next_cursor)
                                                                      : nlohmann::json(nullptr)}});
}

// A malformed id can never exist: answer 404 without a query.
std::optional<http::ApiError> CheckUserId(const std::string& id) {
  if (!IsValidId(id)) return http::ApiError(http::ErrorCode::kNotFound);
  return std::nullopt;
}

Reply AdjustCoins(RequestContext& ctx) {
  auto admin = RequireAdmin(ctx);
  if (auto* error = std::get_if<http::ApiError>(&admin)) return *error;
  const std::string target = ctx.request.Param("id");
  if (auto bad = CheckUserId(target)) return *bad;
  auto parsed = http::ReadJsonObject(ctx.request);
  if (auto* error = std::get_if<http::ApiError>(&parsed)) return *error;
  const nlohmann::json& body = std::get<nlohmann::json>(parsed);
  FieldErrors errors;
  auto amount = errors.Integer(body, "amount", kMaxCoinAdjustment, true);
  auto reason = errors.String(body, "reason", 200, true);
  if (amount && *amount == 0) errors.Add("amount", "field.must_be_nonzero");
  if (!errors.ok()) return errors.error();
  std::optional<std::string> key;
  if (auto header = ctx.request.Header("idempotency-key"); header && !header->empty()) {
    if (header->size() > 128)
      return http::ApiError(http::ErrorCode::kBadRequest, "error.bad_idempotency_key");
    key = "admin:" + *header;
  }
  UserRepository users(ctx.ports.db, ctx.ports.clock, ctx.ports.random);
  auto entry = users.ChangeCoins(target, *amount, std::string(ledger_reason::kAdminGrant) + ": " + *reason,
                                 std::nullopt, std::get<User>(admin).id, key);
  if (!entry.ok()) {
    switch (entry.status().code()) {
      case Status::Code::kNotFound: return http::ApiError(http::ErrorCode::kNotFound);
      case Status::Code::kFailedPrecondition:
        return http::ApiError(http::ErrorCode::kConflict, "error.balance_negative");
      case Status::Code::kConflict:
        return http::ApiError(http::ErrorCode::kConflict, "error.idempotency_reused");
      default: return http::ErrorFromStatus(entry.status());
    }
  }
  auto user = users.FindById(target);
  if (!user.ok()) return http::ErrorFromStatus(user.status());
  return http::Response::Json(200, {{"user", user->ToJson()}});
}

Reply SetRoles(RequestContext& ctx) {
  auto admin = RequireAdmin(ctx);
  if (auto* error = std::get_if<http::ApiError>(&admin)) return *error;
  const std::string target = ctx.request.Param("id");
  if (auto bad = CheckUserId(target)) return *bad;
  auto parsed = http::ReadJsonObject(ctx.request);
  if (auto* error = std::get_if<http::ApiError>(&parsed)) return *error;
  const nlohmann::json& body = std::get<nlohmann::json>(parsed);
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
  if (!errors.ok()) return errors.error();
  UserRepository users(ctx.ports.db, ctx.ports.clock, ctx.ports.random);
  auto updated = users.SetRoles(target, roles);
  if (!updated.ok()) {
    if (updated.status().IsNotFound()) return http::ApiError(http::ErrorCode::kNotFound);
    if (updated.status().IsFailedPrecondition()) {
      return http::ApiError(http::ErrorCode::kConflict, "error.last_admin");
    }
    return http::ErrorFromStatus(updated.status());
  }
  return http::Response::Json(200, {{"user", updated->ToJson()}});
}

}  // namespace

void AddAdminRoutes(http::Router<Handler>& router) {
  router.Add("GET", "/api/admin/users", ListUsers);
  router.Add("POST", "/api/admin/users/:id/coins", AdjustCoins);
  router.Add("PUT", "/api/admin/users/:id/roles", SetRoles);
}

}  // namespace nb
