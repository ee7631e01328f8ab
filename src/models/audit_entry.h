// One row of the admin audit (table admin_audit): an admin's role change or coin grant, with the
// state before and after. Written in the same D1 batch as the change, so one never lands without the other.
#pragma once

#include <cstdint>
#include <nlohmann/json.hpp>
#include <string>

#include "ports/sql_row.h"
#include "ports/status.h"

namespace nb {

namespace audit_action {
inline constexpr char kRolesUpdate[] = "roles.update";  // before/after: {"roles": [...]}
inline constexpr char kCoinsGrant[] = "coins.grant";  // before: {"coins"}; after: {"coins","delta","reason"}
}  // namespace audit_action

struct AuditEntry {
  std::string id;
  std::string actor_id;
  std::string target_user_id;
  std::string action;
  nlohmann::json before;  // an object; {} when the stored text is not one
  nlohmann::json after;
  int64_t created_at_ms = 0;

  static Result<AuditEntry> FromRow(const SqlRow& row);
  // API.md's audit item: {"id","actorId","targetUserId","action","before","after","createdAt"}.
  nlohmann::json ToJson() const;
};

}  // namespace nb
