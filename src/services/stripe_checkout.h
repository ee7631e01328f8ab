// Creates a Stripe Checkout Session for one coin pack with Stripe's REST API
// (POST {STRIPE_API_BASE}/v1/checkout/sessions, form-encoded, Authorization: Bearer <secret key>).
// The Idempotency-Key makes a retried create (ours after a network error, or the client's retry of
// POST /api/billing/checkout with its own key) return the same session instead of a second one.
#pragma once

#include <string>
#include <utility>
#include <vector>

#include "ports/http_client.h"
#include "services/coin_packs.h"

namespace nb {

struct CheckoutRequest {
  std::string purchase_id;  // our row, also sent as metadata[purchaseId]
  std::string user_id;
  std::string user_email;
  const CoinPack* pack = nullptr;
  std::string product_name;  // the line item's name, in the buyer's language
  std::string locale;        // Checkout's page language ("en", "es")
  std::string success_url;   // may contain {CHECKOUT_SESSION_ID}
  std::string cancel_url;
  std::string idempotency_key;
};

struct CheckoutSession {
  std::string id;   // cs_...
  std::string url;  // the hosted page
};

// The form fields, in the order sent (tests and the fake check them).
std::vector<std::pair<std::string, std::string>> CheckoutSessionForm(const CheckoutRequest& request);

// Unavailable for a network failure or a 5xx (after one retry with the same key); Internal naming
// Stripe's error for any other non-2xx answer or a body without id and url.
Result<CheckoutSession> CreateCheckoutSession(HttpClient& http, const BillingSettings& billing,
                                              const CheckoutRequest& request);

}  // namespace nb
