#include "generation/coin_audit.h"

#include <algorithm>

#include "repositories/user_repository.h"
#include "services/storage_service.h"

namespace nb {
namespace {

// Every parameter of these queries is the user's id.
Result<std::vector<std::string>> Column(Database& db, const std::string& sql, const std::string& user_id,
                                        const char* column) {
  PreparedStatement statement = db.Prepare(sql);
  for (char c : sql) {
    if (c == '?') statement.Bind(user_id);
  }
  NB_ASSIGN_OR_RETURN(auto rows, statement.All());
  std::vector<std::string> out;
  for (const auto& row : rows) {
    NB_ASSIGN_OR_RETURN(std::optional<std::string> value, row.GetOptionalText(column));
    if (value) out.push_back(std::move(*value));
  }
  return out;
}

bool Contains(const std::vector<std::string>& list, const std::string& value) {
  return std::find(list.begin(), list.end(), value) != list.end();
}

}  // namespace

bool CoinAudit::Consistent() const {
  return coins == ledger_sum && dangling_holds.empty() && status_mismatches.empty() &&
         ledger_mismatches.empty() && orphan_objects.empty() && missing_objects.empty();
}

nlohmann::json CoinAudit::ToJson() const {
  return {{"coins", coins},
          {"ledgerSum", ledger_sum},
          {"openHolds", open_holds},
          {"danglingHolds", dangling_holds},
          {"statusMismatches", status_mismatches},
          {"ledgerMismatches", ledger_mismatches},
          {"objects", objects},
          {"orphanObjects", orphan_objects},
          {"missingObjects", missing_objects},
          {"consistent", Consistent()}};
}

Result<CoinAudit> AuditUser(Ports& ports, const std::string& user_id) {
  CoinAudit audit;
  UserRepository users(ports.db, ports.clock, ports.random);
  NB_ASSIGN_OR_RETURN(User user, users.FindById(user_id));
  audit.coins = user.coins;
  NB_ASSIGN_OR_RETURN(audit.ledger_sum, users.LedgerSum(user_id));
  Database& db = ports.db;
  NB_ASSIGN_OR_RETURN(audit.open_holds,
                      Column(db, "SELECT image_id FROM generation_jobs WHERE user_id = ? AND hold = 'open'",
                             user_id, "image_id"));
  NB_ASSIGN_OR_RETURN(
      audit.dangling_holds,
      Column(
          db,
          "SELECT j.image_id FROM generation_jobs j LEFT JOIN images i ON i.id = j.image_id "
          "WHERE j.user_id = ? AND j.hold = 'open' AND (i.id IS NULL OR i.status IN ('COMPLETED', 'FAILED'))",
          user_id, "image_id"));
  NB_ASSIGN_OR_RETURN(
      audit.status_mismatches,
      Column(db,
             "SELECT i.id FROM images i JOIN generation_jobs j ON j.image_id = i.id WHERE i.user_id = ? AND ("
             "(i.status = 'COMPLETED' AND j.hold <> 'settled') OR (i.status = 'FAILED' AND j.hold <> "
             "'refunded') OR "
             "(i.status IN ('PENDING', 'PROCESSING') AND j.hold <> 'open') OR "
             "(i.status = 'COMPLETED' AND i.coins_used <> j.cost) OR (i.status = 'FAILED' AND i.coins_used "
             "<> 0))",
             user_id, "id"));
  NB_ASSIGN_OR_RETURN(
      audit.ledger_mismatches,
      Column(
          db,
          "SELECT j.image_id FROM generation_jobs j WHERE j.user_id = ? AND ("
          "(SELECT COUNT(*) FROM coin_ledger l WHERE l.user_id = j.user_id AND l.image_id = j.image_id "
          "AND l.reason = 'hold' AND l.delta = -j.cost) <> 1 OR "
          "(SELECT COUNT(*) FROM coin_ledger l WHERE l.user_id = j.user_id AND l.image_id = j.image_id "
          "AND l.reason = 'refund' AND l.delta = j.cost) <> (j.hold = 'refunded') OR "
          "(SELECT COUNT(*) FROM coin_ledger l WHERE l.user_id = j.user_id AND l.image_id = j.image_id) <> "
          "1 + (j.hold = 'refunded'))",
          user_id, "image_id"));
  NB_ASSIGN_OR_RETURN(
      auto referenced,
      Column(db,
             "SELECT storage_key AS k FROM images WHERE user_id = ? AND storage_key IS NOT NULL "
             "UNION SELECT thumbnail_key AS k FROM images WHERE user_id = ? AND thumbnail_key IS NOT NULL",
             user_id, "k"));
  StorageService storage(ports.objects, ports.clock);
  NB_ASSIGN_OR_RETURN(auto objects, storage.ListUserObjects(user_id));
  for (const auto& o : objects) {
    audit.objects.push_back(o.key);
    if (!Contains(referenced, o.key)) audit.orphan_objects.push_back(o.key);
  }
  for (const auto& key : referenced) {
    if (!Contains(audit.objects, key)) audit.missing_objects.push_back(key);
  }
  return audit;
}

}  // namespace nb
