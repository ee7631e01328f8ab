#include "repositories/purchase_repository.h"

#include "models/ledger_entry.h"
#include "repositories/keyset_page.h"
#include "util/ids.h"

namespace nb {

Result<Purchase> PurchaseRepository::CreatePending(const std::string& user_id, const std::string& pack_id,
                                                   int64_t coins, int64_t amount,
                                                   const std::string& currency) {
  const int64_t now = clock_.NowMs();
  NB_ASSIGN_OR_RETURN(auto row,
                      db_.Prepare("INSERT INTO purchases (id, user_id, pack_id, coins, amount, currency, "
                                  "status, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) "
                                  "RETURNING *")
                          .Bind(NewId(random_))
                          .Bind(user_id)
                          .Bind(pack_id)
                          .Bind(coins)
                          .Bind(amount)
                          .Bind(currency)
                          .Bind(purchase_status::kPending)
                          .Bind(now)
                          .Bind(now)
                          .First());
  if (!row) return Status::Internal("purchase insert returned no row");
  return Purchase::FromRow(*row);
}

Status PurchaseRepository::AttachSession(const std::string& purchase_id, const std::string& session_id) {
  auto r =
      db_.Prepare("UPDATE purchases SET session_id = ?, updated_at = ? WHERE id = ? AND session_id IS NULL")
          .Bind(session_id)
          .Bind(clock_.NowMs())
          .Bind(purchase_id)
          .Run();
  return r.ok() ? Status::Ok() : r.status();
}

Result<Purchase> PurchaseRepository::FindById(const std::string& id) {
  NB_ASSIGN_OR_RETURN(auto row, db_.Prepare("SELECT * FROM purchases WHERE id = ?").Bind(id).First());
  if (!row) return Status::NotFound("no such purchase");
  return Purchase::FromRow(*row);
}

Result<Purchase> PurchaseRepository::FindBySession(const std::string& session_id) {
  NB_ASSIGN_OR_RETURN(auto row,
                      db_.Prepare("SELECT * FROM purchases WHERE session_id = ?").Bind(session_id).First());
  if (!row) return Status::NotFound("no purchase for this Checkout Session");
  return Purchase::FromRow(*row);
}

SqlStatement PurchaseRepository::MarkRefund(const char* where_column, const std::string& key,
                                            const char* condition, int64_t now) {
  // Takes back what the balance holds, up to the pack's coins: the rest is the shortfall. SET
  // expressions all read the row as it was, so both columns see the same balance.
  const std::string held = "MIN(coins, (SELECT u.coins FROM users u WHERE u.id = purchases.user_id))";
  return db_
      .Prepare("UPDATE purchases SET status = 'refunded', refunded_coins = " + held +
               ", refund_shortfall = coins - " + held + ", ledger_step = 'refund', updated_at = ? WHERE " +
               where_column + " = ? AND " + condition)
      .Bind(now)
      .Bind(key)
      .statement();
}

std::vector<SqlStatement> PurchaseRepository::TakeBackStatements(const char* where_column,
                                                                 const std::string& key, int64_t now) {
  const std::string marked =
      std::string("FROM purchases WHERE ") + where_column + " = ? AND ledger_step = 'refund'";
  return {
      db_.Prepare("UPDATE users SET coins = coins - (SELECT refunded_coins " + marked +
                  " LIMIT 1), updated_at = ? WHERE id = (SELECT user_id " + marked + " LIMIT 1)")
          .Bind(key)
          .Bind(now)
          .Bind(key)
          .statement(),
      db_.Prepare("INSERT INTO coin_ledger (id, user_id, delta, reason, image_id, actor_id, idempotency_key, "
                  "balance_after, created_at) SELECT ?, user_id, -refunded_coins, ?, NULL, NULL, "
                  "'purchase_refund:' || session_id, (SELECT u.coins FROM users u WHERE u.id = "
                  "purchases.user_id), "
                  // At least a millisecond after the credit, so the history (newest first by
                  // created_at, then a random id) lists the refund after the purchase it undoes.
                  "MAX(?, COALESCE((SELECT l.created_at + 1 FROM coin_ledger l WHERE l.user_id = "
                  "purchases.user_id AND l.idempotency_key = 'purchase:' || purchases.session_id), 0)) " +
                  marked + " AND refunded_coins > 0")
          .Bind(NewId(random_))
          .Bind(ledger_reason::kPurchaseRefund)
          .Bind(now)
          .Bind(key)
          .statement(),
  };
}

Result<CreditOutcome> PurchaseRepository::Credit(const std::string& purchase_id,
                                                 const std::string& session_id,
                                                 const std::string& payment_intent) {
  const int64_t now = clock_.NowMs();
  const char* marked = "FROM purchases WHERE id = ? AND ledger_step = 'credit'";
  std::vector<SqlStatement> batch = {
      // 0: the state change everything else hangs on.
      db_.Prepare("UPDATE purchases SET status = 'paid', session_id = COALESCE(session_id, ?), "
                  "payment_intent = COALESCE(?, payment_intent), ledger_step = 'credit', updated_at = ? "
                  "WHERE id = ? AND status = 'pending'")
          .Bind(session_id)
          .Bind(payment_intent.empty() ? std::nullopt : std::optional<std::string>(payment_intent))
          .Bind(now)
          .Bind(purchase_id)
          .statement(),
      // 1: the balance.
      db_.Prepare(std::string("UPDATE users SET coins = coins + (SELECT coins ") + marked +
                  "), updated_at = ? WHERE id = (SELECT user_id " + marked + ")")
          .Bind(purchase_id)
          .Bind(now)
          .Bind(purchase_id)
          .statement(),
      // 2: the ledger row recording it.
      db_.Prepare(std::string(
                      "INSERT INTO coin_ledger (id, user_id, delta, reason, image_id, actor_id, "
                      "idempotency_key, balance_after, created_at) SELECT ?, user_id, coins, ?, NULL, NULL, "
                      "'purchase:' || session_id, (SELECT u.coins FROM users u WHERE u.id = "
                      "purchases.user_id), ? ") +
                  marked)
          .Bind(NewId(random_))
          .Bind(ledger_reason::kPurchase)
          .Bind(now)
          .Bind(purchase_id)
          .statement(),
      // 3: a refund that arrived before this completion is applied now.
      MarkRefund("id", purchase_id,
                 "ledger_step = 'credit' AND payment_intent IN (SELECT payment_intent FROM purchase_refunds)",
                 now),
  };
  for (auto& s : TakeBackStatements("id", purchase_id, now)) batch.push_back(std::move(s));
  batch.push_back(
      db_.Prepare("UPDATE purchases SET ledger_step = NULL WHERE id = ? AND ledger_step IS NOT NULL")
          .Bind(purchase_id)
          .statement());
  NB_ASSIGN_OR_RETURN(auto results, db_.Batch(batch));
  CreditOutcome out;
  out.credited = results.size() > 3 && results[0].changes > 0;
  out.refunded_too = results.size() > 3 && results[3].changes > 0;
  return out;
}

Result<RefundOutcome> PurchaseRepository::Refund(const std::string& payment_intent,
                                                 const std::string& event_id) {
  const int64_t now = clock_.NowMs();
  std::vector<SqlStatement> batch = {
      db_.Prepare("INSERT OR IGNORE INTO purchase_refunds (payment_intent, event_id, received_at) VALUES (?, "
                  "?, ?)")
          .Bind(payment_intent)
          .Bind(event_id)
          .Bind(now)
          .statement(),
      MarkRefund("payment_intent", payment_intent, "status = 'paid'", now),
  };
  for (auto& s : TakeBackStatements("payment_intent", payment_intent, now)) batch.push_back(std::move(s));
  batch.push_back(
      db_.Prepare(
             "UPDATE purchases SET ledger_step = NULL WHERE payment_intent = ? AND ledger_step IS NOT NULL")
          .Bind(payment_intent)
          .statement());
  NB_ASSIGN_OR_RETURN(auto results, db_.Batch(batch));
  RefundOutcome out;
  out.applied = results.size() > 1 && results[1].changes > 0;
  if (!out.applied) {
    NB_ASSIGN_OR_RETURN(
        auto row,
        db_.Prepare("SELECT id FROM purchases WHERE payment_intent = ?").Bind(payment_intent).First());
    out.before_completion = !row.has_value();
  }
  return out;
}

Result<bool> PurchaseRepository::EndPending(const std::string& purchase_id, const char* status) {
  NB_ASSIGN_OR_RETURN(auto r, db_.Prepare("UPDATE purchases SET status = ?, updated_at = ? WHERE id = ? AND "
                                          "status = 'pending'")
                                  .Bind(status)
                                  .Bind(clock_.NowMs())
                                  .Bind(purchase_id)
                                  .Run());
  return r.changes > 0;
}

Result<Page<Purchase>> PurchaseRepository::ListForUser(const std::string& user_id, int limit,
                                                       const std::optional<std::string>& cursor) {
  NB_ASSIGN_OR_RETURN(KeysetPage paging, KeysetPage::Start(limit, cursor));
  NB_ASSIGN_OR_RETURN(auto result,
                      db_.Execute(paging.Query("SELECT * FROM purchases WHERE user_id = ?", {user_id})));
  return paging.Collect<Purchase>(result.rows);
}

}  // namespace nb
