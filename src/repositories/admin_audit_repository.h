// The admin audit (table admin_audit). Its rows are written by statements this repository builds and
// the caller puts in the same D1 batch as the change they record (UserRepository::SetRoles and
// ChangeCoins), so a change and its audit row commit or fail together.
#pragma once

#include <string>
#include <vector>

#include "models/audit_entry.h"
#include "ports/clock.h"
#include "ports/database.h"
#include "ports/random.h"
#include "repositories/page_cursor.h"

namespace nb {

class AdminAuditRepository {
 public:
  AdminAuditRepository(Database& db, Clock& clock, Random& random)
      : db_(db), clock_(clock), random_(random) {}

  // An audit row for setting `target`'s roles to `roles_csv`, inserted only where `condition` (SQL
  // over the users row, with its parameters) holds: the same condition as the UPDATE, placed before
  // it in the batch, so "before" is the row as the UPDATE finds it and a refused change leaves no row.
  SqlStatement RolesUpdateStatement(const std::string& actor_id, const std::string& target_id,
                                    const std::string& roles_csv, const std::string& condition,
                                    const std::vector<SqlValue>& condition_params);
  // An audit row for a coin change of `delta`, placed after the balance UPDATE in the batch.
  SqlStatement CoinGrantStatement(const std::string& actor_id, const std::string& target_id, int64_t delta,
                                  const std::string& reason);

  // Newest first, keyset-paged (keyset_page.h).
  Result<Page<AuditEntry>> List(int limit, const std::optional<std::string>& cursor);
  // True when an admin ever took ADMIN away from the user: ADMIN_EMAILS must not give it back.
  Result<bool> WasDemoted(const std::string& user_id);

 private:
  Database& db_;
  Clock& clock_;
  Random& random_;
};

}  // namespace nb
