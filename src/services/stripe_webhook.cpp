#include "services/stripe_webhook.h"

namespace nb {
namespace {

std::string Text(const nlohmann::json& object, const char* name) {
  auto it = object.find(name);
  return it != object.end() && it->is_string() ? it->get<std::string>() : std::string();
}

// payment_intent is an id, or the expanded object when the caller asked for it.
std::string PaymentIntentId(const nlohmann::json& object) {
  auto it = object.find("payment_intent");
  if (it == object.end()) return "";
  if (it->is_string()) return it->get<std::string>();
  if (it->is_object()) return Text(*it, "id");
  return "";
}

// Our purchase for this session: by Stripe's id, else by the metadata[purchaseId] we sent (the row
// whose session id was never recorded because the Worker stopped between Stripe's answer and the write).
Result<Purchase> FindPurchase(PurchaseRepository& purchases, const nlohmann::json& session) {
  const std::string session_id = Text(session, "id");
  auto found = purchases.FindBySession(session_id);
  if (found.ok() || !found.status().IsNotFound()) return found;
  const auto metadata = session.find("metadata");
  if (metadata == session.end() || !metadata->is_object()) return found.status();
  const std::string purchase_id = Text(*metadata, "purchaseId");
  if (purchase_id.empty()) return found.status();
  auto by_id = purchases.FindById(purchase_id);
  if (by_id.ok() && by_id->session_id && *by_id->session_id != session_id) {
    return Status::NotFound("purchase belongs to another session");
  }
  return by_id;
}

Result<WebhookOutcome> OnSession(PurchaseRepository& purchases, const std::string& type,
                                 const nlohmann::json& session, const RequestLog& log) {
  const std::string session_id = Text(session, "id");
  if (session_id.empty()) return Status::InvalidArgument("checkout session without an id");
  auto found = FindPurchase(purchases, session);
  if (!found.ok()) {
    if (!found.status().IsNotFound()) return found.status();
    log.Warn("billing_unknown_session", {{"type", type}, {"session", session_id}});
    return WebhookOutcome{"unknown_session"};
  }
  const Purchase& purchase = *found;
  // Our session carries our user twice; anything else is not this purchase.
  const auto metadata = session.find("metadata");
  const std::string meta_user =
      metadata != session.end() && metadata->is_object() ? Text(*metadata, "userId") : std::string();
  const std::string reference = Text(session, "client_reference_id");
  if ((!meta_user.empty() && meta_user != purchase.user_id) ||
      (!reference.empty() && reference != purchase.user_id)) {
    log.Error("billing_user_mismatch", {{"session", session_id}, {"purchase", purchase.id}});
    return WebhookOutcome{"user_mismatch"};
  }

  if (type == "checkout.session.async_payment_failed" || type == "checkout.session.expired") {
    const bool failed = type == "checkout.session.async_payment_failed";
    NB_ASSIGN_OR_RETURN(bool ended, purchases.EndPending(purchase.id, failed ? purchase_status::kFailed
                                                                             : purchase_status::kExpired));
    return WebhookOutcome{ended ? (failed ? "failed" : "expired") : "duplicate"};
  }

  if (Text(session, "payment_status") != "paid") return WebhookOutcome{"not_paid"};
  const auto amount = session.find("amount_total");
  const bool amount_ok =
      amount != session.end() && amount->is_number_integer() && amount->get<int64_t>() == purchase.amount;
  if (!amount_ok || Text(session, "currency") != purchase.currency) {
    log.Error("billing_amount_mismatch",
              {{"session", session_id},
               {"purchase", purchase.id},
               {"expected", std::to_string(purchase.amount) + " " + purchase.currency},
               {"got", (amount != session.end() ? amount->dump() : std::string("none")) + " " +
                           Text(session, "currency")}});
    return WebhookOutcome{"amount_mismatch"};
  }
  NB_ASSIGN_OR_RETURN(CreditOutcome credit,
                      purchases.Credit(purchase.id, session_id, PaymentIntentId(session)));
  if (!credit.credited) return WebhookOutcome{"duplicate"};
  log.Info("billing_credited",
           {{"purchase", purchase.id}, {"coins", purchase.coins}, {"refundedToo", credit.refunded_too}});
  return WebhookOutcome{credit.refunded_too ? "credited_and_refunded" : "credited"};
}

Result<WebhookOutcome> OnChargeRefunded(PurchaseRepository& purchases, const std::string& event_id,
                                        const nlohmann::json& charge, const RequestLog& log) {
  const std::string payment_intent = PaymentIntentId(charge);
  if (payment_intent.empty()) {
    // A charge outside Checkout (no payment intent) is none of ours.
    log.Warn("billing_refund_without_payment_intent", {{"charge", Text(charge, "id")}});
    return WebhookOutcome{"ignored"};
  }
  NB_ASSIGN_OR_RETURN(RefundOutcome refund, purchases.Refund(payment_intent, event_id));
  if (refund.applied) {
    log.Info("billing_refunded", {{"paymentIntent", payment_intent}});
    return WebhookOutcome{"refunded"};
  }
  if (refund.before_completion) {
    log.Warn("billing_refund_before_completion", {{"paymentIntent", payment_intent}});
    return WebhookOutcome{"refund_recorded"};
  }
  return WebhookOutcome{"duplicate"};
}

}  // namespace

Result<WebhookOutcome> ApplyStripeEvent(PurchaseRepository& purchases, const nlohmann::json& event,
                                        const RequestLog& log) {
  if (!event.is_object()) return Status::InvalidArgument("event is not an object");
  const std::string type = Text(event, "type");
  const std::string id = Text(event, "id");
  if (type.empty() || id.empty()) return Status::InvalidArgument("event without id or type");
  const auto data = event.find("data");
  if (data == event.end() || !data->is_object() || !data->contains("object") ||
      !(*data)["object"].is_object()) {
    return Status::InvalidArgument("event without data.object");
  }
  const nlohmann::json& object = (*data)["object"];
  if (type == "checkout.session.completed" || type == "checkout.session.async_payment_succeeded" ||
      type == "checkout.session.async_payment_failed" || type == "checkout.session.expired") {
    return OnSession(purchases, type, object, log);
  }
  if (type == "charge.refunded") return OnChargeRefunded(purchases, id, object, log);
  return WebhookOutcome{"ignored"};
}

}  // namespace nb
