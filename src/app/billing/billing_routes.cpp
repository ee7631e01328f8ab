// Coins people buy and collect: the packs, Stripe Checkout, Stripe's webhook, the buyer's purchase
// history, an admin's view of a user's purchases, and the daily reward (docs/billing.md).
#include "app/core/paging.h"
#include "app/core/routes.h"
#include "app/core/validation.h"
#include "i18n/messages.h"
#include "models/ledger_entry.h"
#include "repositories/purchase_repository.h"
#include "services/stripe_checkout.h"
#include "services/stripe_signature.h"
#include "services/stripe_webhook.h"
#include "util/ids.h"
#include "util/time_format.h"

namespace nb {
namespace {

// Stripe's events are a few KiB; anything near this is not one.
constexpr size_t kMaxWebhookBytes = 64 * 1024;
constexpr int64_t kDayMs = 24 * 3600 * 1000;

Reply BillingOn(RequestScope& scope, const Handler& next) {
  if (!scope.settings.billing.enabled())
    return http::ApiError(http::ErrorCode::kServiceUnavailable, "error.billing_off");
  return next(scope);
}

Reply ListPacks(RequestScope& scope) {
  nlohmann::json packs = nlohmann::json::array();
  for (const auto& p : scope.settings.billing.packs) packs.push_back(p.ToJson());
  return http::Response::Json(200, {{"packs", std::move(packs)}});
}

struct CheckoutBody {
  std::string pack_id;
};

ApiResult<CheckoutBody> ParseCheckout(const nlohmann::json& body) {
  FieldErrors errors;
  auto pack = errors.String(body, "packId", 64, true);
  return errors.Or(CheckoutBody{pack.value_or("")});
}

Reply Checkout(RequestScope& scope) {
  const BillingSettings& billing = scope.settings.billing;
  const CoinPack* pack = billing.FindPack(scope.body<CheckoutBody>().pack_id);
  if (!pack) return http::ApiError(http::ErrorCode::kValidationFailed).Field("packId", "field.unknown_pack");
  const User& user = scope.user();
  PurchaseRepository& purchases = scope.repos.purchases;
  // The row first: a completion event can then always find its purchase (by metadata[purchaseId]
  // if the Worker stops before the session id is written).
  const Purchase purchase =
      NB_TRY(purchases.CreatePending(user.id, pack->id, pack->coins, pack->amount, pack->currency));
  CheckoutRequest request;
  request.purchase_id = purchase.id;
  request.user_id = user.id;
  request.user_email = user.email;
  request.pack = pack;
  request.product_name =
      i18n::Message("billing.product_name", scope.language, {{"coins", std::to_string(pack->coins)}});
  request.locale = scope.language;
  request.success_url = scope.request.origin + "/billing/success?session_id={CHECKOUT_SESSION_ID}";
  request.cancel_url = scope.request.origin + "/billing/cancel";
  request.idempotency_key = "nb-checkout-" + purchase.id;
  auto session = CreateCheckoutSession(scope.ports.http, billing, request);
  if (!session.ok()) {
    (void)purchases.EndPending(purchase.id, purchase_status::kFailed);
    scope.log.Error("billing_checkout_failed",
                    {{"purchase", purchase.id}, {"status", session.status().ToString()}});
    return http::ErrorFromStatus(session.status().code() == Status::Code::kUnavailable
                                     ? session.status()
                                     : Status::Unavailable(session.status().message()));
  }
  NB_TRY(purchases.AttachSession(purchase.id, session->id));
  scope.log.Info("billing_checkout",
                 {{"purchase", purchase.id}, {"pack", pack->id}, {"session", session->id}});
  return http::Response::Json(200, {{"url", session->url}});
}

Reply Webhook(RequestScope& scope) {
  const BillingSettings& billing = scope.settings.billing;
  const std::string& raw = scope.request.body;
  if (raw.size() > kMaxWebhookBytes) {
    return http::ApiError(http::ErrorCode::kPayloadTooLarge, "error.body_too_large")
        .Arg("limit", std::to_string(kMaxWebhookBytes));
  }
  if (billing.stripe_webhook_secret.empty())
    return http::ApiError(http::ErrorCode::kServiceUnavailable, "error.billing_off");
  const int64_t now_s = scope.ports.clock.NowMs() / 1000;
  const Status verified =
      VerifyStripeSignature(scope.ports.crypto, billing.stripe_webhook_secret,
                            scope.request.Header("stripe-signature").value_or(""), raw, now_s);
  if (!verified.ok()) {
    if (verified.code() != Status::Code::kInvalidArgument) return http::ErrorFromStatus(verified);
    scope.log.Warn("billing_signature_rejected", {{"why", verified.message()}});
    return http::ApiError(http::ErrorCode::kBadRequest, "error.stripe_signature");
  }
  const nlohmann::json event = nlohmann::json::parse(raw, nullptr, false);
  if (event.is_discarded()) return http::ApiError(http::ErrorCode::kBadRequest, "error.json_malformed");
  auto outcome = ApplyStripeEvent(scope.repos.purchases, event, scope.log);
  if (!outcome.ok()) {
    if (outcome.status().code() != Status::Code::kInvalidArgument)
      return http::ErrorFromStatus(outcome.status());
    scope.log.Warn("billing_event_malformed", {{"why", outcome.status().message()}});
    return http::ApiError(http::ErrorCode::kBadRequest, "error.stripe_event");
  }
  scope.log.Info(
      "billing_event",
      {{"type", event.value("type", "")}, {"id", event.value("id", "")}, {"outcome", outcome->outcome}});
  return http::Response::Json(200, {{"received", true}, {"outcome", outcome->outcome}});
}

Reply ListMyPurchases(RequestScope& scope) {
  const PageRequest request = NB_TRY(ReadPageRequest(scope.request));
  const auto page = NB_TRY(
      OrError(scope.repos.purchases.ListForUser(scope.user().id, request.limit, request.cursor), ListError));
  return http::Response::Json(200, PageJson(page));
}

Reply ListUserPurchases(RequestScope& scope) {
  const std::string user_id = scope.request.Param("id");
  if (!IsValidId(user_id)) return http::ErrorCode::kNotFound;
  const PageRequest request = NB_TRY(ReadPageRequest(scope.request));
  NB_TRY(OrError(scope.repos.users.FindById(user_id), [](const Status& s) -> http::ApiError {
    return s.IsNotFound() ? http::ApiError(http::ErrorCode::kNotFound) : http::ErrorFromStatus(s);
  }));
  const auto page =
      NB_TRY(OrError(scope.repos.purchases.ListForUser(user_id, request.limit, request.cursor), ListError));
  return http::Response::Json(200, PageJson(page, [](const Purchase& p) { return p.ToAdminJson(); }));
}

// One reward per user per UTC day: the day is in the ledger row's idempotency key, so the unique
// (user_id, idempotency_key) index lets exactly one of two concurrent claims commit.
std::string DailyRewardKey(int64_t now_ms) {
  return std::string("daily_reward:") + FormatIsoUtc(now_ms - now_ms % kDayMs).substr(0, 10);
}

nlohmann::json DailyRewardState(RequestScope& scope) {
  const int64_t now = scope.ports.clock.NowMs();
  auto entry = scope.repos.users.FindLedgerEntryByKey(scope.user().id, DailyRewardKey(now));
  return {{"coins", scope.settings.billing.daily_reward_coins},
          {"claimedToday", entry.ok()},
          {"nextAt", FormatIsoUtc(now - now % kDayMs + kDayMs)}};
}

Reply GetDailyReward(RequestScope& scope) { return http::Response::Json(200, DailyRewardState(scope)); }

Reply ClaimDailyReward(RequestScope& scope) {
  const int64_t coins = scope.settings.billing.daily_reward_coins;
  if (coins <= 0) return http::ApiError(http::ErrorCode::kNotFound, "error.daily_reward_off");
  const std::string user_id = scope.user().id;
  const std::string key = DailyRewardKey(scope.ports.clock.NowMs());
  auto batch = scope.ports.db.Batch(scope.repos.users.CoinChangeStatements(
      user_id, coins, ledger_reason::kDailyReward, std::nullopt, std::nullopt, key));
  if (!batch.ok()) {
    if (batch.status().IsConflict())
      return http::ApiError(http::ErrorCode::kConflict, "error.daily_reward_claimed");
    return http::ErrorFromStatus(batch.status());
  }
  const User user = NB_TRY(scope.repos.users.FindById(user_id));
  scope.log.Info("daily_reward", {{"coins", coins}});
  return http::Response::Json(200, {{"user", user.ToJson()}, {"granted", coins}});
}

}  // namespace

void AddBillingRoutes(RouteTable& app) {
  RouteTable billing = app.Group("/api/billing");
  billing.Get("/packs", ListPacks);
  billing.Post("/checkout", {SignedIn, BillingOn, JsonBody(ParseCheckout)}, Checkout);
  app.Post(kStripeWebhookPath, Webhook);

  RouteTable me = app.Group("/api/me", {SignedIn});
  me.Get("/purchases", ListMyPurchases);
  me.Get("/daily-reward", GetDailyReward);
  me.Post("/daily-reward", ClaimDailyReward);

  RouteTable admin = app.Group("/api/admin", {Admin});
  admin.Get("/users/:id/purchases", ListUserPurchases);
}

}  // namespace nb
