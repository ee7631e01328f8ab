// One coin purchase: a Stripe Checkout Session for a pack, and what happened to it.
#pragma once

#include <cstdint>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>

#include "ports/sql_row.h"
#include "ports/status.h"

namespace nb {

namespace purchase_status {
inline constexpr char kPending[] = "pending";    // session created, not paid (yet)
inline constexpr char kPaid[] = "paid";          // coins credited
inline constexpr char kRefunded[] = "refunded";  // coins taken back (refunded_coins, refund_shortfall)
inline constexpr char kFailed[] = "failed";      // async payment failed
inline constexpr char kExpired[] = "expired";    // the session expired unpaid
}  // namespace purchase_status

struct Purchase {
  std::string id;
  std::string user_id;
  std::string pack_id;
  int64_t coins = 0;
  int64_t amount = 0;
  std::string currency;
  std::string status;
  std::optional<std::string> session_id;
  std::optional<std::string> payment_intent;
  int64_t refunded_coins = 0;
  int64_t refund_shortfall = 0;
  int64_t created_at_ms = 0;
  int64_t updated_at_ms = 0;

  static Result<Purchase> FromRow(const SqlRow& row);
  // API.md's purchase item: {"id","packId","coins","amount","currency","status","createdAt"}.
  nlohmann::json ToJson() const;
  // What an admin sees: the item plus the user, Stripe's ids and the refund's outcome.
  nlohmann::json ToAdminJson() const;
};

}  // namespace nb
