#include "models/purchase.h"

#include "util/time_format.h"

namespace nb {

Result<Purchase> Purchase::FromRow(const SqlRow& row) {
  Purchase p;
  NB_ASSIGN_OR_RETURN(p.id, row.GetText("id"));
  NB_ASSIGN_OR_RETURN(p.user_id, row.GetText("user_id"));
  NB_ASSIGN_OR_RETURN(p.pack_id, row.GetText("pack_id"));
  NB_ASSIGN_OR_RETURN(p.coins, row.GetInt64("coins"));
  NB_ASSIGN_OR_RETURN(p.amount, row.GetInt64("amount"));
  NB_ASSIGN_OR_RETURN(p.currency, row.GetText("currency"));
  NB_ASSIGN_OR_RETURN(p.status, row.GetText("status"));
  NB_ASSIGN_OR_RETURN(p.session_id, row.GetOptionalText("session_id"));
  NB_ASSIGN_OR_RETURN(p.payment_intent, row.GetOptionalText("payment_intent"));
  NB_ASSIGN_OR_RETURN(p.refunded_coins, row.GetInt64("refunded_coins"));
  NB_ASSIGN_OR_RETURN(p.refund_shortfall, row.GetInt64("refund_shortfall"));
  NB_ASSIGN_OR_RETURN(p.created_at_ms, row.GetInt64("created_at"));
  NB_ASSIGN_OR_RETURN(p.updated_at_ms, row.GetInt64("updated_at"));
  return p;
}

nlohmann::json Purchase::ToJson() const {
  return {{"id", id},
          {"packId", pack_id},
          {"coins", coins},
          {"amount", amount},
          {"currency", currency},
          {"status", status},
          {"createdAt", FormatIsoUtc(created_at_ms)}};
}

nlohmann::json Purchase::ToAdminJson() const {
  nlohmann::json j = ToJson();
  auto text = [](const std::optional<std::string>& v) {
    return v ? nlohmann::json(*v) : nlohmann::json(nullptr);
  };
  j["userId"] = user_id;
  j["sessionId"] = text(session_id);
  j["paymentIntent"] = text(payment_intent);
  j["refundedCoins"] = refunded_coins;
  j["refundShortfall"] = refund_shortfall;
  j["updatedAt"] = FormatIsoUtc(updated_at_ms);
  return j;
}

}  // namespace nb
