// Users and their coin ledger in D1. Every balance change is one atomic batch that updates
// users.coins and appends the ledger row recording it, so balance == sum(ledger.delta) always.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "models/ledger_entry.h"
#include "models/user.h"
#include "ports/clock.h"
#include "ports/database.h"
#include "ports/random.h"
#include "repositories/page_cursor.h"

namespace nb {

class UserRepository {
 public:
  UserRepository(Database& db, Clock& clock, Random& random) : db_(db), clock_(clock), random_(random) {}

  // Inserts a new user from draft's email (lower-cased), google_id, names, roles and language.
  // draft.coins is ignored: a positive signup_bonus is credited with its ledger row in the same
  // batch. Conflict when the email or Google account is already registered.
  Result<User> Create(const User& draft, int64_t signup_bonus = 0);

  // NotFound when absent.
  Result<User> FindById(const std::string& id);
  Result<User> FindByEmail(const std::string& email);
  Result<User> FindByGoogleId(const std::string& google_id);

  // Sign-in with Google: the user with this Google id, else the user with this (verified) email
  // linked to it when that user has no Google id yet, else a new user with the signup bonus.
  // Conflict when the email belongs to a different Google account.
  Result<User> FindOrCreateByGoogle(const std::string& google_id, const std::string& email,
                                    const std::string& first_name, const std::string& last_name,
                                    const std::string& language, int64_t signup_bonus);
  // Development sign-in: the user with this email, else a new one with the signup bonus.
  Result<User> FindOrCreateByEmail(const std::string& email, const std::string& first_name,
                                   const std::string& last_name, const std::string& language,
                                   int64_t signup_bonus);

  // Writes first_name, last_name and language. NotFound when absent.
  Result<User> Update(const User& user);
  // Removes the user; their images and ledger rows go with them (ON DELETE CASCADE).
  Status Delete(const std::string& id);

  // Role changes refuse (FailedPrecondition) to leave the system without an admin; the check
  // and the write are one statement, so two admins demoting each other cannot both succeed.
  // With an actor (an admin's change), the admin audit row is written in the same batch.
  Result<User> SetRoles(const std::string& id, const std::vector<Role>& roles,
                        const std::optional<std::string>& actor_id = std::nullopt);
  Result<User> AddRole(const std::string& id, Role role);
  Result<User> RemoveRole(const std::string& id, Role role);
  Result<int64_t> CountAdmins();
  // Ends every session the user has (logout-everywhere): sessions remember the epoch they were made in.
  Status BumpSessionEpoch(const std::string& id);

  // Admin listing, newest first; query matches id, email or names (case-insensitive, substring).
  Result<Page<User>> Search(const std::string& query, int limit, const std::optional<std::string>& cursor);

  // Applies delta (non-zero) to the balance and records it. FailedPrecondition "insufficient coins"
  // when the balance would go negative (nothing is written); NotFound for an unknown user. With an
  // idempotency key a retry returns the entry the first call wrote instead of applying twice;
  // reusing a key for a different delta or reason is a Conflict.
  Result<LedgerEntry> ChangeCoins(const std::string& user_id, int64_t delta, const std::string& reason,
                                  const std::optional<std::string>& image_id = std::nullopt,
                                  const std::optional<std::string>& actor_id = std::nullopt,
                                  const std::optional<std::string>& idempotency_key = std::nullopt);
  // ChangeCoins' two statements (balance update, then the ledger row recording it) for a caller that
  // must apply them in one batch with its own writes: the batch fails as a whole on an overdraft
  // (CHECK), an unknown user (balance_after NOT NULL) or a reused idempotency key (UNIQUE). No replay
  // lookup is done; the caller explains a failed batch.
  std::vector<SqlStatement> CoinChangeStatements(const std::string& user_id, int64_t delta,
                                                 const std::string& reason,
                                                 const std::optional<std::string>& image_id,
                                                 const std::optional<std::string>& actor_id,
                                                 const std::optional<std::string>& idempotency_key);
  // The entry written under this key, NotFound if none.
  Result<LedgerEntry> FindLedgerEntryByKey(const std::string& user_id, const std::string& idempotency_key);
  Result<Page<LedgerEntry>> ListLedger(const std::string& user_id, int limit,
                                       const std::optional<std::string>& cursor);
  // Sum of every delta; equals the balance (tests and audits check it).
  Result<int64_t> LedgerSum(const std::string& user_id);

 private:
  Result<User> FindOne(const char* column, const std::string& value);
  Result<LedgerEntry> Replay(const LedgerEntry& existing, int64_t delta, const std::string& reason);
  // After a failed coin batch: tells a missing user, a replayed key and an overdraft apart.
  Result<LedgerEntry> ExplainCoinFailure(const Status& failure, const std::string& user_id, int64_t delta,
                                         const std::string& reason,
                                         const std::optional<std::string>& idempotency_key);

  Database& db_;
  Clock& clock_;
  Random& random_;
};

}  // namespace nb
