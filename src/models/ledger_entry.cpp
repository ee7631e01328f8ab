#include "models/ledger_entry.h"

#include "util/row_fields.h"
#include "util/time_format.h"

namespace nb {

Result<LedgerEntry> LedgerEntry::FromRow(const nlohmann::json& row) {
  auto id = RowString(row, "id");
  auto user_id = RowString(row, "user_id");
  auto delta = RowInt(row, "delta");
  auto balance = RowInt(row, "balance_after");
  auto created = RowInt(row, "created_at");
  if (!id || !user_id || !delta || !balance || !created) {
    return Status::Internal("coin_ledger row lacks a required column");
  }
  LedgerEntry e;
  e.id = *id;
  e.user_id = *user_id;
  e.delta = *delta;
  e.reason = RowString(row, "reason").value_or("");
  e.image_id = RowString(row, "image_id");
  e.actor_id = RowString(row, "actor_id");
  e.idempotency_key = RowString(row, "idempotency_key");
  e.balance_after = *balance;
  e.created_at_ms = *created;
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
