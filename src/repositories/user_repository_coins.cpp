// UserRepository's coin ledger half: balance changes and their history.
#include "repositories/admin_audit_repository.h"
#include "repositories/keyset_page.h"
#include "repositories/user_repository.h"
#include "util/ids.h"

namespace nb {

Result<LedgerEntry> UserRepository::ChangeCoins(const std::string& user_id, int64_t delta,
                                                const std::string& reason,
                                                const std::optional<std::string>& image_id,
                                                const std::optional<std::string>& actor_id,
                                                const std::optional<std::string>& idempotency_key) {
  if (delta == 0) return Status::InvalidArgument("coin change must be non-zero");
  if (reason.empty()) return Status::InvalidArgument("coin change needs a reason");
  if (idempotency_key && idempotency_key->empty()) return Status::InvalidArgument("empty idempotency key");
  // A retry usually finds its entry here; the UNIQUE index below covers the concurrent case.
  if (idempotency_key) {
    auto existing = FindLedgerEntryByKey(user_id, *idempotency_key);
    if (existing.ok()) return Replay(*existing, delta, reason);
    if (!existing.status().IsNotFound()) return existing.status();
  }

  std::vector<SqlStatement> batch =
      CoinChangeStatements(user_id, delta, reason, image_id, actor_id, idempotency_key);
  if (actor_id) {
    // An admin's change: its audit row commits with it or not at all.
    AdminAuditRepository audit(db_, clock_, random_);
    batch.push_back(audit.CoinGrantStatement(*actor_id, user_id, delta, reason));
  }
  auto result = db_.Batch(batch);
  if (!result.ok()) return ExplainCoinFailure(result.status(), user_id, delta, reason, idempotency_key);
  if (result->size() < 2 || (*result)[1].rows.empty())
    return Status::Internal("ledger insert returned no row");
  return LedgerEntry::FromRow((*result)[1].rows.front());
}

std::vector<SqlStatement> UserRepository::CoinChangeStatements(
    const std::string& user_id, int64_t delta, const std::string& reason,
    const std::optional<std::string>& image_id, const std::optional<std::string>& actor_id,
    const std::optional<std::string>& idempotency_key) {
  const int64_t now = clock_.NowMs();
  // One transaction: CHECK (coins >= 0) refuses an overdraft, a missing user leaves balance_after
  // NULL (NOT NULL fails), a reused key fails UNIQUE; each rolls back the balance update too.
  return {
      db_.Prepare("UPDATE users SET coins = coins + ?, updated_at = ? WHERE id = ?")
          .Bind(delta)
          .Bind(now)
          .Bind(user_id)
          .statement(),
      db_.Prepare("INSERT INTO coin_ledger (id, user_id, delta, reason, image_id, actor_id, idempotency_key, "
                  "balance_after, created_at) "
                  "VALUES (?, ?, ?, ?, ?, ?, ?, (SELECT coins FROM users WHERE id = ?), ?) RETURNING *")
          .Bind(NewId(random_))
          .Bind(user_id)
          .Bind(delta)
          .Bind(reason)
          .Bind(image_id)
          .Bind(actor_id)
          .Bind(idempotency_key)
          .Bind(user_id)
          .Bind(now)
          .statement(),
  };
}

Result<LedgerEntry> UserRepository::Replay(const LedgerEntry& existing, int64_t delta,
                                           const std::string& reason) {
  if (existing.delta != delta || existing.reason != reason) {
    return Status::Conflict("idempotency key already used for a different coin change");
  }
  return existing;
}

Result<LedgerEntry> UserRepository::ExplainCoinFailure(const Status& failure, const std::string& user_id,
                                                       int64_t delta, const std::string& reason,
                                                       const std::optional<std::string>& idempotency_key) {
  const Status::Code code = failure.code();
  if (code != Status::Code::kConflict && code != Status::Code::kFailedPrecondition) return failure;
  // A concurrent call with the same key may have won; its entry is the answer for both. Checked
  // for CHECK failures too: the winner's debit can be what left this retry's balance short.
  if (idempotency_key) {
    auto existing = FindLedgerEntryByKey(user_id, *idempotency_key);
    if (existing.ok()) return Replay(*existing, delta, reason);
    if (!existing.status().IsNotFound()) return existing.status();
  }
  if (code == Status::Code::kConflict) return failure;  // an id collision: astronomically rare
  if (auto user = FindById(user_id); !user.ok()) return user.status();  // NotFound for an unknown user
  if (delta > 0) return Status::FailedPrecondition("balance would exceed the maximum");
  return Status::FailedPrecondition("insufficient coins");
}

Result<LedgerEntry> UserRepository::FindLedgerEntryByKey(const std::string& user_id,
                                                         const std::string& idempotency_key) {
  NB_ASSIGN_OR_RETURN(auto row,
                      db_.Prepare("SELECT * FROM coin_ledger WHERE user_id = ? AND idempotency_key = ?")
                          .Bind(user_id)
                          .Bind(idempotency_key)
                          .First());
  if (!row) return Status::NotFound("no ledger entry for this idempotency key");
  return LedgerEntry::FromRow(*row);
}

Result<Page<LedgerEntry>> UserRepository::ListLedger(const std::string& user_id, int limit,
                                                     const std::optional<std::string>& cursor) {
  NB_ASSIGN_OR_RETURN(KeysetPage paging, KeysetPage::Start(limit, cursor));
  NB_ASSIGN_OR_RETURN(auto result,
                      db_.Execute(paging.Query("SELECT * FROM coin_ledger WHERE user_id = ?", {user_id})));
  return paging.Collect<LedgerEntry>(result.rows);
}

Result<int64_t> UserRepository::LedgerSum(const std::string& user_id) {
  NB_ASSIGN_OR_RETURN(auto row, db_.Prepare("SELECT COALESCE(SUM(delta), 0) AS total "
                                            "FROM coin_ledger WHERE user_id = ?")
                                    .Bind(user_id)
                                    .First());
  if (!row) return Status::Internal("SUM returned no row");
  return row->GetInt64("total");
}

}  // namespace nb
