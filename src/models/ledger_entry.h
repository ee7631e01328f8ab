// One row of the coin ledger: every balance change, with the balance it left behind.
#pragma once

#include <cstdint>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>

#include "ports/sql_row.h"
#include "ports/status.h"

namespace nb {

// Reasons the application writes; the column is free text so new reasons need no migration.
namespace ledger_reason {
inline constexpr char kSignupBonus[] = "signup_bonus";
inline constexpr char kAdminGrant[] = "admin_grant";
inline constexpr char kHold[] = "hold";
inline constexpr char kSettle[] = "settle";
inline constexpr char kRefund[] = "refund";
inline constexpr char kPurchase[] = "purchase";             // a paid Stripe Checkout Session
inline constexpr char kPurchaseRefund[] = "purchase_refund";  // its charge refunded
inline constexpr char kDailyReward[] = "daily_reward";
}  // namespace ledger_reason

struct LedgerEntry {
  std::string id;
  std::string user_id;
  int64_t delta = 0;
  std::string reason;
  std::optional<std::string> image_id;
  std::optional<std::string> actor_id;
  std::optional<std::string> idempotency_key;
  int64_t balance_after = 0;
  int64_t created_at_ms = 0;

  static Result<LedgerEntry> FromRow(const SqlRow& row);
  // API.md's transaction item: {"id","delta","reason","imageId","balanceAfter","createdAt"}.
  nlohmann::json ToJson() const;
};

}  // namespace nb
