// What a verified Stripe event does to purchases and balances. The signature is checked before this
// (services/stripe_signature.h); here the event is trusted to come from Stripe, but not to be for one
// of our sessions, for the user our row names, for the pack's amount, or to arrive once or in order.
#pragma once

#include <nlohmann/json.hpp>
#include <string>

#include "ports/logger.h"
#include "repositories/purchase_repository.h"

namespace nb {

struct WebhookOutcome {
  // "credited", "credited_and_refunded", "refunded", "refund_recorded", "duplicate", "not_paid",
  // "unknown_session", "user_mismatch", "amount_mismatch", "failed", "expired", "ignored".
  std::string outcome;
};

// InvalidArgument for an event without the fields its type needs (answered 400); everything else,
// including events that change nothing, is an outcome (answered 200 so Stripe stops resending).
Result<WebhookOutcome> ApplyStripeEvent(PurchaseRepository& purchases, const nlohmann::json& event,
                                        const RequestLog& log);

}  // namespace nb
