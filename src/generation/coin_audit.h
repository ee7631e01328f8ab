// The invariants of coins, jobs and stored objects for one user, computed from D1 and R2. Tests
// assert them after every scenario; in a healthy system every list is empty once no job is running
// and coins == ledger_sum always.
#pragma once

#include <cstdint>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "ports/ports.h"

namespace nb {

struct CoinAudit {
  int64_t coins = 0;
  int64_t ledger_sum = 0;                      // must equal coins
  std::vector<std::string> open_holds;         // jobs still holding coins (fine while they run)
  std::vector<std::string> dangling_holds;     // open holds whose image is finished or gone
  std::vector<std::string> status_mismatches;  // COMPLETED not settled, FAILED not refunded, ...
  std::vector<std::string> ledger_mismatches;  // jobs without exactly one hold and at most one refund
  std::vector<std::string> objects;            // R2 keys under the user's prefix
  std::vector<std::string> orphan_objects;     // stored but referenced by no image row
  std::vector<std::string> missing_objects;    // referenced by a row but not stored

  // coins == ledger_sum and no dangling hold, mismatch, orphan or missing object.
  bool Consistent() const;
  nlohmann::json ToJson() const;
};

Result<CoinAudit> AuditUser(Ports& ports, const std::string& user_id);

}  // namespace nb
