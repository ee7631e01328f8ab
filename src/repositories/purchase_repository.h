// Coin purchases in D1. Crediting and refunding are each one batch: a conditional state change on
// the purchase row (pending -> paid, paid -> refunded) that marks the row (ledger_step), then the
// balance update and the ledger row that select from the marked row, then the mark cleared. When the
// state change matches nothing (a duplicate, a replay, a concurrent twin that committed first) the
// following statements select nothing and the batch changes nothing. The ledger's unique
// (user_id, idempotency_key) — "purchase:<session id>", "purchase_refund:<session id>" — backs it up.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "models/purchase.h"
#include "ports/clock.h"
#include "ports/database.h"
#include "ports/random.h"
#include "repositories/page_cursor.h"

namespace nb {

struct CreditOutcome {
  bool credited = false;      // this call moved the purchase to paid and wrote the ledger row
  bool refunded_too = false;  // a refund that had arrived first was applied in the same batch
};

struct RefundOutcome {
  bool applied = false;            // this call took coins back (or recorded the shortfall)
  bool before_completion = false;  // no paid purchase yet: kept for the completion event
};

class PurchaseRepository {
 public:
  PurchaseRepository(Database& db, Clock& clock, Random& random) : db_(db), clock_(clock), random_(random) {}

  // A pending purchase of `coins` for `amount` `currency`, before Stripe is asked for a session.
  Result<Purchase> CreatePending(const std::string& user_id, const std::string& pack_id, int64_t coins,
                                 int64_t amount, const std::string& currency);
  // Records Stripe's session id on the purchase (once; a retried create answers the same session).
  Status AttachSession(const std::string& purchase_id, const std::string& session_id);

  Result<Purchase> FindById(const std::string& id);               // NotFound when absent
  Result<Purchase> FindBySession(const std::string& session_id);  // NotFound when absent

  // pending -> paid and the coins credited (ledger reason "purchase"), at most once.
  Result<CreditOutcome> Credit(const std::string& purchase_id, const std::string& session_id,
                               const std::string& payment_intent);
  // charge.refunded for this payment intent: paid -> refunded and the coins taken back, never
  // below zero (the shortfall is recorded on the purchase), at most once; kept for later when the
  // purchase is not paid yet.
  Result<RefundOutcome> Refund(const std::string& payment_intent, const std::string& event_id);
  // pending -> failed / expired; false when the purchase was not pending.
  Result<bool> EndPending(const std::string& purchase_id, const char* status);

  Result<Page<Purchase>> ListForUser(const std::string& user_id, int limit,
                                     const std::optional<std::string>& cursor);

 private:
  // The refund statements for the purchase `where_column` = `key` already marked ledger_step='refund'.
  std::vector<SqlStatement> TakeBackStatements(const char* where_column, const std::string& key, int64_t now);
  SqlStatement MarkRefund(const char* where_column, const std::string& key, const char* condition,
                          int64_t now);

  Database& db_;
  Clock& clock_;
  Random& random_;
};

}  // namespace nb
