#include "models/ledger_entry.h"

#include "util/time_format.h"

namespace nb {

Result<LedgerEntry> LedgerEntry::FromRow(const SqlRow& row) {
  LedgerEntry e;
  NB_ASSIGN_OR_RETURN(e.id, row.GetText("id"));
  NB_ASSIGN_OR_RETURN(e.user_id, row.GetText("user_id"));
  NB_ASSIGN_OR_RETURN(e.delta, row.GetInt64("delta"));
  NB_ASSIGN_OR_RETURN(e.balance_after, row.GetInt64("balance_after"));
  NB_ASSIGN_OR_RETURN(e.created_at_ms, row.GetInt64("created_at"));
  NB_ASSIGN_OR_RETURN(e.reason, row.GetText("reason"));
  NB_ASSIGN_OR_RETURN(e.image_id, row.GetOptionalText("image_id"));
  NB_ASSIGN_OR_RETURN(e.actor_id, row.GetOptionalText("actor_id"));
  NB_ASSIGN_OR_RETURN(e.idempotency_key, row.GetOptionalText("idempotency_key"));
  return e;
}

nlohmann::json LedgerEntry::ToJson() const {
  return {{"id", id},
          {"delta", delta},
          {"reason", reason},
          {"imageId", image_id ? nlohmann::json(*image_id) : nlohmann::json(nullptr)},
          {"balanceAfter", balance_after},
          {"createdAt", FormatIsoUtc(created_at_ms)}};
}

}  // namespace nb
