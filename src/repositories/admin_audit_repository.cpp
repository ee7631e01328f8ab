#include "repositories/admin_audit_repository.h"

#include "repositories/keyset_page.h"
#include "util/ids.h"

namespace nb {
namespace {

// users.roles ('USER,ADMIN') as a JSON object {"roles":["USER","ADMIN"]}, in SQL.
constexpr char kRolesJsonSql[] = "json_object('roles', json('[\"' || replace(roles, ',', '\",\"') || '\"]'))";

}  // namespace

SqlStatement AdminAuditRepository::RolesUpdateStatement(const std::string& actor_id,
                                                        const std::string& target_id,
                                                        const std::string& roles_csv,
                                                        const std::string& condition,
                                                        const std::vector<SqlValue>& condition_params) {
  std::vector<SqlValue> params = {NewId(random_), actor_id, target_id, roles_csv, clock_.NowMs()};
  params.insert(params.end(), condition_params.begin(), condition_params.end());
  return SqlStatement{
      std::string("INSERT INTO admin_audit (id, actor_id, target_user_id, action, before, after, "
                  "created_at) SELECT ?, ?, ?, '") +
          audit_action::kRolesUpdate + "', " + kRolesJsonSql +
          ", json_object('roles', json('[\"' || replace(?, ',', '\",\"') || '\"]')), ? "
          "FROM users WHERE " +
          condition,
      std::move(params)};
}

SqlStatement AdminAuditRepository::CoinGrantStatement(const std::string& actor_id,
                                                      const std::string& target_id, int64_t delta,
                                                      const std::string& reason) {
  return db_
      .Prepare(std::string("INSERT INTO admin_audit (id, actor_id, target_user_id, action, before, after, "
                           "created_at) SELECT ?, ?, id, '") +
               audit_action::kCoinsGrant +
               "', json_object('coins', coins - ?), json_object('coins', coins, 'delta', ?, 'reason', ?), ? "
               "FROM users WHERE id = ?")
      .Bind(NewId(random_))
      .Bind(actor_id)
      .Bind(delta)
      .Bind(delta)
      .Bind(reason)
      .Bind(clock_.NowMs())
      .Bind(target_id)
      .statement();
}

Result<Page<AuditEntry>> AdminAuditRepository::List(int limit, const std::optional<std::string>& cursor) {
  NB_ASSIGN_OR_RETURN(KeysetPage paging, KeysetPage::Start(limit, cursor));
  NB_ASSIGN_OR_RETURN(auto result, db_.Execute(paging.Query("SELECT * FROM admin_audit WHERE 1 = 1", {})));
  return paging.Collect<AuditEntry>(result.rows);
}

Result<bool> AdminAuditRepository::WasDemoted(const std::string& user_id) {
  NB_ASSIGN_OR_RETURN(auto row,
                      db_.Prepare(std::string("SELECT 1 AS demoted FROM admin_audit WHERE target_user_id = ? "
                                              "AND action = '") +
                                  audit_action::kRolesUpdate +
                                  "' AND instr(before, '\"ADMIN\"') > 0 AND instr(after, '\"ADMIN\"') = 0 "
                                  "LIMIT 1")
                          .Bind(user_id)
                          .First());
  return row.has_value();
}

}  // namespace nb
