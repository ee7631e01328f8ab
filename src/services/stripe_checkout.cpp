#include "services/stripe_checkout.h"

#include <nlohmann/json.hpp>

#include "util/url_encode.h"

namespace nb {

std::vector<std::pair<std::string, std::string>> CheckoutSessionForm(const CheckoutRequest& r) {
  std::vector<std::pair<std::string, std::string>> form = {
      {"mode", "payment"},
      {"line_items[0][price_data][currency]", r.pack->currency},
      {"line_items[0][price_data][unit_amount]", std::to_string(r.pack->amount)},
      {"line_items[0][price_data][product_data][name]", r.product_name},
      {"line_items[0][quantity]", "1"},
      {"client_reference_id", r.user_id},
      {"metadata[userId]", r.user_id},
      {"metadata[packId]", r.pack->id},
      {"metadata[purchaseId]", r.purchase_id},
      {"success_url", r.success_url},
      {"cancel_url", r.cancel_url},
  };
  if (!r.user_email.empty()) form.emplace_back("customer_email", r.user_email);
  if (!r.locale.empty()) form.emplace_back("locale", r.locale);
  return form;
}

Result<CheckoutSession> CreateCheckoutSession(HttpClient& http, const BillingSettings& billing,
                                              const CheckoutRequest& r) {
  HttpRequest request;
  request.method = "POST";
  request.url = billing.stripe_api_base + "/v1/checkout/sessions";
  request.headers = {{"authorization", "Bearer " + billing.stripe_secret_key},
                     {"content-type", "application/x-www-form-urlencoded"},
                     {"idempotency-key", r.idempotency_key}};
  request.body = FormEncode(CheckoutSessionForm(r));
  request.timeout_ms = 15000;

  Result<HttpResponse> response = http.Fetch(request);
  // Stripe's advice: retry network errors and 5xx with the same key; the key makes it safe.
  if (!response.ok() || response->status >= 500) response = http.Fetch(request);
  if (!response.ok()) return response.status();
  if (response->status >= 500) {
    return Status::Unavailable("Stripe answered " + std::to_string(response->status));
  }
  auto body = nlohmann::json::parse(response->body, nullptr, false);
  if (response->status != 200) {
    std::string message = "Stripe answered " + std::to_string(response->status);
    if (body.is_object() && body.contains("error") && body["error"].is_object())
      message += ": " + body["error"].value("message", std::string());
    return Status::Internal(message);
  }
  if (!body.is_object() || !body.contains("id") || !body["id"].is_string() || !body.contains("url") ||
      !body["url"].is_string()) {
    return Status::Internal("Stripe's Checkout Session has no id or url");
  }
  return CheckoutSession{body["id"].get<std::string>(), body["url"].get<std::string>()};
}

}  // namespace nb
